/**
 * One attempt of a chunk transfer against one chunkserver: a WriteChunk stream to a primary, or
 * a ReadChunk stream from one replica, both over the data link (src/common/data-link.ts). Retries, failover and leases live in
 * the caller (dfs-client.ts); these functions only move frames and turn every failure into a
 * DfsError.
 *
 * Contracts:
 * - Frames are sent as given (views, never copies), each with its CRC32C; when `write()` returns
 *   false the next frame waits for 'drain'.
 * - Received frames are checked against their CRC32C before they are handed on; a mismatch
 *   fails the attempt with CHECKSUM_MISMATCH (frames before it were good and were delivered).
 * - No progress for `dataTimeoutMs` cancels the call and fails it with ETIMEDOUT, so a stuck
 *   server never hangs the caller.
 */
import { DfsError, asDfsError } from '../common/errors';
import { fromServiceError } from '../common/rpc';
import { crc32c } from '../common/crc32c';
import type { ChunkserverClient } from '../common/rpc';
import type { WriteHeader } from '../generated/dfs/WriteHeader';
import type { WriteReply__Output } from '../generated/dfs/WriteReply';
import type { ReadRequest } from '../generated/dfs/ReadRequest';
import type { DataFrame__Output } from '../generated/dfs/DataFrame';
import { chunkserverCallsOf } from '../common/meta-calls';
import { joinParts } from '../common/byte-parts';
import type { DataLink } from '../common/data-link';

/** Fails a transfer that made no progress for `ms`. touch() on every frame. */
class IdleTimer {
  private timer: NodeJS.Timeout;
  constructor(private readonly ms: number, private readonly onIdle: () => void) {
    this.timer = setTimeout(onIdle, ms);
  }
  touch(): void {
    this.timer.refresh();
  }
  stop(): void {
    clearTimeout(this.timer);
  }
}

/** An error raised by the data source (not by the server): never retried against another server. */
export class SourceError extends DfsError {}

/** A failure of the frames' source: a DfsError as it is, anything else as a SourceError. */
function asSourceError(e: unknown): DfsError {
  return e instanceof DfsError ? e : new SourceError(asDfsError(e).code, (e as Error)?.message ?? String(e), { cause: e });
}

/**
 * Writes `length` bytes from `frames` at `header.offset` of a chunk through the primary at the
 * head of the chain. Resolves with the primary's reply once every replica of the chain has the
 * data durably.
 */
export function writeChunkOnce(
  cs: DataLink,
  header: WriteHeader,
  frames: AsyncIterable<Buffer> | Iterable<Buffer>,
  dataTimeoutMs: number,
): Promise<WriteReply__Output> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (err: DfsError | null, reply?: WriteReply__Output): void => {
      if (settled) return;
      settled = true;
      idle.stop();
      wakeDrain();
      if (err) reject(err);
      else resolve(reply!);
    };
    const idle = new IdleTimer(dataTimeoutMs, () => {
      settle(new DfsError('ETIMEDOUT', `WriteChunk ${header.handle}: no progress for ${dataTimeoutMs} ms`));
      call.cancel();
    });
    const call = cs.WriteChunk((err, reply) => {
      settle(err ? fromServiceError(err, 'WriteChunk') : null, reply);
    });
    let wakeDrain: () => void = () => {};
    const drained = (): Promise<void> => new Promise<void>((res) => {
      wakeDrain = () => { call.off('drain', wakeDrain); res(); };
      call.once('drain', wakeDrain);
    });
    const pump = async (): Promise<void> => {
      if (!call.write({ header, data: Buffer.alloc(0), crc32c: 0 })) await drained();
      let sent = 0;
      for await (const data of frames) {
        if (settled) return;
        sent += data.length;
        idle.touch();
        if (!call.write({ data, crc32c: crc32c(data) })) await drained();
      }
      if (settled) return;
      if (sent !== Number(header.length)) throw new SourceError('EIO', `source gave ${sent} bytes for a ${header.length}-byte chunk write`);
      call.end();
    };
    pump().catch((e) => {
      settle(asSourceError(e));
      call.cancel();
    });
  });
}

