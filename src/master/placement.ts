/**
 * Replica placement, pure: which servers get the replicas of a chunk.
 *
 * Contract: returns at most `count` distinct ids of ALIVE candidates that are not excluded,
 * ordered by (pending writes ascending, free fraction descending, tie-break ascending), one per
 * host first: a server on a host not used yet goes before a better one on a host already
 * chosen (the host is the failure domain, as HDFS's rack; fsck calls a chunk on fewer hosts
 * than there are MIS_REPLICATED).
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
  /** The machine it runs on (its address without the port); absent = a host of its own. */
  host?: string;
}

/** The machine of a chunkserver: its address without the port (the failure domain, as HDFS's rack). */
export function hostOfAddress(address: string): string {
  return address.slice(0, address.lastIndexOf(':'));
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
  /** Hosts that already hold a replica (a copy made for a chunk goes to another host first). */
  usedHosts: Iterable<string> = [],
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
  const chosen: PlacementCandidate[] = [];
  const hosts = new Set<string>(usedHosts);
  for (const e of eligible) {
    if (chosen.length === count) break;
    if (e.c.host !== undefined && hosts.has(e.c.host)) continue;
    chosen.push(e.c);
    if (e.c.host !== undefined) hosts.add(e.c.host);
  }
  // fewer hosts than replicas: the rest on hosts already used, in the same order
  for (const e of eligible) {
    if (chosen.length === count) break;
    if (!chosen.includes(e.c)) chosen.push(e.c);
  }
  return chosen.map((c) => c.id);
}
