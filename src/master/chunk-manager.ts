/**
 * Chunks: read locations (GetChunks), write leases (GetLease), chunkserver reports and the
 * deletion of replicas of chunks that left the namespace.
 *
 * Ordering guarantees (docs/ARCHITECTURE.md "Write path"):
 * - a new chunk is recorded in LMDB only AFTER its replicas accepted `Grant{create}`;
 * - a version bump is persisted only AFTER the replicas accepted `Grant{v+1}`; a master crash
 *   in between leaves replicas ahead, and their reports make the master adopt the version;
 * - one lease decision per chunk slot at a time (KeyedLock), so two clients never get two
 *   primaries, and a valid lease is handed to every client asking while it lasts.
 * Leases live in memory only: after a restart, the first GetLease bumps the version.
 */
import assert from 'node:assert';
import { DfsError, asDfsError, isDfsError } from '../common/errors';
import { sleep, type Clock } from '../common/clock';
import type { Logger } from '../common/logger';
import type { Config } from '../common/config';
import { FILE_CHUNKS_MAX } from '../common/limits';
import type { ChunkInfo } from '../generated/dfs/ChunkInfo';
import type { ChunkLease } from '../generated/dfs/ChunkLease';
import type { ChunkReplica } from '../generated/dfs/ChunkReplica';
import type { GetChunksReply } from '../generated/dfs/GetChunksReply';
import type { HeartbeatRequest__Output } from '../generated/dfs/HeartbeatRequest';
import type { ChunkRef } from '../generated/dfs/ChunkRef';
import { MetaStore, InodeRec } from './meta-store';
import { Effects, Namespace } from './namespace';
import { ServerRegistry } from './server-registry';
import { ChunkMap, DeletionQueue, GarbageTracker, judgeReport } from './chunk-map';
import { ChunkserverLink } from './chunkserver-link';
import { KeyedLock } from './keyed-lock';
import { place, withRoomFor } from './placement';

export interface Lease {
  primaryId: string; version: number; expiresAtMs: number;
  /** The replicas the lease was granted with: if one drops out, the lease is not handed out again
   * (a version bump must mark the missing replica stale, or it would return at the same version
   * with old bytes). */
  chain?: readonly string[];
  /** GetLease replies that carried this lease (see replaceUnwritten). */
  handedOut: number;
}

/** Handles reserved per LMDB write of the counter. */
const HANDLE_BLOCK = 1024;
/** Chunk slots returned by one GetChunks at most. */
export const GET_CHUNKS_MAX = 10_000;
/** Grant rounds of one GetLease before giving up (each round loses at least one replica). */
const GRANT_ROUNDS_MAX = 4;
/** Slack after a lease's expiry before another primary is chosen (timer granularity). */
const LEASE_EXPIRY_MARGIN_MS = 20;
/** Chunks whose bad replicas are remembered for fsck. */
const BAD_TRACKED_MAX = 100_000;
/** "replication capped by live servers" is logged at most this often (with the count of chunks since). */
const CAPPED_WARN_INTERVAL_MS = 10_000;
/** Reported replicas judged between two yields to the event loop (~5-15 ms of work here). */
export const REPORT_SLICE_CHUNKS = 1_000;
/** Deletions delivered per heartbeat reply. */
export const DELETES_PER_REPLY_MAX = 1000;

/** How often a call waiting for chunkservers after a start looks again (see awaitServers). */
const STARTUP_POLL_MS = 100;
/** How long a grant that failed is remembered (failedGrants): far longer than a hang a server survives without being declared dead and coming back. */
const FAILED_GRANT_MEMORY_MS = 10 * 60_000;

export interface ChunkManagerOptions {
  /**
   * Servers that may hold a chunk whose location is not known yet (safe mode: reports still
   * missing), from their Bloom digests; reads try them (a wrong guess fails CHUNK_NOT_FOUND or
   * STALE_VERSION there and the client moves on). Never used for leases.
   */
  locationHint?: (handle: number) => string[];
  /**
   * When the master started: for `cluster.deadAfterMs` after it, chunkservers are still
   * re-registering and reporting, and a call that finds too few of them waits (awaitServers).
   * Undefined: never wait.
   */
  startedAtMs?: number;
  /**
   * The namespace held chunks when the master started (a restart): its chunkservers are coming
   * back, and a new chunk waits for enough of them for its goal (allocate). A new cluster does not
   * wait for servers it has never seen (a one-server cluster would wait deadAfterMs for nothing).
   */
  restarted?: boolean;
  /** Whether the master waits for chunk reports after its start (safe mode). */
  inSafeMode?: () => boolean;
  store: MetaStore;
  ns: Namespace;
  registry: ServerRegistry;
  chunkMap: ChunkMap;
  deletions: DeletionQueue;
  garbage: GarbageTracker;
  link: ChunkserverLink;
  clock: Clock;
  config: Config;
  log: Logger;
}

/** A pooled chunk is handed out only if each of its servers was heard from within this many heartbeat periods. */
export const GRANTED_HEARTBEATS_MISSED_MAX = 3;

/** A chunk granted ahead of demand (see ChunkManager.fillGranted): created empty on `servers`, `servers[0]` holds its lease. */
export interface GrantedChunk {
  handle: number;
  servers: string[];
  /** Each server's epoch at the grant: a server that died or re-registered since lost the chunk. */
  epochs: number[];
  /** The master's end of the primary's lease (version 1). */
  expiresAtMs: number;
}

export class ChunkManager {
  readonly leases = new Map<number, Lease>();
  /**
   * New chunks granted ahead, oldest first per replication goal: GetLease of an empty slot takes
   * one and only commits it, instead of sending its grants and waiting for them (most of a small
   * file's GetLease). Memory only: after a master restart the chunkservers' unused ones are
   * unknown replicas, deleted as garbage.
   */
  private readonly granted = { byGoal: new Map<number, GrantedChunk[]>(), handles: new Set<number>(), filling: new Set<number>() };
  /**
   * New chunks granted for a slot and not recorded yet: a replica that reports one meanwhile
   * (a slow grant to another server can take GRANT_TIMEOUT_MS_MAX) holds no garbage.
   */
  private readonly allocating = new Set<number>();
  /**
   * Chunks whose replicas are being granted a new version (renew), with that version: a report
   * of it in the meantime is the bump in flight, not a replica ahead of the master (adopt).
   */
  private readonly bumping = new Map<number, number>();
  /**
   * Grants that failed (a time-out: the server may be hung, not dead), per chunk and server, with
   * the version granted. The server may still carry such a grant out when it resumes, and report
   * a replica at that version that never got the data the others got since (an empty new chunk,
   * or the old bytes under a renewed version): such a report is stale, not current (its replica
   * is deleted), until a copy to that server is scheduled (forgetFailedGrant). Bounded: entries
   * go after FAILED_GRANT_MEMORY_MS.
   */
  private readonly failedGrants = new Map<number, Map<string, { version: number; atMs: number }>>();
  private readonly slotLock = new KeyedLock();
  private nextHandle = 0;
  private handleEnd = 0;
  private reserving: Promise<void> | undefined;

