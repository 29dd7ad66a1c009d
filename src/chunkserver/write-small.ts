/**
 * WriteSmall: a chunk write of at most WRITE_SMALL_BYTES_MAX in one message (header and all the
 * data), served on the Calls stream and forwarded down the chain as a WriteSmall on the next
 * replica's Calls stream. A small file's write costs a message per hop instead of an HTTP/2
 * stream per hop (headers, trailers and the stream's state on both sides).
 *
 * Same checks and guarantees as WriteChunk (write-pipeline.ts): the frame's CRC32C, exactly
 * `header.length` bytes, the primary's lease and version, the ranges; the local write and the
 * downstream run at once, and the reply comes only when this replica committed AND the
 * downstream replied. A failure names the failed server in `dfs-failed-server` /
 * `dfs-failed-address` (MetaResult.metadata on the stream), the innermost one of the chain.
 */
import type * as grpc from '@grpc/grpc-js';
import { DfsError, asDfsError } from '../common/errors';
import { WRITE_SMALL_BYTES_MAX } from '../common/rpc';
import { chunkserverCallsOf } from '../common/meta-calls';
import type { WriteFrame__Output } from '../generated/dfs/WriteFrame';
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

  // down the chain while this replica writes
  let downstream: Promise<WriteReply__Output | undefined> = Promise.resolve(undefined);
  if (h.chain.length > 0) {
    const next = { id: h.chain[0].serverId, address: h.chain[0].address };
    const forwarded = { header: forwardedHeader(h), data, crc32c: frame.crc32c };
    downstream = chunkserverCallsOf(ctx.clients.get(next.address))
      .call<WriteReply__Output>('WriteSmall', forwarded, chainStallMs(ctx.config.client.dataTimeoutMs, h.chain.length))
      .catch((e) => { throw downstreamFailure(e, next); });
  }
  const [local, remote] = await Promise.allSettled([writeLocal(ctx, frame, ranges), downstream]);
  if (local.status === 'rejected') throw local.reason;
  if (remote.status === 'rejected') throw remote.reason;
  return { chunkLength: local.value, replicasWritten: 1 + (remote.value?.replicasWritten ?? 0) };
}

/**
 * This replica's part: open (the chunk's lock), write, commit; returns the chunk length. As in
 * WriteChunk, a refused open (missing chunk, version) names nobody here (the upstream replica
 * names this one); a failed write or commit names this server.
 */
async function writeLocal(ctx: ChunkserverContext, frame: WriteFrame__Output, ranges: Array<{ offset: number; length: number }>): Promise<number> {
  const h = frame.header!;
  const writer = await openChunkWriter(ctx, h, ranges).catch((e) => { throw new ChainFailure(asDfsError(e), undefined); });
  try {
    if (frame.data.length > 0) await writer.write(frame.data);
  } catch (e) {
    await writer.abort().catch(() => undefined);
    throw localFailure(ctx, e);
  }
  return writer.commit(setLengthOf(h), !h.noSync).catch((e) => { throw localFailure(ctx, e); });
}
