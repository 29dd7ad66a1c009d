/**
 * The client's chunk data path: leases, chunk locations and chunkserver channels, plus the
 * retry/failover loops around one-attempt transfers (chunk-io.ts).
 *
 * Caches, each bounded:
 * - chunk locations per (ino, page of LOCATION_PAGE_CHUNKS slots), with the file's attributes
 *   as returned by GetChunks; LOCATION_TTL_MS so moved replicas are noticed;
 * - leases per (ino, index) until reply time + lease_duration_ms − 2 s (chunk-math.ts);
 * - chunkserver channels by address (evicted channels are closed).
 *
 * Write: GetLease → WriteChunk (WriteSmall for at most 256 KiB) to replicas[0] with chain = the
 * rest. On failure up to client.retries attempts, a fresh lease each time, excluding the server
 * the error names (retry-policy.ts), with a small backoff; when no write under the failed lease
 * was acknowledged the request says so (LeaseUse), and the master may replace a new chunk whose
 * primary is unreachable instead of outwaiting its lease. Read: replicas in the master's order,
 * resuming at the first byte not yet delivered, hedged (a replica silent for client.readHedgeMs
 * gets the next one asked too, and the slow one is asked last for a while); a frame with a bad
 * CRC32C fails over and is reported with ReportBadReplica; after a full round the locations are
 * fetched again.
 */
import type { Config } from '../common/config';
import { DfsError, asDfsError } from '../common/errors';
import { READ_SMALL_BYTES_MAX, WRITE_SMALL_BYTES_MAX, chunkserverClient } from '../common/rpc';
import { closeCallsClient } from '../common/meta-calls';
import { masterCall } from './master-call';
import type { ChunkserverClient, MasterClient } from '../common/rpc';
import { pause, systemClock } from '../common/clock';
import type { Clock } from '../common/clock';
import { logger } from '../common/logger';
import type { Attr__Output } from '../generated/dfs/Attr';
import type { ChunkInfo__Output } from '../generated/dfs/ChunkInfo';
import type { ChunkLease__Output } from '../generated/dfs/ChunkLease';
import type { WriteReply__Output } from '../generated/dfs/WriteReply';
import { BoundedCache } from './bounded-cache';
import { backoffMs, leaseUsableUntilMs } from './chunk-math';
import { readChunkOnce, readSmallOnce, writeChunkOnce, writeSmallOnce } from './chunk-io';
import { DataLinks } from '../common/data-link';
import { failedServerOf, isLeaseError, isRetryableWrite } from './retry-policy';

export const LOCATION_PAGE_CHUNKS = 64;
export const LOCATION_TTL_MS = 3_000;
export const LOCATION_CACHE_PAGES_MAX = 1_024;
export const LEASE_CACHE_ENTRIES_MAX = 1_024;
export const CHUNKSERVER_CHANNELS_MAX = 64;
/** A replica that was slow to answer a read or failed it is asked last for this long. */
export const SLOW_REPLICA_MS = 30_000;

interface LocationPage {
  attr: Attr__Output;
  chunks: Map<number, ChunkInfo__Output>;
}

/** A chunk write: `length` bytes at `offset` of the chunk, then optionally truncate/extend to `setLength`. */
export interface ChunkWrite {
  offset: number;
  length: number;
  setLength?: number;
  /** Several ranges (WriteHeader.ranges): `offset` is the first's, `length` their sum; the frames carry them in order. */
  ranges?: Array<{ offset: number; length: number }>;
  /** Commit without fsync on the replicas (WriteHeader.no_sync); SyncChunks makes it durable. */
  noSync?: boolean;
}

/**
 * Writes under one lease object (one GetLease reply): in progress, and whether any was
 * acknowledged. A failed write that was the only one and followed no acknowledged one tells the
 * master, with the next GetLease, that nothing under that lease is data (unwritten_handle).
 */
interface LeaseUse {
  writing: number;
  acknowledged: boolean;
}

/** A chunk write's reply and the handle of the chunk written. */
export type ChunkWritten = WriteReply__Output & { handle: number };