  constructor(private readonly o: ChunkManagerOptions) {}

  private get cluster(): Config['cluster'] { return this.o.config.cluster; }
  private now(): number { return this.o.clock.nowMs(); }

  // ------------------------------------------------------------------ reads

  private replicaOf(id: string): ChunkReplica | undefined {
    const s = this.o.registry.get(id);
    return s && this.o.registry.isLive(id) ? { serverId: s.id, address: s.address } : undefined;
  }

  /**
   * Live up-to-date replicas of a chunk: the lease's primary first, then in-service servers
   * least loaded first, then draining (decommissioning) ones, which still serve reads.
   */
  liveReplicas(handle: number): ChunkReplica[] {
    const lease = this.validLease(handle);
    const now = this.now();
    const live = this.o.chunkMap.holders(handle).filter((id) => this.o.registry.isLive(id));
    const rank = (id: string): number => (this.o.registry.isAlive(id) ? 0 : 1);
    live.sort((a, b) => {
      if (lease?.primaryId === a) return -1;
      if (lease?.primaryId === b) return 1;
      return rank(a) - rank(b)
        || this.o.registry.pendingWrites(this.o.registry.get(a)!, now) - this.o.registry.pendingWrites(this.o.registry.get(b)!, now);
    });
    return live.map((id) => this.replicaOf(id)!);
  }

  isLeased(handle: number): boolean {
    return this.validLease(handle) !== undefined;
  }

  /**
   * isLeased, or within leaseDurationMs of a restart: the leases granted before it are forgotten
   * here while their primaries honour them until they expire, so a writer may still write any
   * chunk under a chain the master does not know. Copies, moves and trims wait for this (a copy
   * made then could miss writes under such a lease at the same version and be counted current).
   */
  mayBeLeased(handle: number): boolean {
    if (this.isLeased(handle)) return true;
    return this.o.restarted === true && this.o.startedAtMs !== undefined && this.now() < this.o.startedAtMs + this.cluster.leaseDurationMs;
  }

  private validLease(handle: number): Lease | undefined {
    const l = this.leases.get(handle);
    return l && l.expiresAtMs > this.now() ? l : undefined;
  }

  /**
   * Chunks [first, first+count) of an inode. Slots that were never written are absent; a
   * written chunk with no live replica is returned with no replicas (never silently a hole).
   */
  /**
   * getChunks, but right after a start a written chunk with no replica known yet is waited for
   * (awaitServers): its holders are re-registering, and a reader told "no replica" would fail.
   */
  async getChunksAfterStart(ino: number, first: number, count: number): Promise<GetChunksReply> {
    let reply = this.getChunks(ino, first, count);
    const unplaced = (): boolean => (reply.chunks ?? []).some((c) => !c.replicas || c.replicas.length === 0);
    if (!unplaced()) return reply;
    await this.awaitServers(() => {
      reply = this.getChunks(ino, first, count);
      return !unplaced();
    });
    return reply;
  }

  getChunks(ino: number, first: number, count: number): GetChunksReply {
    const rec = this.o.ns.inode(ino);
    this.touchUpload(ino);
    const want = Math.min(count > 0 ? count : GET_CHUNKS_MAX, GET_CHUNKS_MAX);
    const end = Math.min(rec.chunks.length, first + want);
    const chunks: ChunkInfo[] = [];
    for (let index = first; index < end; index++) {
      const handle = rec.chunks[index];
      if (!handle) continue;
      const c = this.o.store.chunks.get(handle);
      if (!c) continue;
      let replicas = this.liveReplicas(handle);
      if (replicas.length === 0 && this.o.locationHint) {
        replicas = this.o.locationHint(handle).map((id) => this.replicaOf(id)).filter((r): r is ChunkReplica => !!r);
      }
      chunks.push({ index, handle, version: c.version, replicas });
    }
    return { attr: this.o.ns.attr(ino, rec), chunks };
  }

  /** Uploads stay alive while they are used: push the expiry when it is 10% stale. */
  private touchUpload(ino: number): void {
    const up = this.o.store.uploads.get(ino);
    if (!up) return;
    const expiresAtMs = this.now() + this.cluster.uploadTimeoutMs;
    if (expiresAtMs - up.expiresAtMs < this.cluster.uploadTimeoutMs / 10) return;
    this.o.store.tx(() => {
      const cur = this.o.store.uploads.get(ino);
      if (cur) this.o.store.uploads.put(ino, { ...cur, expiresAtMs });
    }).catch((e) => this.o.log.warn({ ino, err: asDfsError(e).message }, 'cannot extend upload'));
  }

  // ------------------------------------------------------------------ leases

  /**
   * The write lease of slot `index` of `ino`; allocates the chunk when the slot is empty.
   * Errors: ENOENT, EISDIR/EINVAL (not a regular file), NO_SERVERS (no server accepted a new
   * chunk), UNAVAILABLE (no live replica holds the chunk, or none accepted the new version).
   */
  getLease(ino: number, index: number, exclude: readonly string[], refused = false, unwrittenHandle = 0): Promise<ChunkLease> {
    if (!Number.isSafeInteger(index) || index < 0) return Promise.reject(new DfsError('EINVAL', `bad chunk index ${index}`));
    if (index >= FILE_CHUNKS_MAX) return Promise.reject(new DfsError('EFBIG', `chunk index ${index}: a file has at most ${FILE_CHUNKS_MAX} chunks`));
    return this.slotLock.run(`${ino}:${index}`, () => this.leaseLocked(ino, index, new Set(exclude), refused, unwrittenHandle));
  }

  private fileForWrite(ino: number): InodeRec {
    const rec = this.o.ns.inode(ino);
    if (rec.type === 'DIRECTORY') throw new DfsError('EISDIR', `inode ${ino} is a directory`);
    if (rec.type !== 'REGULAR') throw new DfsError('EINVAL', `inode ${ino} is not a regular file`);
    return rec;
  }

