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
