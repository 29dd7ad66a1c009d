/**
 * WriteChunk: one client-streaming write through this replica and down the chain.
 *
 * States (changed only in `transition`, logged `from -> to`):
 *   AWAIT_HEADER → OPENING (lease, version, chunk lock, downstream call) → STREAMING
 *   → FINISHING (local commit + downstream ack) → DONE;  any state → FAILED.
 *
 * Ordering and guarantees
 * - Frames are forwarded to chain[0] AS THEY ARRIVE and written locally in parallel (pipelined);
 *   the header sent downstream is ours with `chain.slice(1)` and `from_primary: true`.
 * - The reply is sent only after the local data and meta are fsync'd AND the downstream replied,
 *   so `replicas_written` counts replicas that hold the data durably. With `no_sync` (forwarded
 *   down the chain) nothing is fsync'd: the replicas hold the data in their page cache until
 *   SyncChunks or their background sync (chunk-store.ts).
 * - Back-pressure: the upstream is paused while the downstream `write()` returned false (until
 *   'drain'), while `DOWNSTREAM_FRAMES_MAX` frames are not yet handed to the downstream's socket, or while
 *   `DISK_QUEUE_FRAMES_MAX` frames wait for the disk. Memory per write is a few frames.
 * - Exactly `header.length` bytes must arrive (BAD_FRAME otherwise: more is refused at once,
 *   fewer at the end); nothing is acknowledged for a failed write.
 * - A failure of the downstream fails this call with an error that names the failed server, in
 *   the message and in the `dfs-failed-server` / `dfs-failed-address` metadata (the innermost
 *   failed server is kept when the chain is longer), so the client can exclude it. Local
 *   failures (the chunk cannot be opened, read or written here) name this server, and this
 *   server's file-system errors go out as DISK_ERROR, never as the bare errno (disk-errors.ts).
 *   So a replica that cannot take a write is left out of the retry, whose new lease bumps the
 *   version: the failed replica, which may now differ from the others, is stale.
 * - A downstream that takes no frame and gives no reply for `chainStallMs` (shorter the nearer
 *   the tail) fails the write naming it: a hung replica (stopped process, black-holed link) is
 *   named by the replica before it, before the client's own no-progress timeout blames the head.
 */
import type * as grpc from '@grpc/grpc-js';
import { crc32c } from '../common/crc32c';
import { DfsError, asDfsError } from '../common/errors';
import { WIRE_BYTES, fromServiceError, toServiceError, type WireFrame } from '../common/rpc';
import type { WriteFrame, WriteFrame__Output } from '../generated/dfs/WriteFrame';
import type { WriteHeader, WriteHeader__Output } from '../generated/dfs/WriteHeader';
import type { WriteReply, WriteReply__Output } from '../generated/dfs/WriteReply';
import type { ChunkWriter } from './chunk-store';
import { checkHandle } from './chunk-meta';
import { checkFrameCrc } from './verified-crcs';
import { checkRanges, RangesWriter } from './ranges-writer';
import { diskError } from './disk-errors';
import { FRAME_BYTES_MAX, type ChunkserverContext } from './context';
import type { LinkWriteCall } from '../common/data-link';

/** Frames handed to the downstream call (the data link) but not yet to its socket. */
export const DOWNSTREAM_FRAMES_MAX = 4;
/** Frames received but not yet written to the local file. */
export const DISK_QUEUE_FRAMES_MAX = 4;
/** Frames the upstream Readable (a data-link or gRPC call) may buffer ahead of us. */
const UPSTREAM_READ_AHEAD_FRAMES = 2;

export const FAILED_SERVER_KEY = 'dfs-failed-server';
export const FAILED_ADDRESS_KEY = 'dfs-failed-address';

/**
 * How long a replica waits on its downstream (frames not taken, or the reply at the end) before
 * it names the downstream as failed: `dataTimeoutMs` × after/(after+1), with `after` the replicas
 * after this one. The client waits `dataTimeoutMs`, so the replica just before a hung one always
 * gives up first and the failure names the right server (3 replicas, 30 s: 20 s at the head,
 * 15 s at the second).
 */
export function chainStallMs(dataTimeoutMs: number, after: number): number {
  return Math.max(1, Math.floor(dataTimeoutMs * after / (after + 1)));
}