  private async leaseLocked(ino: number, index: number, exclude: Set<string>, refused: boolean, unwrittenHandle: number): Promise<ChunkLease> {
    const rec = this.fileForWrite(ino);
    this.touchUpload(ino);
    const goal = rec.replication || this.cluster.replication;
    let handle = rec.chunks[index] ?? 0;
    if (handle !== 0 && handle === unwrittenHandle && await this.replaceUnwritten(ino, index, handle, exclude)) handle = 0;
    // The primary no longer honours the lease we think it holds (it restarted, or its clock ran
    // ahead): forget it, so the next decision grants a new one with a new version.
    if (refused && handle !== 0) this.leases.delete(handle);
    // a client failed to write to these servers: pooled chunks on them would fail the next files too
    if (exclude.size > 0) this.dropGrantedOn(exclude);
    if (handle === 0) {
      const created = await this.allocate(ino, index, goal, exclude);
      if (created) return created;
      const again = this.fileForWrite(ino).chunks[index] ?? 0;
      return this.renew(again, index, goal, exclude);
    }
    return this.renew(handle, index, goal, exclude);
  }

  /**
   * Gives up a new chunk whose primary the client could not reach, instead of outwaiting that
   * primary's lease (up to leaseDurationMs: a chunkserver hung after a grant, or one granted
   * ahead, cost the next write 60 s). Safe only because nothing of the chunk can be data: it is
   * at its first version and lease, that lease went out in one GetLease reply, and the client
   * that got it says (unwrittenHandle) no write under it was acknowledged, so whatever a
   * partitioned primary may still apply is under a handle no file holds any more. The slot is
   * emptied in one commit and its replicas deleted; the caller allocates anew, avoiding `exclude`.
   */
  private async replaceUnwritten(ino: number, index: number, handle: number, exclude: ReadonlySet<string>): Promise<boolean> {
    const lease = this.validLease(handle);
    const c = this.o.store.chunks.get(handle);
    if (!lease || !c || !exclude.has(lease.primaryId) || lease.handedOut !== 1 || lease.version !== 1 || c.version !== 1) return false;
    const fx = new Effects();
    if (!await this.o.store.tx(() => this.o.ns.dropUnwrittenChunk(ino, index, handle, fx))) return false;
    this.freed(fx.freed);
    this.o.log.info({ ino, index, handle, primary: lease.primaryId }, 'new chunk replaced: its primary is unreachable and nothing was written to it');
    return true;
  }

  private async newHandle(): Promise<number> {
    while (this.nextHandle >= this.handleEnd) {
      if (!this.reserving) {
        this.reserving = this.o.store.tx(() => {
          const start = Math.max(this.o.store.counter('nextHandle'), 1);
          this.o.store.meta.put('nextHandle', start + HANDLE_BLOCK);
          return start;
        }).then((start) => { this.nextHandle = start; this.handleEnd = start + HANDLE_BLOCK; })
          .finally(() => { this.reserving = undefined; });
      }
      await this.reserving;
    }
    return this.nextHandle++;
  }

  private grantTo(id: string, req: { handle: number; version: number; expectedVersion: number; create: boolean; primary: boolean }): Promise<void> {
    const s = this.o.registry.get(id);
    if (!s || s.state !== 'ALIVE') return Promise.reject(new DfsError('UNAVAILABLE', `server ${id} is not alive`));
    this.o.registry.noteGrant(id, this.now());
    return this.o.link.grant(s.address, { ...req, leaseDurationMs: this.cluster.leaseDurationMs });
  }

  /**
   * When a grant to a server failed last (bounded by the server count). Until the server is
   * heard from again it gets no chunks granted ahead, and its further failures are not logged
   * one by one: a chunkserver killed and not yet declared dead made every new file try 32
   * grants to it, each logged (3,300 warnings for 100 small files).
   */
  private readonly grantFailedMs = new Map<string, number>();

  private failedSinceHeard(id: string): boolean {
    const failedMs = this.grantFailedMs.get(id);
    return failedMs !== undefined && failedMs >= (this.o.registry.get(id)?.lastHeartbeatMs ?? 0);
  }

  /** Runs grants in parallel; returns the ids that accepted, in input order. */
  private async grantAll(ids: string[], make: (id: string) => Parameters<ChunkManager['grantTo']>[1]): Promise<string[]> {
    const results = await Promise.allSettled(ids.map((id) => this.grantTo(id, make(id))));
    const ok: string[] = [];
    results.forEach((r, i) => {
      const id = ids[i];
      const req = make(id);
      if (r.status === 'fulfilled') {
        ok.push(id);
        this.forgetFailedGrant(req.handle, id); // answered this time: its reports are this grant's
        return;
      }
      if (!this.failedSinceHeard(id)) this.o.log.warn({ serverId: id, err: asDfsError(r.reason).message }, 'grant failed');
      this.grantFailedMs.set(id, this.now());
      const perServer = this.failedGrants.get(req.handle) ?? new Map<string, { version: number; atMs: number }>();
      perServer.set(id, { version: req.version, atMs: this.now() });
      this.failedGrants.set(req.handle, perServer);
    });
    return ok;
  }