const log = logger('client');

export class DataPath {
  private readonly locations: BoundedCache<string, LocationPage>;
  private readonly leases: BoundedCache<string, ChunkLease__Output>;
  private readonly leaseUses = new WeakMap<ChunkLease__Output, LeaseUse>();
  private readonly channels: BoundedCache<string, ChunkserverClient>;
  private readonly links = new DataLinks();
  /** Server id → until when it is asked last by reads (it left a read unanswered or failed it). */
  private readonly slowUntil = new Map<string, number>();
  private closed = false;

  constructor(private readonly master: MasterClient, private readonly config: Config, private readonly clock: Clock = systemClock) {
    this.locations = new BoundedCache({ maxEntries: LOCATION_CACHE_PAGES_MAX, ttlMs: LOCATION_TTL_MS, clock });
    this.leases = new BoundedCache({ maxEntries: LEASE_CACHE_ENTRIES_MAX, clock });
    this.channels = new BoundedCache({ maxEntries: CHUNKSERVER_CHANNELS_MAX, onEvict: (_, c) => closeCallsClient(c) });
  }

  close(): void {
    this.closed = true;
    for (const c of this.channels.values()) closeCallsClient(c);
    this.channels.clear();
    this.links.close();
    this.locations.clear();
    this.leases.clear();
  }

  /** Forgets locations, attributes and leases of an inode. */
  invalidate(ino: number): void {
    const prefix = `${ino}/`;
    this.locations.deleteWhere((k) => k.startsWith(prefix));
    this.leases.deleteWhere((k) => k.startsWith(prefix));
  }

  /** Replaces the cached attributes of an inode (after CommitWrite / SetAttr). */
  updateAttr(attr: Attr__Output): void {
    const prefix = `${attr.ino}/`;
    for (const [key, page] of this.pagesOf(prefix)) this.locations.set(key, { ...page, attr });
  }

  /** The file's attributes from its first location page (`refresh`: asked again). */
  async fileAttr(ino: number, refresh = false): Promise<Attr__Output> {
    return (await this.page(ino, 0, refresh)).attr;
  }

  /** The location of chunk `index`, or undefined for a hole; `refresh` bypasses the cache. */
  async chunkInfo(ino: number, index: number, refresh = false): Promise<ChunkInfo__Output | undefined> {
    return (await this.page(ino, Math.floor(index / LOCATION_PAGE_CHUNKS), refresh)).chunks.get(index);
  }

  channel(address: string): ChunkserverClient {
    if (this.closed) throw new DfsError('CANCELLED', 'client closed');
    let c = this.channels.get(address);
    if (!c) {
      c = chunkserverClient(address);
      this.channels.set(address, c);
    }
    return c;
  }

