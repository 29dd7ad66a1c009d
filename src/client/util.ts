/** Small helpers of the client with no I/O of their own. */
import type { Timespec } from '../generated/dfs/Timespec';

/**
 * Runs `fn` over `items` with at most `limit` calls in flight; rejects with the first error
 * (after which no new call starts) once the running calls have settled.
 */
export async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failure) {
      const item = items[next++];
      try {
        await fn(item);
      } catch (e) {
        failure ??= { error: e };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
}

export function timespecOfMs(ms: number): Timespec & { sec: number; nsec: number } {
  return { sec: Math.floor(ms / 1000), nsec: Math.round((ms % 1000) * 1e6) };
}

export function msOfTimespec(t: { sec: number; nsec: number } | null | undefined): number {
  return t ? t.sec * 1000 + Math.floor(t.nsec / 1e6) : 0;
}