  /**
   * Creates the chunk of an empty slot. Returns the lease when the designated primary accepted;
   * undefined when the chunk exists but needs a version bump to get a primary, or the slot was
   * filled by another call meanwhile (the caller then leases the chunk that is there).
   */
  private async allocate(ino: number, index: number, goal: number, exclude: Set<string>): Promise<ChunkLease | undefined> {
    const chunkSizeBytes = this.o.ns.inode(ino).chunkSize;
    // right after a restart the servers are still coming back: wait for enough of them for the
    // goal, until every live one has had the time to register (awaitServers' window). Safe mode
    // alone ends as soon as the chunks are reported, which one server holding a replica of each
    // does: the next writes then got one replica (black-box, after a master restart)
    await this.awaitServers(() => {
      const n = place(this.o.registry.candidates(this.now()), goal, exclude).length;
      return n >= goal || (n > 0 && !(this.o.inSafeMode?.() ?? false) && !this.o.restarted);
    });
    const now = this.now();
    const alive = this.o.registry.candidates(now);
    const chosen = place(withRoomFor(alive, chunkSizeBytes), goal, exclude);
    if (chosen.length === 0 && alive.length > 0) {
      throw new DfsError('ENOSPC', `no live chunkserver has ${chunkSizeBytes} bytes free for a new chunk`);
    }
    if (chosen.length === 0) throw new DfsError('NO_SERVERS', 'no live chunkserver to place a chunk on');
    if (chosen.length < goal) this.warnCapped(ino, index, goal, chosen.length);
    if (exclude.size === 0) {
      const pooled = this.takeGranted(goal, chunkSizeBytes);
      this.refillGranted(goal);
      if (pooled) return this.allocateGranted(ino, index, pooled);
    }
    const handle = await this.newHandle();
    const primary = chosen[0];
    const tried = new Set([...exclude, ...chosen]);
    const ok: string[] = [];
    let round = chosen;
    const target = chosen.length;
    this.allocating.add(handle);
    try {
      while (round.length > 0) {
        ok.push(...await this.grantAll(round, (id) => ({ handle, version: 1, expectedVersion: 0, create: true, primary: id === primary })));
        if (ok.length >= target) break;
        round = place(withRoomFor(this.o.registry.candidates(this.now()), chunkSizeBytes), target - ok.length, tried);
        for (const id of round) tried.add(id);
      }
      if (ok.length === 0) throw new DfsError('NO_SERVERS', `no chunkserver accepted chunk ${handle}`);
      try {
        await this.o.store.tx(() => this.o.ns.recordNewChunk(ino, index, handle, 1));
      } catch (e) {
        for (const id of ok) this.o.deletions.add(id, handle, 0);
        // the slot was filled meanwhile (a Create took a pooled chunk for it): use that one
        if (isDfsError(e, 'EBUSY')) return undefined;
        throw e;
      }
    } finally {
      this.allocating.delete(handle);
    }
    for (const id of ok) this.o.chunkMap.add(handle, id);
    this.o.log.debug({ ino, index, handle, replicas: ok }, 'chunk allocated');
    if (!ok.includes(primary)) return undefined;
    return this.leaseReply(handle, index, 1, primary, ok);
  }

  // ------------------------------------------------------------------ chunks granted ahead

  /**
   * A pooled chunk becomes slot `index` of `ino`: one LMDB commit, no grant (its replicas hold it
   * since the pool was filled). On a failed commit the chunk is dropped as unused.
   */
  private async allocateGranted(ino: number, index: number, p: GrantedChunk): Promise<ChunkLease | undefined> {
    try {
      await this.o.store.tx(() => this.o.ns.recordNewChunk(ino, index, p.handle, 1));
    } catch (e) {
      this.dropGranted(p);
      if (isDfsError(e, 'EBUSY')) return undefined; // filled meanwhile, as in allocate()
      throw e;
    }
    return this.adoptGranted(ino, index, p);
  }

  /** After the commit that recorded pooled chunk `p` as slot `index` of `ino`: it is live, its lease handed out once. */
  private adoptGranted(ino: number, index: number, p: GrantedChunk): ChunkLease {
    this.granted.handles.delete(p.handle);
    for (const id of p.servers) this.o.chunkMap.add(p.handle, id);
    this.o.log.debug({ ino, index, handle: p.handle, replicas: p.servers }, 'chunk allocated from the granted pool');
    this.leases.set(p.handle, { primaryId: p.servers[0], version: 1, expiresAtMs: p.expiresAtMs, chain: p.servers, handedOut: 1 });
    return this.leaseMessage(p.handle, index, 1, p.servers, Math.max(1, p.expiresAtMs - this.now()));
  }

  /**
   * Create's first chunk, step 1, inside Create's transaction: an empty file with no chunk that
   * its creator writes at once (the mount's create) takes a chunk granted ahead as chunk 0, in
   * the same commit; its lease goes back with the Create reply, so the first write needs no
   * GetLease (one call and one durable commit less per small file). Undefined when the file is
   * not empty or no pooled chunk is good (the writer then asks GetLease as before). The caller
   * passes the result to createdFirst() after the commit, or to dropTaken() if it failed; a file
   * still empty at its last close gives the chunk back (chunksOfEmptyFiles).
   */
  takeFirstChunk(ino: number): GrantedChunk | undefined {
    const rec = this.o.ns.inode(ino);
    if (rec.type !== 'REGULAR' || rec.size !== 0 || rec.chunks.some((h) => h !== 0)) return undefined;
    const p = this.takeGranted(rec.replication || this.cluster.replication, rec.chunkSize);
    if (p) this.o.ns.recordNewChunk(ino, 0, p.handle, 1);
    return p;
  }

  /**
   * Create's first chunk, step 2, after the commit: the chunk is live, its lease handed out once,
   * and the pool is topped up (not from inside the transaction: a fill may reserve handles in a
   * transaction of its own). An empty pool is refilled by the GetLease the writer then sends.
   */
  createdFirst(ino: number, p: GrantedChunk): ChunkLease {
    const lease = this.adoptGranted(ino, 0, p);
    this.refillGranted(p.servers.length);
    return lease;
  }

  /** Create's transaction failed after takeFirstChunk: the pooled chunk is dropped as unused. */
  dropTaken(p: GrantedChunk): void {
    this.dropGranted(p);
  }

  /**
   * Gives back chunk 0 of `ino` that a Create took (takeFirstChunk) when the client that got its
   * lease says (Release.unwritten_handle) it never wrote under it, and no one else can have: it is
   * at its first version, and its lease is still valid and went out in that one reply (a GetLease
   * of anyone else counts in `handedOut`; after a master restart nothing is known and the chunk
   * stays). A file that a Create made and a truncate grew (`truncate -s 1G` through the mount)
   * kept such a chunk, never written (the kind chunksOfEmptyFiles gives back for files left
   * empty). True when given back.
   */
  async giveBackUnwrittenFirst(ino: number, handle: number): Promise<boolean> {
    const lease = this.validLease(handle);
    const c = this.o.store.chunks.get(handle);
    if (!lease || !c || c.ino !== ino || c.index !== 0 || lease.handedOut !== 1 || lease.version !== 1 || c.version !== 1) return false;
    const fx = new Effects();
    if (!await this.o.store.tx(() => this.o.ns.dropUnwrittenChunk(ino, 0, handle, fx))) return false;
    this.freed(fx.freed);
    return true;
  }