  /**
   * Writes one chunk through its lease, retrying as described in the header. `frames` is called
   * once per attempt and must yield exactly `w.length` bytes.
   */
  async writeChunk(ino: number, index: number, w: ChunkWrite, frames: () => AsyncIterable<Buffer> | Iterable<Buffer>): Promise<ChunkWritten> {
    this.unwrittenFirst.delete(ino); // any write, even one that fails, may have reached a replica
    let exclude: string[] = [];
    let refused = false;
    let unwrittenHandle = 0;
    let noSpace: DfsError | undefined; // a full server's ENOSPC, reported when no other server takes the chunk
    for (let attempt = 0; ; attempt++) {
      let lease: ChunkLease__Output | undefined;
      let use: LeaseUse | undefined;
      try {
        lease = await this.lease(ino, index, exclude, refused, unwrittenHandle);
        use = this.leaseUse(lease);
        use.writing++;
        const [primary, ...chain] = lease.chunk!.replicas;
        if (!primary) throw new DfsError('NO_SERVERS', `chunk ${index} of inode ${ino}: lease without replicas`);
        const header = {
          handle: lease.chunk!.handle, version: lease.chunk!.version, offset: w.offset, length: w.length, chain, fromPrimary: false,
          setLength: w.setLength, ranges: w.ranges ?? [], noSync: w.noSync ?? false,
        };
        const cs = this.channel(primary.address);
        const reply = w.length <= WRITE_SMALL_BYTES_MAX
          ? await writeSmallOnce(cs, header, frames(), this.config.client.dataTimeoutMs)
          : await writeChunkOnce(this.links.get(primary.address), header, frames(), this.config.client.dataTimeoutMs);
        use.acknowledged = true;
        return { ...reply, handle: header.handle };
      } catch (e) {
        const err = asDfsError(e);
        this.leases.delete(`${ino}/${index}`);
        if (err.code === 'ENOSPC') noSpace = err;
        if (this.closed || attempt + 1 >= this.config.client.retries || !isRetryableWrite(err)) throw noSpace && isRetryableWrite(err) ? noSpace : err;
        const failed = lease?.chunk ? failedServerOf(err, lease.chunk.replicas) : undefined;
        exclude = failed ? [failed] : [];
        refused = isLeaseError(err);
        // nothing was acknowledged under this lease, by this write or another one of ours: the
        // master may give the chunk up rather than outwait an unreachable primary's lease
        unwrittenHandle = lease?.chunk && use && !use.acknowledged && use.writing === 1 ? lease.chunk.handle : 0;
        log.warn({ ino, index, attempt, code: err.code, exclude }, `chunk write failed: ${err.message}; retrying`);
        await pause(backoffMs(attempt));
      } finally {
        if (use) use.writing--;
      }
    }
  }

  /** The writes made under one lease this client got (one GetLease reply): see LeaseUse. */
  private leaseUse(lease: ChunkLease__Output): LeaseUse {
    let use = this.leaseUses.get(lease);
    if (!use) this.leaseUses.set(lease, use = { writing: 0, acknowledged: false });
    return use;
  }

  /**
   * Reads `length` bytes at `chunkOffset` of chunk `index` into `sink`, in order. Holes and the
   * part past the chunk's stored end are delivered as zeros (the caller clips to the file size).
   */
  async readChunk(ino: number, index: number, chunkOffset: number, length: number, sink: (data: Buffer) => void | Promise<void>): Promise<void> {
    const progress = { done: 0, sinkError: undefined as unknown };
    const deliver = async (data: Buffer): Promise<void> => {
      const part = data.length > length - progress.done ? data.subarray(0, length - progress.done) : data;
      progress.done += part.length;
      try { await sink(part); } catch (e) { progress.sinkError = e; throw e; }
    };
    let lastErr: DfsError | undefined;
    for (let round = 0; round < this.config.client.retries; round++) {
      const info = await this.chunkInfo(ino, index, round > 0);
      if (!info) return this.zeros(length - progress.done, deliver);
      if (info.replicas.length === 0) {
        // a chunk no live server holds (not a hole): its bytes are unknown, never zeros
        lastErr = new DfsError('UNAVAILABLE', `chunk ${index} (handle ${info.handle}): no live replica`);
        await pause(backoffMs(round));
        continue;
      }
      const err = await this.readFromReplicas(ino, index, info, chunkOffset, length, progress, deliver);
      if (!err) return this.zeros(length - progress.done, deliver);
      lastErr = err;
      await pause(backoffMs(round));
    }
    throw lastErr ?? new DfsError('EIO', `chunk ${index} of inode ${ino}: no live replica`);
  }