type WriteState = 'AWAIT_HEADER' | 'OPENING' | 'STREAMING' | 'FINISHING' | 'DONE' | 'FAILED';

export interface FailedServer {
  id: string;
  address: string;
}

/** An error together with the server that caused it (when it is a server's fault). */
export class ChainFailure extends Error {
  constructor(readonly error: DfsError, readonly failed: FailedServer | undefined) {
    super(error.message);
  }
}

export function handleWriteChunk(
  ctx: ChunkserverContext,
  call: grpc.ServerReadableStream<WriteFrame__Output, WriteReply>,
  callback: grpc.sendUnaryData<WriteReply>,
): void {
  new WritePipeline(ctx, call, callback).start();
}

/**
 * The checks every frame must pass. `chunkOffset`: where the frame's data goes in the chunk,
 * when it goes to one place (not a ranges write); its blocks' CRCs are then kept for the writer
 * (verified-crcs.ts).
 */
export function checkFrame(frame: WriteFrame__Output, receivedBytes: number, lengthBytes: number, chunkOffset?: number): void {
  const data = frame.data ?? Buffer.alloc(0);
  if (data.length > FRAME_BYTES_MAX) throw new DfsError('BAD_FRAME', `frame of ${data.length} bytes exceeds ${FRAME_BYTES_MAX}`);
  const crcOk = chunkOffset === undefined ? crc32c(data) === (frame.crc32c >>> 0) : checkFrameCrc(data, chunkOffset, frame.crc32c);
  if (!crcOk) throw new DfsError('CHECKSUM_MISMATCH', 'frame CRC32C does not match its data');
  if (receivedBytes + data.length > lengthBytes) {
    throw new DfsError('BAD_FRAME', `more data than the announced ${lengthBytes} bytes`);
  }
}

/** Where the byte `receivedBytes` into a write goes in the chunk; undefined for a ranges write. */
export function chunkOffsetOf(header: WriteHeader__Output, receivedBytes: number): number | undefined {
  return header.ranges.length === 0 ? Number(header.offset) + receivedBytes : undefined;
}

/** The optional set_length of a header, or undefined when absent. */
export function setLengthOf(header: WriteHeader__Output): number | undefined {
  return header._setLength === 'setLength' && typeof header.setLength === 'number' ? header.setLength : undefined;
}

class WritePipeline {
  private state: WriteState = 'AWAIT_HEADER';
  private header!: WriteHeader__Output;
  private writer: ChunkWriter | undefined;
  /** False once commit() started: from then on the writer cleans up after itself. */
  private writerOwned = false;
  private downstream: LinkWriteCall | undefined;
  private downstreamReply: Promise<WriteReply__Output> | undefined;
  private downstreamBlocked = false;
  private downstreamPendingFrames = 0;
  /** Fires when the downstream took nothing and answered nothing for chainStallMs while we wait on it. */
  private downstreamTimer: NodeJS.Timeout | undefined;
  private readonly diskQueue: Buffer[] = [];
  private diskBusy = false;
  /** Bytes of the frames received and checked so far. */
  private receivedBytes = 0;
  /** Frames that arrived while OPENING (before the pause took effect), in order. */
  private readonly early: WriteFrame__Output[] = [];
  private upstreamEnded = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly log;

  constructor(
    private readonly ctx: ChunkserverContext,
    private readonly call: grpc.ServerReadableStream<WriteFrame__Output, WriteReply>,
    private readonly callback: grpc.sendUnaryData<WriteReply>,
  ) {
    this.log = ctx.log.child({ rpc: 'WriteChunk' });
  }

  start(): void {
    const rs = (this.call as unknown as { _readableState?: { highWaterMark: number } })._readableState;
    if (rs) rs.highWaterMark = UPSTREAM_READ_AHEAD_FRAMES;
    this.call.on('data', (frame: WriteFrame__Output) => this.onFrame(frame));
    this.call.on('end', () => { this.upstreamEnded = true; this.maybeFinish(); });
    this.call.on('error', (e) => this.fail(asDfsError(e)));
    this.call.on('cancelled', () => this.fail(new DfsError('CANCELLED', 'the writer cancelled the call')));
    const idleMs = this.ctx.config.client.dataTimeoutMs;
    this.idleTimer = setTimeout(() => this.fail(new DfsError('ETIMEDOUT', `no progress for ${idleMs} ms`)), idleMs);
    this.idleTimer.unref();
  }