  /**
   * Of files whose last open just ended: the chunks of those still empty (size 0), to be removed
   * with Namespace.dropUnwrittenChunk in the caller's transaction. Nothing in them is data: a
   * writer commits its size before its close (the mount flushes first), so what is there was
   * never acknowledged. Mostly the chunk a Create took for a file that stayed empty (`touch`
   * through the mount leaves no chunk); also one granted to a writer that went away before its
   * first write, which would otherwise stay, unwritten, and show as MISSING in fsck once its
   * chunkservers restart.
   */
  chunksOfEmptyFiles(inos: readonly number[]): Array<{ ino: number; index: number; handle: number }> {
    const out: Array<{ ino: number; index: number; handle: number }> = [];
    for (const ino of inos) {
      const rec = this.o.store.inodes.get(ino);
      if (!rec || rec.type !== 'REGULAR' || rec.size !== 0) continue;
      rec.chunks.forEach((handle, index) => { if (handle !== 0) out.push({ ino, index, handle }); });
    }
    return out;
  }

  /**
   * The oldest pooled chunk of `goal` replicas that is still good: at least half its lease left
   * (as renew() hands out a running lease), every replica alive since the grant (same epoch: a
   * restart loses a replica that was never written), heard from within the last
   * GRANTED_HEARTBEATS_MISSED_MAX heartbeat periods and with room for `chunkSizeBytes`. Those
   * found stale on the way are dropped.
   *
   * Why the heartbeat check: a pooled chunk's lease is already on its primary, so a primary that
   * died after the grant holds it until it expires (a write waits up to leaseDurationMs, 45 s
   * measured after a kill -9), where a grant made at GetLease time fails at once and
   * the server is left out. The heartbeat stream's end (serverUnreachable) covers a killed
   * process; this covers a server cut off without its connection closing.
   */
  private takeGranted(goal: number, chunkSizeBytes: number): GrantedChunk | undefined {
    const list = this.granted.byGoal.get(goal);
    if (!list || list.length === 0) return undefined;
    const now = this.now();
    const heardSinceMs = now - GRANTED_HEARTBEATS_MISSED_MAX * this.o.config.chunkserver.heartbeatIntervalMs;
    const room = new Set(withRoomFor(this.o.registry.candidates(now), chunkSizeBytes)
      .filter((c) => (this.o.registry.get(c.id)?.lastHeartbeatMs ?? -Infinity) >= heardSinceMs).map((c) => c.id));
    while (list.length > 0) {
      const p = list.shift()!;
      const good = p.expiresAtMs - now > this.cluster.leaseDurationMs / 2
        && p.servers.every((id, i) => room.has(id) && (this.epochs.get(id) ?? 0) === p.epochs[i]);
      if (good) return p;
      this.dropGranted(p);
    }
    return undefined;
  }

  /** An unused pooled chunk goes: its replicas (empty, never written) are deleted with the next heartbeats. */
  private dropGranted(p: GrantedChunk): void {
    this.granted.handles.delete(p.handle);
    for (const id of p.servers) this.o.deletions.add(id, p.handle, 0);
  }

  /**
   * A chunkserver's heartbeat stream ended (its process stopped or its connection broke): its
   * chunks granted ahead are not handed out any more (see takeGranted). The server stays in
   * whatever state it is in until it re-registers or cluster.deadAfterMs passes.
   */
  serverUnreachable(serverId: string): void {
    this.dropGrantedOn(new Set([serverId]));
  }

  /** Drops the pooled chunks with a replica on one of `servers`. */
  private dropGrantedOn(servers: ReadonlySet<string>): void {
    for (const [goal, list] of this.granted.byGoal) {
      const keep = list.filter((p) => !p.servers.some((id) => servers.has(id)));
      if (keep.length === list.length) continue;
      for (const p of list) if (!keep.includes(p)) this.dropGranted(p);
      this.granted.byGoal.set(goal, keep);
    }
  }

  /** Drops every pooled chunk whose lease is half gone (maintenance: demand stopped). */
  pruneGranted(): void {
    const now = this.now();
    for (const list of this.granted.byGoal.values()) {
      while (list.length > 0 && list[0].expiresAtMs - now <= this.cluster.leaseDurationMs / 2) this.dropGranted(list.shift()!);
    }
  }

  private capped = { warnedAtMs: -Infinity, since: 0 };

  /** "replication capped by live servers", at most once per CAPPED_WARN_INTERVAL_MS with the count since. */
  private warnCapped(ino: number, index: number, goal: number, alive: number): void {
    this.capped.since++;
    const now = this.now();
    if (now - this.capped.warnedAtMs < CAPPED_WARN_INTERVAL_MS) return;
    this.o.log.warn({ ino, index, goal, alive, chunks: this.capped.since }, 'replication capped by live servers');
    this.capped = { warnedAtMs: now, since: 0 };
  }

  /** Chunks granted ahead and not used yet (tests, metrics). */
  grantedAhead(): number {
    return this.granted.handles.size;
  }

  /** Tops the pool of `goal` up in the background once it is below half of `cluster.grantAheadChunks`. */
  private refillGranted(goal: number): void {
    const target = this.cluster.grantAheadChunks;
    const have = this.granted.byGoal.get(goal)?.length ?? 0;
    if (target <= 0 || have > target / 2 || this.granted.filling.has(goal) || (this.o.inSafeMode?.() ?? false)) return;
    this.granted.filling.add(goal);
    this.fillGranted(goal, target - have)
      .catch((e) => this.o.log.warn({ goal, err: asDfsError(e).message }, 'granting chunks ahead failed'))
      .finally(() => this.granted.filling.delete(goal));
  }

  /**
   * Grants `n` new chunks of `goal` replicas (placed one after the other, each counting the
   * ones before it as pending writes, so they spread as separate allocations would). A chunk
   * some replica refused is dropped; only chunks with all `goal` replicas enter the pool.
   */
  private async fillGranted(goal: number, n: number): Promise<void> {
    const candidates = withRoomFor(this.o.registry.candidates(this.now()), this.cluster.chunkSizeBytes)
      .filter((c) => !this.failedSinceHeard(c.id));
    const picks: Array<{ handle: number; servers: string[]; epochs: number[] }> = [];
    for (let i = 0; i < n; i++) {
      const servers = place(candidates, goal);
      if (servers.length < goal) break;
      for (const c of candidates) if (servers.includes(c.id)) c.pendingWrites++;
      picks.push({ handle: await this.newHandle(), servers, epochs: servers.map((id) => this.epochs.get(id) ?? 0) });
    }
    for (const p of picks) this.granted.handles.add(p.handle);
    const results = await Promise.all(picks.map(async (p) => ({
      p, ok: await this.grantAll(p.servers, (id) => ({ handle: p.handle, version: 1, expectedVersion: 0, create: true, primary: id === p.servers[0] })),
    })));
    // counted from after the replies, as leaseReply: never earlier than the primary's own expiry
    const expiresAtMs = this.now() + this.cluster.leaseDurationMs;
    const list = this.granted.byGoal.get(goal) ?? [];
    this.granted.byGoal.set(goal, list);
    for (const { p, ok } of results) {
      if (ok.length === p.servers.length) {
        list.push({ ...p, expiresAtMs });
        continue;
      }
      this.granted.handles.delete(p.handle);
      for (const id of ok) this.o.deletions.add(id, p.handle, 0);
    }
  }

