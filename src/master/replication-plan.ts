/**
 * Re-replication decisions, pure: which under-replicated chunks get a new copy where, and
 * which replicas of over-replicated chunks are deleted.
 *
 * Contract: chunks are served most endangered first (fewest live replicas relative to the
 * goal); a target never already holds the chunk; no server gets more than
 * `copiesPerServerMax` copies in flight (counting `inFlight`; a copy weighs its chunk's share
 * of a full chunk, at least COPY_WEIGHT_MIN); chunks with no live replica
 * cannot be copied and are skipped; at most `tasksMax` tasks per plan. A draining server's
 * replica is a source but does not count towards the goal, and is never trimmed here.
 */
import { place, type PlacementCandidate, freeFraction } from './placement';

export interface ChunkHealth {
  handle: number;
  version: number;
  goal: number;
  /** Up-to-date holders in service (ALIVE): they count towards the goal. */
  holders: string[];
  /** Up-to-date holders that can serve a copy (holders plus draining servers); default `holders`. */
  sources?: string[];
  /** A write lease is active: leave its replicas alone. */
  leased: boolean;
  /**
   * What its copy costs against `copiesPerServerMax` (default 1: a full chunk); a small chunk
   * weighs less (copyWeight), so a target takes many tiny copies at once.
   */
  weight?: number;
}

/** The least weight of a copy: at most 16 small copies where one full chunk goes. */
export const COPY_WEIGHT_MIN = 1 / 16;

/**
 * A copy of `bytes` against chunks of `chunkSizeBytes`: each copy is confirmed by the target's
 * next heartbeat, so counted whole, thousands of small chunks (small files) were re-replicated
 * at two per target per heartbeat (~3 chunks/s here with four servers).
 */
export function copyWeight(bytes: number, chunkSizeBytes: number): number {
  if (!(chunkSizeBytes > 0)) return 1;
  return Math.min(1, Math.max(COPY_WEIGHT_MIN, bytes / chunkSizeBytes));
}

export interface CopyTask { handle: number; version: number; target: string; sources: string[]; weight: number }
export interface ExtraReplica { handle: number; version: number; server: string }

export interface PlanLimits { copiesPerServerMax: number; tasksMax: number }

export function planReplication(
  chunks: readonly ChunkHealth[],
  servers: readonly PlacementCandidate[],
  inFlight: ReadonlyMap<string, number>,
  limits: PlanLimits,
  tieBreak?: (id: string) => number,
): { copies: CopyTask[]; extras: ExtraReplica[] } {
  const load = new Map(inFlight);
  const byId = new Map(servers.map((s) => [s.id, s]));
  const hostsOf = (ids: readonly string[]): string[] => ids.flatMap((id) => byId.get(id)?.host ?? []);
  const copies: CopyTask[] = [];
  const extras: ExtraReplica[] = [];
  const sourcesOf = (c: ChunkHealth): string[] => c.sources ?? c.holders;
  const under = chunks.filter((c) => sourcesOf(c).length > 0 && c.holders.length < c.goal);
  under.sort((a, b) => a.holders.length / a.goal - b.holders.length / b.goal || a.holders.length - b.holders.length || a.handle - b.handle);
  for (const c of under) {
    if (copies.length >= limits.tasksMax) break;
    const w = c.weight ?? 1;
    const busy = new Set([...c.holders, ...sourcesOf(c)]);
    for (const s of servers) if ((load.get(s.id) ?? 0) + w > limits.copiesPerServerMax) busy.add(s.id);
    const sources = sourcesOf(c).filter((id) => (load.get(id) ?? 0) + w <= limits.copiesPerServerMax * 2);
    if (sources.length === 0) continue;
    const [target] = place(servers, 1, busy, tieBreak, hostsOf(c.holders));
    if (!target) continue;
    load.set(target, (load.get(target) ?? 0) + w);
    for (const id of sources.slice(0, 1)) load.set(id, (load.get(id) ?? 0) + w);
    copies.push({ handle: c.handle, version: c.version, target, sources, weight: w });
  }
  for (const c of chunks) {
    if (c.leased || c.holders.length <= c.goal) continue;
    const ranked = [...c.holders].sort((a, b) => freeOf(byId.get(a)) - freeOf(byId.get(b)) || (a < b ? -1 : 1));
    for (const server of ranked.slice(0, c.holders.length - c.goal)) extras.push({ handle: c.handle, version: c.version, server });
  }
  return { copies, extras };
}

function freeOf(c: PlacementCandidate | undefined): number {
  return c ? freeFraction(c) : -1;
}