  /** Something moved: the no-progress timer starts again. */
  private progress(): void {
    this.idleTimer?.refresh();
  }

  private transition(to: WriteState): void {
    const from = this.state;
    this.state = to;
    this.log.debug({ handle: this.header?.handle, from, to }, `write state ${from} -> ${to}`);
  }

  private onFrame(frame: WriteFrame__Output): void {
    if (this.state === 'FAILED' || this.state === 'DONE') return;
    try {
      if (this.state === 'AWAIT_HEADER') {
        if (!frame.header) throw new DfsError('BAD_FRAME', 'the first frame has no header');
        this.header = frame.header;
        checkHandle(this.header.handle);
        checkFrame(frame, 0, this.header.length, chunkOffsetOf(this.header, 0));
        this.receivedBytes = frame.data?.length ?? 0;
        this.transition('OPENING');
        this.updateFlow();
        this.open().then(() => {
          if (this.state !== 'OPENING') return;
          this.transition('STREAMING');
          this.accept(frame);
          for (const f of this.early.splice(0)) this.accept(f);
          this.updateFlow();
          this.maybeFinish();
        }, (e) => this.fail(e));
        return;
      }
      if (frame.header) throw new DfsError('BAD_FRAME', 'a header in a frame after the first');
      checkFrame(frame, this.receivedBytes, this.header.length, chunkOffsetOf(this.header, this.receivedBytes));
      this.receivedBytes += frame.data?.length ?? 0;
      this.progress();
      if (this.state === 'OPENING') this.early.push(frame);
      else this.accept(frame);
      this.updateFlow();
    } catch (e) {
      this.fail(e);
    }
  }

  /**
   * Lease and version checks, then the downstream call and the local writer (the chunk's lock)
   * at once: each replica opens its writer while the header travels on, not one after the other.
   */
  private async open(): Promise<void> {
    const ranges = checkWriteHeader(this.ctx, this.header);
    if (this.header.chain.length > 0) this.openDownstream();
    const writer = await openChunkWriter(this.ctx, this.header, ranges).catch((e) => { throw localFailure(this.ctx, e); });
    this.writer = writer;
    this.writerOwned = true;
    if (this.state !== 'OPENING') {
      // failed while we waited for the lock (the downstream was cancelled by fail())
      this.writerOwned = false;
      await writer.abort();
    }
  }

  private openDownstream(): void {
    const h = this.header;
    const next = h.chain[0];
    const failed: FailedServer = { id: next.serverId, address: next.address };
    const link = this.ctx.links.get(next.address);
    this.downstreamReply = new Promise<WriteReply__Output>((resolve, reject) => {
      this.downstream = link.WriteChunk((err, reply) => (err ? reject(err) : resolve(reply!)));
    });
    this.downstreamReply.catch((e) => this.fail(downstreamFailure(e, failed)));
    this.downstream!.on('error', () => undefined); // reported through the callback
    const stallMs = chainStallMs(this.ctx.config.client.dataTimeoutMs, h.chain.length);
    this.downstreamTimer = setTimeout(() => {
      if (this.state === 'DONE' || this.state === 'FAILED') return;
      if (this.downstreamPendingFrames === 0 && this.state !== 'FINISHING') {
        this.downstreamTimer?.refresh(); // nothing asked of the downstream: not its fault
        return;
      }
      this.fail(new ChainFailure(
        new DfsError('ETIMEDOUT', `chain replica ${next.serverId || '?'} at ${next.address} made no progress for ${stallMs} ms`), failed));
    }, stallMs);
    this.downstreamTimer.unref();
    this.forward({ header: forwardedHeader(h), data: Buffer.alloc(0), crc32c: 0 });
  }

  /** Sends a frame down the chain: a WriteFrame, or one already encoded (its WIRE_BYTES). */
  private forward(frame: WriteFrame | Buffer): void {
    const ds = this.downstream;
    if (!ds) return;
    if (this.downstreamPendingFrames === 0) this.downstreamTimer?.refresh(); // a wait on it starts
    this.downstreamPendingFrames++;
    const ok = ds.write(frame, () => {
      this.downstreamPendingFrames--;
      this.downstreamTimer?.refresh();
      this.progress();
      this.updateFlow();
    });
    if (!ok && !this.downstreamBlocked) {
      this.downstreamBlocked = true;
      ds.once('drain', () => {
        this.downstreamBlocked = false;
        this.updateFlow();
      });
    }
  }