  private leaseReply(handle: number, index: number, version: number, primary: string, chain: string[]): ChunkLease {
    const expiresAtMs = this.now() + this.cluster.leaseDurationMs;
    const prev = this.leases.get(handle);
    assert(!prev || prev.version <= version, 'a chunk version never goes backwards');
    const ordered = [primary, ...chain.filter((id) => id !== primary)];
    this.leases.set(handle, { primaryId: primary, version, expiresAtMs, chain: ordered, handedOut: 1 });
    return this.leaseMessage(handle, index, version, ordered, this.cluster.leaseDurationMs);
  }

  /** The ChunkLease a client gets: `ordered[0]` is the primary, the rest the chain. */
  private leaseMessage(handle: number, index: number, version: number, ordered: string[], durationMs: number): ChunkLease {
    return {
      chunk: { index, handle, version, replicas: ordered.map((id) => this.replicaOf(id)).filter((r): r is ChunkReplica => !!r) },
      primaryServerId: ordered[0],
      leaseDurationMs: durationMs,
    };
  }

  /** A lease for an existing chunk: reuse a valid one, or bump the version on the live replicas. */
  private async renew(handle: number, index: number, goal: number, exclude: Set<string>): Promise<ChunkLease> {
    if (!this.o.store.chunks.get(handle)) throw new DfsError('ENOENT', `chunk ${handle} no longer exists`);
    await this.awaitServers(() => this.o.chunkMap.holders(handle).filter((id) => this.o.registry.isAlive(id) && !exclude.has(id)).length > 0);
    const c = this.o.store.chunks.get(handle);
    if (!c) throw new DfsError('ENOENT', `chunk ${handle} no longer exists`);
    const holders = this.o.chunkMap.holders(handle).filter((id) => this.o.registry.isAlive(id));
    const lease = this.validLease(handle);
    const remainingMs = lease ? lease.expiresAtMs - this.now() : 0;
    if (lease && lease.version === c.version && holders.includes(lease.primaryId) && !holders.some((id) => exclude.has(id))
      && (lease.chain ?? []).every((id) => holders.includes(id)) && remainingMs > this.cluster.leaseDurationMs / 2) {
      // Hand out the running lease as it is: its expiry is the primary's, never extended here.
      lease.handedOut++;
      const ordered = [lease.primaryId, ...holders.filter((id) => id !== lease.primaryId)];
      return this.leaseMessage(handle, index, c.version, ordered, Math.max(1, remainingMs));
    }
    for (const id of holders) if (exclude.has(id)) this.o.chunkMap.remove(handle, id);
    // Draining servers take no writes: their replica would go stale with the new version, so it
    // leaves the map now (and is deleted) rather than being offered at the wrong version.
    for (const id of this.o.chunkMap.holders(handle)) {
      if (this.o.registry.isLive(id) && !this.o.registry.isAlive(id)) {
        this.o.chunkMap.remove(handle, id);
        this.o.deletions.add(id, handle, c.version);
      }
    }
    let live = holders.filter((id) => !exclude.has(id));
    if (live.length === 0) throw new DfsError('UNAVAILABLE', `no live replica of chunk ${handle}`);
    if (lease && !live.includes(lease.primaryId)) await this.outwaitLease(handle, lease);
    let version = c.version;
    let primary = this.pickPrimary(live);
    for (let round = 0; round < GRANT_ROUNDS_MAX; round++) {
      const next = version + 1;
      const from = version;
      this.bumping.set(handle, next);
      let ok: string[];
      let exists: boolean;
      try {
        ok = await this.grantAll(live, (id) => ({ handle, version: next, expectedVersion: from, create: false, primary: id === primary }));
        if (ok.length === 0) throw new DfsError('UNAVAILABLE', `no replica of chunk ${handle} accepted version ${next}`);
        for (const id of live) if (!ok.includes(id)) this.o.chunkMap.remove(handle, id);
        exists = await this.o.store.tx(() => this.o.ns.raiseChunkVersion(handle, next));
      } finally {
        if (this.bumping.get(handle) === next) this.bumping.delete(handle);
      }
      if (!exists) throw new DfsError('ENOENT', `chunk ${handle} was deleted`);
      version = next;
      live = ok;
      if (ok.includes(primary)) {
        const chain = await this.repair(handle, version, goal, ok, exclude);
        this.o.log.debug({ handle, version, primary, chain }, 'lease granted');
        return this.leaseReply(handle, index, version, primary, chain);
      }
      primary = this.pickPrimary(ok);
    }
    throw new DfsError('UNAVAILABLE', `no primary for chunk ${handle} after ${GRANT_ROUNDS_MAX} rounds`);
  }

  /**
   * Right after the master started, chunkservers re-register and report within a heartbeat or
   * two: until `cluster.deadAfterMs` after the start (when a silent server would be declared
   * dead anyway), a call waits for `ready()`, polled, for at most half an RPC deadline, instead
   * of failing a write or a read for want of servers that are about to be back. Outside that
   * window it returns at once.
   */
  private async awaitServers(ready: () => boolean): Promise<void> {
    if (this.o.startedAtMs === undefined || ready()) return;
    const windowEndMs = this.o.startedAtMs + this.cluster.deadAfterMs;
    const polls = Math.ceil(this.o.config.client.rpcTimeoutMs / 2 / STARTUP_POLL_MS);
    for (let i = 0; i < polls && this.now() < windowEndMs; i++) {
      await sleep(STARTUP_POLL_MS);
      if (ready()) return;
    }
  }