  /**
   * One pass over a chunk's replicas in the master's order (those that left a read of this client
   * unanswered or failed it in the last SLOW_REPLICA_MS last), from the first byte not yet
   * delivered; resolves with undefined once the range is read, or with the last error when
   * every replica failed. Hedged: a replica that delivered nothing within client.readHedgeMs
   * (a hung server, a black-holed link) gets company from the next replica, and the first one
   * to deliver is read from (the other's first frame cancels it). A replica that fails after it
   * delivered is followed by the next one, from where it stopped.
   */
  private async readFromReplicas(
    ino: number, index: number, info: ChunkInfo__Output, chunkOffset: number, length: number,
    progress: { done: number; sinkError: unknown }, deliver: (data: Buffer) => Promise<void>,
  ): Promise<DfsError | undefined> {
    const { dataTimeoutMs, readHedgeMs } = this.config.client;
    const replicas = this.slowLast(info.replicas);
    let next = 0;
    let lastErr: DfsError | undefined;
    while (next < replicas.length) {
      let winner: number | undefined; // the replica of this race that delivered first
      const pending = new Map<number, Promise<{ i: number; err?: DfsError }>>();
      const cancel = new AbortController(); // the reads of this race still running when it ends
      const start = (): void => {
        const i = next++;
        const replica = replicas[i];
        const req = { handle: info.handle, version: info.version, offset: chunkOffset + progress.done, length: length - progress.done };
        const gate = (data: Buffer): Promise<void> => {
          winner ??= i;
          if (winner !== i) return Promise.reject(new DfsError('CANCELLED', `replica ${replica.serverId} answered after another one`));
          return deliver(data);
        };
        const read = req.length <= READ_SMALL_BYTES_MAX
          ? readSmallOnce(this.channel(replica.address), req, gate, dataTimeoutMs)
          : readChunkOnce(this.links.get(replica.address), req, gate, dataTimeoutMs, cancel.signal);
        pending.set(i, read.then(() => ({ i }), (e: unknown) => ({ i, err: asDfsError(e) })));
      };
      start();
      try {
        while (pending.size > 0) {
          const hedging = winner === undefined && next < replicas.length && readHedgeMs > 0;
          let timer: NodeJS.Timeout | undefined;
          const hedge = hedging ? new Promise<'hedge'>((resolve) => { timer = setTimeout(() => resolve('hedge'), readHedgeMs); }) : undefined;
          const racers: Array<Promise<{ i: number; err?: DfsError } | 'hedge'>> = [...pending.values()];
          if (hedge) racers.push(hedge);
          const r = await Promise.race(racers);
          clearTimeout(timer);
          if (r === 'hedge') {
            this.markSlow(replicas[next - 1].serverId);
            log.debug({ ino, index, slow: replicas[next - 1].serverId, also: replicas[next].serverId }, `chunk read: no answer within ${readHedgeMs} ms; asking the next replica too`);
            start();
            continue;
          }
          pending.delete(r.i);
          if (!r.err) {
            if (winner === undefined || winner === r.i) {
              this.slowUntil.delete(replicas[r.i].serverId);
              return undefined;
            }
            continue; // a replica with nothing to deliver (past the stored end) while another one delivers
          }
          if (progress.sinkError !== undefined) throw progress.sinkError;
          if (this.closed) throw r.err;
          if (winner !== undefined && winner !== r.i) continue; // lost the race: cancelled by its own first frame
          lastErr = r.err;
          const replica = replicas[r.i];
          this.markSlow(replica.serverId);
          log.warn({ ino, index, server: replica.serverId, code: r.err.code }, `chunk read failed: ${r.err.message}; trying the next replica`);
          if (r.err.code === 'CHECKSUM_MISMATCH') this.reportBadReplica(info.handle, replica.serverId, r.err.message);
          if (winner === r.i) break; // the others of this race started before its bytes: the next replica goes on from here
          if (next < replicas.length) start(); // nothing delivered yet: the next replica at once
        }
      } finally {
        cancel.abort();
      }
    }
    return lastErr;
  }

  /** The replicas in the master's order, those slow or failing lately last. */
  private slowLast<R extends { serverId: string }>(replicas: R[]): R[] {
    if (this.slowUntil.size === 0) return replicas;
    const now = this.clock.nowMs();
    const isSlow = (r: R): boolean => (this.slowUntil.get(r.serverId) ?? 0) > now;
    return [...replicas.filter((r) => !isSlow(r)), ...replicas.filter(isSlow)];
  }

