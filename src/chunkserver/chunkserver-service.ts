/**
 * The `Chunkserver` gRPC service: thin adapters from RPCs to the chunk store, the lease table,
 * the write pipeline (write-pipeline.ts, write-small.ts) and replication (replicate.ts). Errors
 * travel as DfsError codes (src/common/rpc.ts).
 */
import { once } from 'node:events';
import type * as grpc from '@grpc/grpc-js';
import { frameCrcOf } from './verified-crcs';
import { DfsError } from '../common/errors';
import { READ_SMALL_BYTES_MAX, toServiceError, unary } from '../common/rpc';
import { joinParts } from '../common/byte-parts';
import type { ChunkserverHandlers } from '../generated/dfs/Chunkserver';
import type { DataFrame } from '../generated/dfs/DataFrame';
import type { ReadRequest__Output } from '../generated/dfs/ReadRequest';
import type { GrantRequest__Output } from '../generated/dfs/GrantRequest';
import type { GrantReply } from '../generated/dfs/GrantReply';
import { checkHandle } from './chunk-meta';
import { FRAME_BYTES_MAX, type ChunkserverContext } from './context';
import { replicateChunk } from './replicate';
import { handleWriteChunk } from './write-pipeline';
import { handleWriteSmall } from './write-small';

/** `calls` serves the Calls stream (the multiplexed unary methods, see meta-calls.ts). */
export function chunkserverHandlers(ctx: ChunkserverContext, calls: ChunkserverHandlers['Calls']): ChunkserverHandlers {
  return {
    Calls: calls,
    WriteChunk: (call, callback) => handleWriteChunk(ctx, call, callback),
    WriteSmall: (call, callback) => handleWriteSmall(ctx, call, callback),
    ReadChunk: (call) => { void readChunk(ctx, call); },
    ReadSmall: unary(async (req: ReadRequest__Output) => readSmall(ctx, req)),
    Grant: unary(async (req: GrantRequest__Output) => grant(ctx, req)),
    ChunkStat: unary(async (req) => {
      const handle = checkHandle(req.handle);
      const st = ctx.store.get(handle);
      if (!st) throw new DfsError('CHUNK_NOT_FOUND', `chunk ${handle} not found`);
      if (st.bad) throw new DfsError('CHECKSUM_MISMATCH', `replica of chunk ${handle} is bad`);
      return { handle, version: st.version, length: st.lengthBytes };
    }),
    SyncChunks: unary(async (req) => {
      await ctx.store.syncChunks(req.handles.map((h) => checkHandle(h)));
      return {};
    }),
    Replicate: unary(async (req) => {
      if (!req.task) throw new DfsError('EINVAL', 'Replicate without a task');
      return replicateChunk(ctx, req.task);
    }),
  };
}

/** Grant: create at `version`, or move expected_version → version; then take or drop the lease. */
export async function grant(ctx: ChunkserverContext, req: GrantRequest__Output): Promise<GrantReply> {
  const handle = checkHandle(req.handle);
  const st = req.create
    ? await ctx.store.create(handle, req.version)
    : await ctx.store.setVersion(handle, req.expectedVersion, req.version);
  if (req.primary) ctx.leases.grant(handle, req.version, req.leaseDurationMs);
  else ctx.leases.revoke(handle);
  ctx.log.debug({ handle, version: req.version, primary: req.primary }, 'granted');
  return { length: st.lengthBytes };
}

/** ReadSmall: the verified bytes of a read of at most READ_SMALL_BYTES_MAX, in one frame. */
async function readSmall(ctx: ChunkserverContext, req: ReadRequest__Output): Promise<DataFrame> {
  const handle = checkHandle(req.handle);
  if (req.length > READ_SMALL_BYTES_MAX) {
    throw new DfsError('EINVAL', `ReadSmall of ${req.length} bytes: at most ${READ_SMALL_BYTES_MAX} (ReadChunk streams more)`);
  }
  const parts: Buffer[] = [];
  for await (const data of ctx.store.read(handle, req.version, req.offset, req.length, READ_SMALL_BYTES_MAX)) parts.push(data);
  const data = joinParts(parts);
  return { data, crc32c: frameCrcOf(data) };
}

/**
 * ReadChunk: verified bytes in frames of `client.frameBytes` (at most FRAME_BYTES_MAX), each with
 * its CRC32C. Waits for 'drain' whenever `write()` returns false; stops when the reader cancels.
 */
async function readChunk(ctx: ChunkserverContext, call: grpc.ServerWritableStream<ReadRequest__Output, DataFrame>): Promise<void> {
  const req = call.request;
  const frameBytes = Math.min(ctx.config.client.frameBytes, FRAME_BYTES_MAX);
  let cancelled = false;
  call.on('cancelled', () => { cancelled = true; call.emit('drain'); });
  try {
    const handle = checkHandle(req.handle);
    for await (const data of ctx.store.read(handle, req.version, req.offset, req.length, frameBytes)) {
      if (cancelled) break;
      if (!call.write({ data, crc32c: frameCrcOf(data) })) await once(call, 'drain');
    }
    if (!cancelled) call.end();
  } catch (e) {
    if (!cancelled) call.emit('error', toServiceError(e));
  }
}