  /**
   * No split brain (GFS): a primary the master cannot revoke (dead, partitioned, or unreachable
   * for the client) may accept writes until its lease ends, so no other server becomes primary
   * before the master's expiry, which is never earlier than the primary's own (see leaseReply).
   * Waits at most half an RPC deadline per call, then UNAVAILABLE so the client retries.
   */
  private async outwaitLease(handle: number, lease: Lease): Promise<void> {
    const waitMs = lease.expiresAtMs - this.now();
    if (waitMs <= 0) return;
    const boundMs = Math.max(1, Math.floor(this.o.config.client.rpcTimeoutMs / 2));
    this.o.log.info({ handle, primary: lease.primaryId, waitMs }, 'waiting for the lease of an unreachable primary to expire');
    await sleep(Math.min(waitMs, boundMs) + LEASE_EXPIRY_MARGIN_MS);
    if (lease.expiresAtMs > this.now()) {
      throw new DfsError('UNAVAILABLE', `chunk ${handle}: the lease of its unreachable primary runs for ${lease.expiresAtMs - this.now()} ms more`);
    }
  }

  private pickPrimary(live: string[]): string {
    const now = this.now();
    const ranked = place(this.o.registry.candidates(now).filter((c) => live.includes(c.id)), 1);
    return ranked[0] ?? live[0];
  }