  private markSlow(serverId: string): void {
    if (this.slowUntil.size >= CHUNKSERVER_CHANNELS_MAX) this.slowUntil.clear(); // bounded
    this.slowUntil.set(serverId, this.clock.nowMs() + SLOW_REPLICA_MS);
  }

  private async zeros(n: number, deliver: (data: Buffer) => Promise<void>): Promise<void> {
    if (n <= 0) return;
    const zero = Buffer.alloc(Math.min(n, this.config.client.frameBytes));
    for (let left = n; left > 0; left -= zero.length) await deliver(left >= zero.length ? zero : zero.subarray(0, left));
  }

  private reportBadReplica(handle: number, serverId: string, reason: string): void {
    masterCall(this.master, 'ReportBadReplica', { handle, serverId, reason }, this.config.client.rpcTimeoutMs)
      .catch((e) => log.debug({ handle, serverId, err: asDfsError(e).message }, 'ReportBadReplica failed'));
  }

  private async lease(ino: number, index: number, exclude: string[], refused = false, unwrittenHandle = 0): Promise<ChunkLease__Output> {
    const key = `${ino}/${index}`;
    if (exclude.length === 0 && !refused) {
      const cached = this.leases.get(key);
      if (cached) return cached;
    }
    const lease = await masterCall(this.master, 'GetLease', { ino, index, excludeServerIds: exclude, leaseRefused: refused, unwrittenHandle }, this.config.client.rpcTimeoutMs);
    if (!lease.chunk) throw new DfsError('INTERNAL', `GetLease ${key}: reply without a chunk`);
    this.rememberLease(ino, lease);
    return lease;
  }

  /**
   * Chunk 0 of a file this client created with a first lease (Create's first_lease), by inode,
   * until a write to the file is attempted: Release then says it was never written under.
   * Bounded by the files this client holds open (taken at their last release).
   */
  private readonly unwrittenFirst = new Map<number, number>();

  /** Create's first lease of `ino`: nothing written under it yet. */
  noteUnwrittenFirst(ino: number, handle: number): void {
    this.unwrittenFirst.set(ino, handle);
  }

  /** The handle of `ino`'s first chunk if no write to the file was attempted since its Create (and forgets it). */
  takeUnwrittenFirst(ino: number): number | undefined {
    const handle = this.unwrittenFirst.get(ino);
    this.unwrittenFirst.delete(ino);
    return handle;
  }

  /**
   * Caches a lease as GetLease's reply would be (Create's first_lease: the first write of a new
   * file then asks no GetLease). Its usable time counts from now, the reply's arrival.
   */
  rememberLease(ino: number, lease: ChunkLease__Output): void {
    if (!lease.chunk) return;
    const index = lease.chunk.index;
    this.leases.set(`${ino}/${index}`, lease, leaseUsableUntilMs(this.clock.nowMs(), lease.leaseDurationMs));
    const page = this.locations.get(`${ino}/p${Math.floor(index / LOCATION_PAGE_CHUNKS)}`);
    if (page) page.chunks.set(index, lease.chunk);
  }

  private async page(ino: number, page: number, refresh: boolean): Promise<LocationPage> {
    const key = `${ino}/p${page}`;
    const cached = refresh ? undefined : this.locations.get(key);
    if (cached) return cached;
    const reply = await masterCall(this.master, 'GetChunks', { ino, firstIndex: page * LOCATION_PAGE_CHUNKS, count: LOCATION_PAGE_CHUNKS }, this.config.client.rpcTimeoutMs);
    if (!reply.attr) throw new DfsError('INTERNAL', `GetChunks ${ino}: reply without attributes`);
    const fresh: LocationPage = { attr: reply.attr, chunks: new Map(reply.chunks.map((c) => [c.index, c])) };
    this.locations.set(key, fresh);
    return fresh;
  }

  private pagesOf(prefix: string): [string, LocationPage][] {
    const out: [string, LocationPage][] = [];
    for (const key of this.locations.keys()) {
      const page = key.startsWith(prefix) ? this.locations.get(key) : undefined;
      if (page) out.push([key, page]);
    }
    return out;
  }
}