/**
 * Writes at most WRITE_SMALL_BYTES_MAX bytes of a chunk with one WriteSmall message on the
 * primary's Calls stream (no HTTP/2 stream per write, nor per hop down the chain): the same
 * reply and errors as writeChunkOnce. The source's buffers are joined into one frame.
 */
export async function writeSmallOnce(
  cs: ChunkserverClient,
  header: WriteHeader,
  frames: AsyncIterable<Buffer> | Iterable<Buffer>,
  timeoutMs: number,
): Promise<WriteReply__Output> {
  const parts: Buffer[] = [];
  try {
    for await (const data of frames) parts.push(data);
  } catch (e) {
    throw asSourceError(e);
  }
  const data = joinParts(parts);
  if (data.length !== Number(header.length)) throw new SourceError('EIO', `source gave ${data.length} bytes for a ${header.length}-byte chunk write`);
  return chunkserverCallsOf(cs).call<WriteReply__Output>('WriteSmall', { header, data, crc32c: crc32c(data) }, timeoutMs);
}

/**
 * Reads at most READ_SMALL_BYTES_MAX bytes of a chunk from one replica with one ReadSmall
 * message on the server's Calls stream (no HTTP/2 stream per read), verified as ReadChunk's
 * frames. Resolves with the bytes delivered (fewer than asked at the end of the chunk).
 */
export async function readSmallOnce(
  cs: ChunkserverClient,
  req: ReadRequest,
  onFrame: (data: Buffer) => void | Promise<void>,
  timeoutMs: number,
): Promise<number> {
  const frame = await chunkserverCallsOf(cs).call<DataFrame__Output>('ReadSmall', req, timeoutMs);
  const data = frame.data ?? Buffer.alloc(0);
  if (crc32c(data) !== frame.crc32c >>> 0) throw new DfsError('CHECKSUM_MISMATCH', `ReadSmall ${req.handle}: frame CRC32C mismatch`);
  if (data.length > Number(req.length ?? 0)) throw new DfsError('BAD_FRAME', `ReadSmall ${req.handle}: ${data.length} bytes for a read of ${req.length}`);
  if (data.length > 0) await onFrame(data);
  return data.length;
}

/**
 * Reads a chunk range from one replica, calling `onFrame` with each verified frame in order.
 * When `onFrame` returns a promise, the stream is paused until it resolves (back-pressure).
 * Resolves with the bytes delivered (fewer than asked at the end of the chunk). `signal`
 * cancels the read (CANCELLED; its connection is closed).
 */
export function readChunkOnce(
  cs: DataLink,
  req: ReadRequest,
  onFrame: (data: Buffer) => void | Promise<void>,
  dataTimeoutMs: number,
  signal?: AbortSignal,
): Promise<number> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let delivered = 0;
    let pending: Promise<void> = Promise.resolve();
    const settle = (err: DfsError | null): void => {
      if (settled) return;
      settled = true;
      idle.stop();
      if (err) {
        call.cancel();
        reject(err);
      } else {
        resolve(delivered);
      }
    };
    const idle = new IdleTimer(dataTimeoutMs, () => {
      settle(new DfsError('ETIMEDOUT', `ReadChunk ${req.handle}: no progress for ${dataTimeoutMs} ms`));
    });
    const call = cs.ReadChunk(req);
    signal?.addEventListener('abort', () => settle(new DfsError('CANCELLED', `ReadChunk ${req.handle}: cancelled`)), { once: true });
    call.on('data', (frame: DataFrame__Output) => {
      if (settled) return;
      idle.touch();
      if (crc32c(frame.data) !== frame.crc32c >>> 0) {
        settle(new DfsError('CHECKSUM_MISMATCH', `ReadChunk ${req.handle}: frame CRC32C mismatch at +${delivered}`));
        return;
      }
      delivered += frame.data.length;
      const wait = onFrame(frame.data);
      if (wait) {
        call.pause();
        pending = wait.then(() => { idle.touch(); if (!settled) call.resume(); }, (e) => settle(asDfsError(e)));
      }
    });
    call.on('error', (e) => settle(fromServiceError(e, 'ReadChunk')));
    call.on('end', () => { void pending.then(() => settle(null)); });
  });
}
