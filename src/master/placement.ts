/**
 * Replica placement, pure: which servers get the replicas of a chunk.
 *
 * Contract: returns at most `count` distinct ids of ALIVE candidates that are not excluded,
 * ordered by (pending writes ascending, free fraction descending, tie-break ascending).
 * Fewer than `count` when there are not enough candidates; the caller decides whether that
 * is a warning (replication capped) or an error (NO_SERVERS when empty).
 */

export interface PlacementCandidate {
  id: string;
  alive: boolean;
  /** Writes in progress plus grants of the last few seconds. */
  pendingWrites: number;
  freeBytes: number;
  capacityBytes: number;
}

export function freeFraction(c: PlacementCandidate): number {
  return c.capacityBytes > 0 ? Math.max(0, Math.min(1, c.freeBytes / c.capacityBytes)) : 0;
}

/**
 * The candidates with room for one more chunk of `chunkSizeBytes` (the free space of their last
 * heartbeat). A full server is left out of new chunks and copies; it may still fill between two
 * heartbeats, and then its write fails with ENOSPC and the client retries elsewhere.
 */
export function withRoomFor(candidates: readonly PlacementCandidate[], chunkSizeBytes: number): PlacementCandidate[] {
  return candidates.filter((c) => c.freeBytes >= chunkSizeBytes);
}

/** Free fractions closer than this are considered equal, so pending writes and the tie-break decide. */
export const FREE_FRACTION_EPSILON = 0.01;

export function place(
  candidates: readonly PlacementCandidate[],
  count: number,
  exclude: ReadonlySet<string> = new Set(),
  tieBreak: (id: string) => number = () => Math.random(),
): string[] {
  if (count <= 0) return [];
  const seen = new Set<string>();
  const eligible: { c: PlacementCandidate; free: number; tie: number }[] = [];
  for (const c of candidates) {
    if (!c.alive || exclude.has(c.id) || seen.has(c.id)) continue;
    seen.add(c.id);
    eligible.push({ c, free: freeFraction(c), tie: tieBreak(c.id) });
  }
  eligible.sort((a, b) =>
    a.c.pendingWrites - b.c.pendingWrites
    || (Math.abs(a.free - b.free) >= FREE_FRACTION_EPSILON ? b.free - a.free : 0)
    || a.tie - b.tie);
  return eligible.slice(0, count).map((e) => e.c.id);
}
