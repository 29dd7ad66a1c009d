/**
 * Replicate: copy a chunk from another replica (master's re-replication, GFS §4.3).
 *
 * The sources are tried in order (this server skipped); each one is read with ReadChunk, every
 * frame's CRC32C checked, and the bytes go to a temp file that is renamed into place only when
 * complete (ChunkStore.install), so a failed copy leaves nothing behind. A source that makes no
 * progress for `client.dataTimeoutMs` is abandoned for the next one.
 */
import type * as grpc from '@grpc/grpc-js';
import { crc32c } from '../common/crc32c';
import { sleep } from '../common/clock';
import { DfsError, asDfsError } from '../common/errors';
import { fromServiceError } from '../common/rpc';
import type { DataFrame__Output } from '../generated/dfs/DataFrame';
import type { ReplicateTask__Output } from '../generated/dfs/ReplicateTask';
import type { ChunkStatReply } from '../generated/dfs/ChunkStatReply';
import { CHUNK_BYTES_MAX, checkHandle } from './chunk-meta';
import type { ChunkserverContext } from './context';

export async function replicateChunk(ctx: ChunkserverContext, task: ReplicateTask__Output): Promise<ChunkStatReply> {
  const handle = checkHandle(task.handle);
  const version = task.version;
  const local = ctx.store.get(handle);
  if (local && !local.bad && local.version === version) {
    return { handle, version, length: local.lengthBytes }; // already here
  }
  if (local && !local.bad && local.version > version) {
    throw new DfsError('STALE_VERSION', `chunk ${handle} is here at version ${local.version}, newer than ${version}`);
  }
  let last: DfsError = new DfsError('NO_SERVERS', `no source to copy chunk ${handle} from`);
  for (const source of task.sources) {
    if (source.serverId === ctx.id || source.address === ctx.address) continue;
    try {
      const st = await ctx.store.install(handle, version, readFrom(ctx, source.address, handle, version));
      ctx.log.info({ handle, version, from: source.serverId, lengthBytes: st.lengthBytes }, 'chunk replicated');
      return { handle, version, length: st.lengthBytes };
    } catch (e) {
      last = asDfsError(e);
      ctx.log.warn({ handle, from: source.serverId, err: last.message }, 'replication source failed');
    }
  }
  throw last;
}

/** The chunk's bytes from one source, frame CRCs checked, cancelled after dataTimeoutMs without a frame. */
async function* readFrom(ctx: ChunkserverContext, address: string, handle: number, version: number): AsyncGenerator<Buffer> {
  const idleMs = ctx.config.client.dataTimeoutMs;
  const stream = ctx.links.get(address).ReadChunk({ handle, version, offset: 0, length: CHUNK_BYTES_MAX });
  let timedOut = false;
  const arm = () => setTimeout(() => { timedOut = true; stream.cancel(); }, idleMs);
  let timer = arm();
  try {
    for await (const frame of stream as AsyncIterable<DataFrame__Output>) {
      timer.refresh();
      if (crc32c(frame.data) !== (frame.crc32c >>> 0)) {
        throw new DfsError('CHECKSUM_MISMATCH', `frame from ${address} does not match its CRC32C`);
      }
      const waitMs = ctx.replicationLimiter?.take(frame.data.length, ctx.clock.nowMs()) ?? 0;
      if (waitMs > 0) {
        // Paced by the bandwidth limit, not idle: the no-progress timer does not run meanwhile.
        clearTimeout(timer);
        await sleep(waitMs);
        timer = arm();
      }
      yield frame.data;
    }
  } catch (e) {
    if (timedOut) throw new DfsError('ETIMEDOUT', `no data from ${address} for ${idleMs} ms`);
    throw e instanceof DfsError ? e : fromServiceError(e as grpc.ServiceError, `ReadChunk from ${address}`);
  } finally {
    clearTimeout(timer);
    stream.cancel();
  }
}
