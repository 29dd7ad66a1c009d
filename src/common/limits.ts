/**
 * Limits of a file's layout, shared by the configuration, the master (which enforces them on
 * every request) and the CLI (which reports a bad flag before asking).
 */
import { DfsError } from './errors';

/** Most replicas a file may ask for (cluster.replication, put --replication, setrep). */
export const REPLICATION_MAX = 32;
/** Chunk sizes are whole 64 KiB blocks (the unit of a chunk's CRC32C and compression). */
export const CHUNK_SIZE_UNIT = 64 * 1024;
/** Largest chunk a replica accepts. */
export const CHUNK_SIZE_MAX = 4 * 1024 * 1024 * 1024;

/**
 * Most chunks one file may have: its chunk list is one LMDB record, rewritten whole when a chunk
 * is added (64 TiB at the default 64 MiB chunks, 64 GiB at the smallest, 64 KiB).
 */
export const FILE_CHUNKS_MAX = 1024 * 1024;

/** The largest size of a file whose chunks are `chunkSizeBytes` long. */
export function fileBytesMax(chunkSizeBytes: number): number {
  return chunkSizeBytes * FILE_CHUNKS_MAX;
}

/**
 * EFBIG when a file of `chunkSizeBytes` chunks cannot reach `sizeBytes` (as a local file system
 * answers a write or truncate past its largest file), EINVAL when it is no size at all.
 */
export function checkFileSize(sizeBytes: number, chunkSizeBytes: number): void {
  if (sizeBytes > fileBytesMax(chunkSizeBytes)) {
    throw new DfsError('EFBIG', `size ${sizeBytes} exceeds the largest file, ${fileBytesMax(chunkSizeBytes)} bytes (${FILE_CHUNKS_MAX} chunks of ${chunkSizeBytes})`);
  }
  if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 0) throw new DfsError('EINVAL', `bad size ${sizeBytes}`);
}

/** Why `bytes` is no valid chunk size, or undefined when it is. */
export function chunkSizeProblem(bytes: number): string | undefined {
  if (!Number.isSafeInteger(bytes) || bytes < CHUNK_SIZE_UNIT) return `at least ${CHUNK_SIZE_UNIT / 1024}K`;
  if (bytes % CHUNK_SIZE_UNIT !== 0) return `a multiple of ${CHUNK_SIZE_UNIT / 1024}K`;
  if (bytes > CHUNK_SIZE_MAX) return `at most ${CHUNK_SIZE_MAX / 1024 ** 3}G`;
  return undefined;
}

/** Why `n` is no valid replica count, or undefined when it is. */
export function replicationProblem(n: number): string | undefined {
  if (!Number.isInteger(n) || n < 1) return 'a positive integer';
  if (n > REPLICATION_MAX) return `at most ${REPLICATION_MAX}`;
  return undefined;
}

/**
 * A new file's requested layout (0 = inherit from the folder or the configuration); EINVAL
 * naming the bad value otherwise.
 */
export function checkLayout(chunkSize: number, replication: number): void {
  const c = chunkSize === 0 ? undefined : chunkSizeProblem(chunkSize);
  if (c) throw new DfsError('EINVAL', `bad chunk size ${chunkSize}: expected ${c}`);
  const r = replication === 0 ? undefined : replicationProblem(replication);
  if (r) throw new DfsError('EINVAL', `bad replication ${replication}: expected ${r}`);
}