  /**
   * Brings an under-replicated chunk back towards its goal before the lease is returned: new
   * servers copy it from the replicas that have it (chunkserver `Replicate`). A copy that fails
   * is simply left out of the chain. Returns the chain (holders of the data at `version`).
   */
  private async repair(handle: number, version: number, goal: number, have: string[], exclude: Set<string>): Promise<string[]> {
    if (have.length >= goal) return have;
    const roomy = withRoomFor(this.o.registry.candidates(this.now()), this.cluster.chunkSizeBytes);
    const haveHosts = have.flatMap((id) => this.o.registry.hostOf(id) ?? []);
    const targets = place(roomy, goal - have.length, new Set([...exclude, ...have]), undefined, haveHosts);
    if (targets.length === 0) return have;
    const sources = have.map((id) => this.replicaOf(id)).filter((r): r is ChunkReplica => !!r);
    const results = await Promise.allSettled(targets.map((id) => {
      const s = this.o.registry.get(id)!;
      return this.o.link.replicate(s.address, { handle, version, sources });
    }));
    const chain = [...have];
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') {
        chain.push(targets[i]);
        this.o.chunkMap.add(handle, targets[i]);
        this.forgetFailedGrant(handle, targets[i]); // a copy with the data: its report is current
      } else {
        this.o.log.warn({ handle, serverId: targets[i], err: asDfsError(r.reason).message }, 'repair copy failed');
      }
    });
    return chain;
  }

  // ------------------------------------------------------------------ deletions and reports

  /**
   * An upload was committed: its writer is done with the leases of its chunks (the file is new
   * and the uploader writes nothing more), so they no longer hold copies back (a chunk that
   * loses a replica right after a put is copied at once, not after the lease).
   */
  uploadDone(handles: readonly number[]): void {
    for (const h of handles) this.leases.delete(h);
  }

  /** Chunks removed from the namespace: their replicas are queued for deletion. */
  freed(handles: readonly number[]): void {
    for (const h of handles) {
      this.leases.delete(h);
      const held = new Set([...this.o.chunkMap.dropHandle(h), ...this.badSeen.get(h) ?? []]); // bad last copies kept by badReplica too
      this.badSeen.delete(h);
      for (const id of held) this.o.deletions.add(id, h, 0);
    }
  }

  /**
   * Servers whose replica of a chunk failed verification, until a good replica shows up again
   * (fsck tells "corrupt" from "missing" with it). Bounded: BAD_TRACKED_MAX handles.
   */
  readonly badSeen = new Map<number, Set<string>>();

  /**
   * A replica failed verification (client or the server itself): it leaves the location map,
   * and is deleted (to be copied again from a good one) only while another live replica not
   * reported bad exists. The last copies stay on disk (HDFS keeps corrupt replicas while no good
   * one exists): one damaged block must not cost the chunk's other blocks, and a report that was
   * wrong (a client's view of a frame, not of the disk) must not cost the chunk. Their server is
   * asked for a full report, which lists only replicas it holds good: a replica reported bad
   * wrongly comes back into the map, a damaged one stays out (fsck: CORRUPT).
   */
  badReplica(handle: number, serverId: string): void {
    // known already and out of the map: a full report lists its server's bad replicas each
    // time, and judging one again would ask for another full report, and so on without end
    if (this.badSeen.get(handle)?.has(serverId) && !this.o.chunkMap.holders(handle).includes(serverId)) return;
    if (!this.o.store.chunks.get(handle)) {
      // freed meanwhile (its file overwritten or removed): the replica is garbage, not a lost chunk
      this.o.chunkMap.remove(handle, serverId);
      this.o.deletions.add(serverId, handle, 0);
      return;
    }
    if (this.badSeen.has(handle) || this.badSeen.size < BAD_TRACKED_MAX) {
      const set = this.badSeen.get(handle) ?? new Set<string>();
      set.add(serverId);
      this.badSeen.set(handle, set);
    }
    const bad = this.badSeen.get(handle);
    const good = this.o.chunkMap.holders(handle).filter((id) => id !== serverId && !bad?.has(id) && this.o.registry.isAlive(id));
    this.o.chunkMap.remove(handle, serverId);
    const l = this.leases.get(handle);
    if (l?.primaryId === serverId) this.leases.delete(handle);
    if (good.length > 0) {
      this.o.deletions.add(serverId, handle, 0);
      return;
    }
    this.o.log.error({ handle, serverId }, 'replica reported bad and no good replica is left: kept on its disk, asking its server for a full report');
    if (this.recheck.size < BAD_TRACKED_MAX) this.recheck.add(serverId);
  }

  /** Servers whose last copy of some chunk was reported bad: the next heartbeat reply asks for a full report. */
  private readonly recheck = new Set<string>();

  /** True once per server after badReplica kept a last copy there (see badReplica). */
  takeRecheck(serverId: string): boolean {
    return this.recheck.delete(serverId);
  }

  /**
   * A server went dead: its replicas leave the location map. Its leases are kept until they
   * expire: a server the master cannot hear may still be serving clients as primary (a
   * partition), so no other server becomes primary before then (see outwaitLease).
   */
  serverDead(serverId: string): void {
    this.epochs.set(serverId, (this.epochs.get(serverId) ?? 0) + 1);
    this.o.chunkMap.dropServer(serverId);
  }

  /** Per server: bumped when it dies or re-registers (a big report in progress is then abandoned). Bounded by the server count. */
  private readonly epochs = new Map<string, number>();
  /** Big reports are applied one at a time, in arrival order. */
  private reportLane: Promise<void> = Promise.resolve();

  /**
   * Applies one heartbeat's report and returns the deletions to send back. In safe mode
   * (`deleting` false) nothing is deleted: stale replicas stay queued and garbage is not even
   * timed, so a master that lost track of its replicas never destroys data on a guess.
   */
  async applyReport(serverId: string, req: HeartbeatRequest__Output, deleting = true): Promise<ChunkRef[]> {
    if (req.chunks.length <= REPORT_SLICE_CHUNKS) return this.applyReportNow(serverId, req, deleting, undefined);
    // A big report (a full report's page): one at a time, in slices between which the event
    // loop serves heartbeats and RPCs, so absorbing 1,000 full reports never stalls them.
    const epoch = this.epochs.get(serverId) ?? 0;
    const turn = this.reportLane.then(() => this.applyReportNow(serverId, req, deleting, epoch));
    this.reportLane = turn.then(() => undefined, () => undefined);
    return turn;
  }

  /**
   * Applies a report; with `epoch` (a big report) in slices of REPORT_SLICE_CHUNKS with a yield
   * after each, and abandoned (nothing more applied, no deletions returned) when the server
   * re-registered or died meanwhile: a report of an earlier registration is void.
   */
  private async applyReportNow(serverId: string, req: HeartbeatRequest__Output, deleting: boolean, epoch: number | undefined): Promise<ChunkRef[]> {
    const adopt: { handle: number; version: number }[] = [];
    for (let at = 0; at < req.chunks.length; at += REPORT_SLICE_CHUNKS) {
      if (at > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      if (epoch !== undefined && (this.epochs.get(serverId) ?? 0) !== epoch) return [];
      this.applyChunkReports(serverId, req.chunks, at, Math.min(req.chunks.length, at + REPORT_SLICE_CHUNKS), deleting, adopt);
    }
    if (adopt.length > 0) await this.adopt(serverId, adopt);
    for (const h of req.removed) this.o.chunkMap.remove(h, serverId);
    for (const b of req.bad) this.badReplica(b.handle, serverId);
    if (req.fullReport) this.o.chunkMap.fullReportPage(serverId, req.chunks.map((r) => r.handle), req.lastPage);
    return deleting ? this.o.deletions.take(serverId, DELETES_PER_REPLY_MAX) : [];
  }

  /** Judges the reported replicas [from, to) (see applyReport); adoptions are collected in `adopt`. */
  private applyChunkReports(serverId: string, reports: HeartbeatRequest__Output['chunks'], from: number, to: number, deleting: boolean,
    adopt: { handle: number; version: number }[]): void {
    const now = this.now();
    for (let i = from; i < to; i++) {
      const r = reports[i];
      const known = this.o.store.chunks.get(r.handle);
      switch (judgeReport(r.version, known?.version)) {
        case 'current':
          if (this.failedGrants.get(r.handle)?.get(serverId)?.version === r.version) {
            // a grant that timed out, carried out late: the data written since went elsewhere
            this.forgetFailedGrant(r.handle, serverId);
            this.o.chunkMap.remove(r.handle, serverId);
            this.o.deletions.add(serverId, r.handle, r.version);
            this.o.log.warn({ handle: r.handle, serverId, version: r.version }, 'replica of a grant that had timed out: deleting it');
            break;
          }
          this.o.garbage.forget(serverId, r.handle);
          this.o.chunkMap.add(r.handle, serverId);
          this.badSeen.delete(r.handle);
          break;
        case 'stale':
          this.o.chunkMap.remove(r.handle, serverId);
          this.o.deletions.add(serverId, r.handle, r.version);
          this.o.log.info({ handle: r.handle, serverId, version: r.version, current: known?.version }, 'stale replica: deleting it');
          break;
        case 'adopt':
          // the version a renew is granting right now: recorded when its commit lands
          if (this.bumping.get(r.handle) === r.version) break;
          adopt.push({ handle: r.handle, version: r.version });
          break;
        case 'garbage':
          if (this.granted.handles.has(r.handle) || this.allocating.has(r.handle)) break; // granted, not recorded yet
          if (!deleting) this.o.garbage.note(serverId, r.handle, now);
          else if (this.o.garbage.isRipe(serverId, r.handle, now, this.cluster.garbageGraceMs)) {
            this.o.deletions.add(serverId, r.handle, r.version);
          }
          break;
      }
    }
  }

  /** Replicas ahead of the master (crash between grant and persist): take their version; the others are stale. */
  private async adopt(serverId: string, list: { handle: number; version: number }[]): Promise<void> {
    const before = new Map(list.map((a) => [a.handle, this.o.store.chunks.get(a.handle)?.version ?? 0]));
    await this.o.store.tx(() => { for (const a of list) this.o.ns.raiseChunkVersion(a.handle, a.version); });
    for (const a of list) {
      const now = this.o.store.chunks.get(a.handle)?.version;
      if (now !== a.version) continue;
      this.o.log.info({ handle: a.handle, from: before.get(a.handle), to: a.version, serverId }, 'adopted newer chunk version');
      for (const other of this.o.chunkMap.holders(a.handle)) {
        if (other === serverId) continue;
        this.o.chunkMap.remove(a.handle, other);
        const old = before.get(a.handle) ?? 0;
        if (old > 0) this.o.deletions.add(other, a.handle, old);
      }
      this.leases.delete(a.handle);
      this.o.chunkMap.add(a.handle, serverId);
    }
  }

  /** Forgets expired leases and old failed grants (bounded memory). */
  pruneLeases(): void {
    const now = this.now();
    for (const [h, l] of this.leases) if (l.expiresAtMs <= now) this.leases.delete(h);
    for (const [h, perServer] of this.failedGrants) {
      for (const [id, f] of perServer) if (now - f.atMs > FAILED_GRANT_MEMORY_MS) perServer.delete(id);
      if (perServer.size === 0) this.failedGrants.delete(h);
    }
  }

  /** Forgets the failed grant of `handle` on `serverId`: a later grant to it succeeded, a copy to it was scheduled or made, or its late report was judged. */
  forgetFailedGrant(handle: number, serverId: string): void {
    const perServer = this.failedGrants.get(handle);
    if (!perServer?.delete(serverId)) return;
    if (perServer.size === 0) this.failedGrants.delete(handle);
  }
}
