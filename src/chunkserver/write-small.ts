/**
 * WriteSmall: a chunk write of at most WRITE_SMALL_BYTES_MAX in one message (header and all the
 * data), served on the Calls stream. The primary sends it on to every other replica at once (a
 * WriteSmall with an empty chain on each one's Calls stream) instead of down the chain: for a few
 * KiB the chain saves no bandwidth, and each hop in series is one more round trip on a network
 * (3 replicas: 2 hops in series instead of 3; on one 2-core machine the gain is within the
 * noise). A small file's write costs a
 * message per replica instead of an HTTP/2 stream per hop (headers, trailers and the stream's
 * state on both sides).
 *
 * Same checks and guarantees as WriteChunk (write-pipeline.ts): the frame's CRC32C, exactly
 * `header.length` bytes, the primary's lease and version, the ranges; the local write and the
 * other replicas' run at once, and the reply comes only when this replica committed AND every
 * other replica replied. A failure names the failed server in `dfs-failed-server` /
 * `dfs-failed-address` (MetaResult.metadata on the stream).
 */
import type * as grpc from '@grpc/grpc-js';
import { DfsError, asDfsError } from '../common/errors';
import { WRITE_SMALL_BYTES_MAX } from '../common/rpc';
import { chunkserverCallsOf } from '../common/meta-calls';
import type { WriteFrame__Output } from '../generated/dfs/WriteFrame';
import type { WriteHeader__Output } from '../generated/dfs/WriteHeader';
import type { WriteReply, WriteReply__Output } from '../generated/dfs/WriteReply';
import { checkHandle } from './chunk-meta';
import type { ChunkserverContext } from './context';
import {
  ChainFailure, chainServiceError, chainStallMs, checkFrame, checkWriteHeader, chunkOffsetOf, downstreamFailure, forwardedHeader, localFailure,
  openChunkWriter, setLengthOf,
} from './write-pipeline';

export function handleWriteSmall(
  ctx: ChunkserverContext,
  call: grpc.ServerUnaryCall<WriteFrame__Output, WriteReply>,
  callback: grpc.sendUnaryData<WriteReply>,
): void {
  writeSmall(ctx, call.request).then(
    (reply) => callback(null, reply),
    (e) => {
      // a ChainFailure names the failed server; a refused request (checks) names nobody
      const failure = e instanceof ChainFailure ? e : new ChainFailure(asDfsError(e), undefined);
      ctx.log.warn({ handle: call.request?.header?.handle, code: failure.error.code, failed: failure.failed?.id, err: failure.message }, 'small write failed');
      callback(chainServiceError(failure));
    },
  );
}

async function writeSmall(ctx: ChunkserverContext, frame: WriteFrame__Output): Promise<WriteReply> {
  const h = frame.header;
  if (!h) throw new DfsError('BAD_FRAME', 'WriteSmall without a header');
  checkHandle(h.handle);
  if (h.length > WRITE_SMALL_BYTES_MAX) {
    throw new DfsError('EINVAL', `WriteSmall of ${h.length} bytes: at most ${WRITE_SMALL_BYTES_MAX} (WriteChunk streams more)`);
  }
  checkFrame(frame, 0, h.length, chunkOffsetOf(h, 0));
  const data = frame.data ?? Buffer.alloc(0);
  if (data.length !== h.length) throw new DfsError('BAD_FRAME', `the write carries ${data.length} of ${h.length} bytes`);
  const ranges = checkWriteHeader(ctx, h);

  // to the other replicas at once, while this replica writes (fan-out, see the header)
  const downstream = fanOut(ctx, frame, h);
  // The local write of a small write is synchronous (InlineFile), and HTTP/2 sends what the
  // calls queued only at the loop's next check phase: without this turn the other replicas got
  // the write after this one had written it (measured: ~1.3 ms later, more on a busy machine).
  if (h.chain.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
  const [local, remote] = await Promise.allSettled([writeLocal(ctx, frame, ranges), downstream]);
  if (local.status === 'rejected') throw local.reason;
  if (remote.status === 'rejected') throw remote.reason;
  return { chunkLength: local.value, replicasWritten: 1 + remote.value };
}

/**
 * Sends the write to every replica of `h.chain` in parallel, each with an empty chain; resolves
 * with the replicas written there, or rejects naming the first one that failed. Each gets
 * chainStallMs(dataTimeoutMs, 1): less than this replica's own caller waits, so a hung one is
 * named here, not this replica.
 */
async function fanOut(ctx: ChunkserverContext, frame: WriteFrame__Output, h: WriteHeader__Output): Promise<number> {
  if (h.chain.length === 0) return 0;
  const header = { ...forwardedHeader(h), chain: [] };
  const forwarded = { header, data: frame.data ?? Buffer.alloc(0), crc32c: frame.crc32c };
  const stallMs = chainStallMs(ctx.config.client.dataTimeoutMs, 1);
  const results = await Promise.allSettled(h.chain.map((member) => {
    const next = { id: member.serverId, address: member.address };
    return chunkserverCallsOf(ctx.clients.get(next.address))
      .call<WriteReply__Output>('WriteSmall', forwarded, stallMs)
      .then((r) => r.replicasWritten, (e) => { throw downstreamFailure(e, next); });
  }));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.reduce((n, r) => n + (r as PromiseFulfilledResult<number>).value, 0);
}

/**
 * This replica's part: open (the chunk's lock), write, commit; returns the chunk length. As in
 * WriteChunk, a failed open, write or commit names this server (localFailure), unless the
 * request was wrong (a version or lease refused). That matters most here: the other replicas
 * write at the same time, so when this one cannot (its disk refuses the file), they hold bytes
 * it lacks at the same version until the client's retry, without this server, bumps it.
 */
async function writeLocal(ctx: ChunkserverContext, frame: WriteFrame__Output, ranges: Array<{ offset: number; length: number }>): Promise<number> {
  const h = frame.header!;
  const writer = await openChunkWriter(ctx, h, ranges).catch((e) => { throw localFailure(ctx, e); });
  try {
    if (frame.data.length > 0) await writer.write(frame.data);
  } catch (e) {
    await writer.abort().catch(() => undefined);
    throw localFailure(ctx, e);
  }
  return writer.commit(setLengthOf(h), !h.noSync).catch((e) => { throw localFailure(ctx, e); });
}
