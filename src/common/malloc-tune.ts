/**
 * glibc malloc settings for the processes that move chunk data (chunkservers, the mount, the
 * client commands; not the master), set with mallopt(3) through build/native/malloc.node.
 *
 * Why: every 1 MiB frame is a fresh allocation (a received message, a read-ahead window), above
 * glibc's default mmap threshold (128 KiB, raised only by frees of mmapped chunks): each one was
 * mmapped, page-faulted in 4 KiB at a time, and unmapped when V8 collected it. On this VM a copy
 * into fresh memory runs at ~2 GB/s against ~40 GB/s into reused memory (1 GiB in 1 MiB buffers:
 * 460-640 ms against 24-30 ms). With frames served from the heap, and freed heap memory kept for
 * the next frames instead of trimmed, A/B on 1 GiB (alternated, 2x2): `dfs put` 9.7-10.5 ->
 * 7.0-8.6 s, chunkserver CPU -25%, peak RSS unchanged (the same frames were live before).
 */
import { resolve } from 'node:path';

const MiB = 1024 * 1024;

export const MALLOC_TUNING = {
  /** Allocations below this come from the heap (frames are at most 4 MiB plus a header). */
  mmapThresholdBytes: 16 * MiB,
  /** Free memory at the top of the heap kept for the next frames rather than returned. */
  trimThresholdBytes: 256 * MiB,
  /** Extra heap asked of the kernel at each growth: fewer, larger steps. */
  topPadBytes: 64 * MiB,
} as const;

const NATIVE_PATH = resolve(__dirname, '../../../build/native/malloc.node');

/**
 * Applies MALLOC_TUNING. Returns false, changing nothing, where the native part is missing
 * (not built) or the C library is not glibc: the process then runs as before, only slower.
 */
export function tuneMalloc(): boolean {
  let native: { tune(mmapThreshold: number, trimThreshold: number, topPad: number): boolean };
  try {
    native = require(NATIVE_PATH) as typeof native;
  } catch {
    return false;
  }
  return native.tune(MALLOC_TUNING.mmapThresholdBytes, MALLOC_TUNING.trimThresholdBytes, MALLOC_TUNING.topPadBytes);
}