  /** A checked data frame: down the chain and into the disk queue. */
  private accept(frame: WriteFrame__Output): void {
    const data = frame.data ?? Buffer.alloc(0);
    if (data.length === 0) return;
    this.forward((frame as WireFrame)[WIRE_BYTES] ?? { data, crc32c: frame.crc32c });
    this.diskQueue.push(data);
    void this.pumpDisk();
  }

  private async pumpDisk(): Promise<void> {
    if (this.diskBusy) return;
    this.diskBusy = true;
    try {
      while (this.diskQueue.length > 0 && this.state === 'STREAMING') {
        const data = this.diskQueue.shift()!;
        this.updateFlow();
        await this.writer!.write(data);
        this.progress();
      }
    } catch (e) {
      this.fail(localFailure(this.ctx, e));
    } finally {
      this.diskBusy = false;
    }
    this.updateFlow();
    this.maybeFinish();
  }

  private updateFlow(): void {
    if (this.state === 'DONE' || this.state === 'FAILED') return;
    const hold = this.state === 'OPENING' || this.downstreamBlocked
      || this.downstreamPendingFrames >= DOWNSTREAM_FRAMES_MAX || this.diskQueue.length >= DISK_QUEUE_FRAMES_MAX;
    if (hold && !this.call.isPaused()) this.call.pause();
    else if (!hold && this.call.isPaused()) this.call.resume();
  }

  private maybeFinish(): void {
    if (!this.upstreamEnded) return;
    if (this.state === 'AWAIT_HEADER') {
      this.fail(new DfsError('BAD_FRAME', 'the write ended without a header'));
      return;
    }
    if (this.state !== 'STREAMING' || this.diskBusy || this.diskQueue.length > 0) return;
    if (this.receivedBytes !== this.header.length) {
      this.fail(new DfsError('BAD_FRAME', `the write ended after ${this.receivedBytes} of ${this.header.length} bytes`));
      return;
    }
    this.transition('FINISHING');
    void this.finish();
  }

  private async finish(): Promise<void> {
    this.downstreamTimer?.refresh(); // from now on the downstream owes its reply
    this.downstream?.end();
    this.writerOwned = false;
    const [local, remote] = await Promise.allSettled([
      this.writer!.commit(setLengthOf(this.header), !this.header.noSync),
      this.downstreamReply ?? Promise.resolve(undefined),
    ]);
    if (local.status === 'rejected') {
      this.fail(localFailure(this.ctx, local.reason));
      return;
    }
    if (remote.status === 'rejected') return; // already failed by the downstream's handler
    if (this.state !== 'FINISHING') return;
    this.transition('DONE');
    clearTimeout(this.idleTimer);
    clearTimeout(this.downstreamTimer);
    this.callback(null, { chunkLength: local.value, replicasWritten: 1 + (remote.value?.replicasWritten ?? 0) });
  }

  private fail(e: unknown): void {
    if (this.state === 'DONE' || this.state === 'FAILED') return;
    const failure = e instanceof ChainFailure ? e : new ChainFailure(asDfsError(e), undefined);
    this.transition('FAILED');
    clearTimeout(this.idleTimer);
    clearTimeout(this.downstreamTimer);
    this.early.length = 0;
    this.log.warn({ handle: this.header?.handle, code: failure.error.code, failed: failure.failed?.id, err: failure.message }, 'write failed');
    this.diskQueue.length = 0;
    this.downstream?.cancel();
    if (this.writer && this.writerOwned) {
      this.writerOwned = false;
      this.writer.abort().catch((err) => this.log.error({ err: String(err) }, 'abort failed'));
    }
    this.callback(chainServiceError(failure));
    // Keep reading (and dropping) what the writer still sends so its stream is not stuck.
    if (this.call.isPaused()) this.call.resume();
  }
}

/**
 * The checks of a write's header before anything is opened (set_length, the primary's lease and
 * version, the ranges); returns the ranges (empty: the single range offset/length).
 */
export function checkWriteHeader(ctx: ChunkserverContext, h: WriteHeader__Output): Array<{ offset: number; length: number }> {
  const setLength = setLengthOf(h);
  if (setLength !== undefined && (!Number.isSafeInteger(setLength) || setLength < 0)) {
    throw new DfsError('EINVAL', `invalid set_length ${setLength}`);
  }
  if (!h.fromPrimary) ctx.leases.check(h.handle, h.version);
  const ranges = h.ranges.map((r) => ({ offset: Number(r.offset), length: Number(r.length) }));
  if (ranges.length > 0) {
    if (ranges[0].offset !== h.offset) throw new DfsError('EINVAL', `offset ${h.offset} is not the first range's (${ranges[0].offset})`);
    checkRanges(ranges, h.length);
  }
  return ranges;
}

/** The local writer of a checked header (waits for the chunk's lock). */
export function openChunkWriter(ctx: ChunkserverContext, h: WriteHeader__Output, ranges: Array<{ offset: number; length: number }>): Promise<ChunkWriter> {
  return ranges.length > 0
    ? RangesWriter.open(ctx.store, h.handle, h.version, ranges)
    : ctx.store.openWriter(h.handle, h.version, h.offset, h.length);
}

/** The header this replica sends to the next one of the chain. */
export function forwardedHeader(h: WriteHeader__Output): WriteHeader {
  return {
    handle: h.handle, version: h.version, offset: h.offset, length: h.length,
    chain: h.chain.slice(1), fromPrimary: true, setLength: setLengthOf(h), ranges: h.ranges, noSync: h.noSync,
  };
}

/**
 * A failure of this replica's own open, write or commit: its fault, unless the request was
 * wrong. A file-system error is DISK_ERROR (or ENOSPC), never its bare errno.
 */
export function localFailure(ctx: ChunkserverContext, e: unknown): ChainFailure {
  if (e instanceof ChainFailure) return e;
  const err = asDfsError(diskError(e, 'disk error'));
  if (isRequestError(err)) return new ChainFailure(err, undefined);
  const named = new DfsError(err.code, `replica ${ctx.id || '?'} at ${ctx.address} failed: ${err.message}`, { cause: err });
  return new ChainFailure(named, { id: ctx.id, address: ctx.address });
}

/** A chain failure as the error a handler replies with, naming the failed server in its metadata. */
export function chainServiceError(failure: ChainFailure): grpc.ServiceError {
  const se = toServiceError(failure.error);
  if (failure.failed) {
    se.metadata!.set(FAILED_SERVER_KEY, failure.failed.id);
    se.metadata!.set(FAILED_ADDRESS_KEY, failure.failed.address);
  }
  return se as grpc.ServiceError;
}

/** Errors caused by the request itself, not by a server's failure. */
function isRequestError(e: DfsError): boolean {
  return ['BAD_FRAME', 'EINVAL', 'STALE_VERSION', 'LEASE_EXPIRED', 'NOT_PRIMARY', 'CANCELLED'].includes(e.code);
}

/**
 * The downstream's error, naming the innermost failed server of the chain. `e` is a grpc-js
 * error, or a DfsError of a Calls stream with the server's metadata on its `cause`.
 */
export function downstreamFailure(e: unknown, next: FailedServer): ChainFailure {
  const err = fromServiceError(e, 'WriteChunk');
  const md = (e as grpc.ServiceError)?.metadata ?? ((err.cause as grpc.ServiceError | undefined)?.metadata);
  const nestedId = md?.get(FAILED_SERVER_KEY)?.[0];
  const nestedAddress = md?.get(FAILED_ADDRESS_KEY)?.[0];
  if (typeof nestedId === 'string' && typeof nestedAddress === 'string') {
    return new ChainFailure(err, { id: nestedId, address: nestedAddress });
  }
  // CANCELLED from the next replica: its server ended the call (stopping), this hop did not
  // cancel it. For the writer that is a replica gone (retry without it), not its own cancel.
  const code = err.code === 'CANCELLED' ? 'UNAVAILABLE' : err.code;
  const named = new DfsError(code, `chain replica ${next.id || '?'} at ${next.address} failed: ${err.message}`, { cause: e });
  return new ChainFailure(named, next);
}
