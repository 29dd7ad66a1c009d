/**
 * Re-replication decisions, pure: which under-replicated chunks get a new copy where, which
 * replicas of chunks on too few hosts move to another host, and which replicas of
 * over-replicated chunks are deleted.
 *
 * Contract: chunks are served most endangered first (fewest live replicas relative to the
 * goal), then chunks whose replicas span fewer hosts than `hostsWanted` (HDFS's mis-replicated
 * blocks: a replica on a host holding another one moves to a host holding none, as a balancer
 * move: copied first, its source deleted once the copy is reported); a target never already
 * holds the chunk; an extra replica deleted is one on a host holding another first; no server gets more than
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
  /** The host of each of `holders`, in the same order; default: the servers' `host`, else a host of its own. */
  holderHosts?: string[];
  /** How many hosts its in-service replicas should span: min(goal, hosts with a server in service); default: no check. */
  hostsWanted?: number;
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
/** A replica moved off a host that holds another one of its chunk: copied to `target`, then deleted at `source`. */
export interface MoveTask extends CopyTask { source: string }

export interface PlanLimits { copiesPerServerMax: number; tasksMax: number }

export function planReplication(
  chunks: readonly ChunkHealth[],
  servers: readonly PlacementCandidate[],
  inFlight: ReadonlyMap<string, number>,
  limits: PlanLimits,
  tieBreak?: (id: string) => number,
): { copies: CopyTask[]; extras: ExtraReplica[]; moves: MoveTask[] } {
  const load = new Map(inFlight);
  const byId = new Map(servers.map((s) => [s.id, s]));
  const hostOf = (id: string): string => byId.get(id)?.host ?? `server:${id}`;
  const hostsOf = (c: ChunkHealth): string[] => c.holderHosts ?? c.holders.map(hostOf);
  const copies: CopyTask[] = [];
  const extras: ExtraReplica[] = [];
  const moves: MoveTask[] = [];
  const sourcesOf = (c: ChunkHealth): string[] => c.sources ?? c.holders;
  const under = chunks.filter((c) => sourcesOf(c).length > 0 && c.holders.length < c.goal);
  under.sort((a, b) => a.holders.length / a.goal - b.holders.length / b.goal || a.holders.length - b.holders.length || a.handle - b.handle);
  for (const c of under) {
    if (copies.length >= limits.tasksMax) break;
    // A leased chunk is left to its lease: a copy made while it is written under a chain without
    // the copy misses those writes at the same version. It is copied once the lease ends, or the
    // next lease granted bumps the version and brings the replicas to the goal (chain repair).
    if (c.leased) continue;
    const w = c.weight ?? 1;
    const busy = new Set([...c.holders, ...sourcesOf(c)]);
    for (const s of servers) if ((load.get(s.id) ?? 0) + w > limits.copiesPerServerMax) busy.add(s.id);
    const sources = sourcesOf(c).filter((id) => (load.get(id) ?? 0) + w <= limits.copiesPerServerMax * 2);
    if (sources.length === 0) continue;
    const [target] = place(servers, 1, busy, tieBreak, hostsOf(c));
    if (!target) continue;
    load.set(target, (load.get(target) ?? 0) + w);
    for (const id of sources.slice(0, 1)) load.set(id, (load.get(id) ?? 0) + w);
    copies.push({ handle: c.handle, version: c.version, target, sources, weight: w });
  }
  for (const c of chunks) {
    if (copies.length + moves.length >= limits.tasksMax) break;
    if (c.leased || c.holders.length < c.goal || c.hostsWanted === undefined) continue;
    const hosts = hostsOf(c);
    const perHost = countOf(hosts);
    if (perHost.size >= c.hostsWanted) continue;
    const w = c.weight ?? 1;
    // the source: of the replicas on a host holding another one, the fullest server's
    const source = c.holders
      .filter((id, i) => perHost.get(hosts[i])! > 1 && (load.get(id) ?? 0) + w <= limits.copiesPerServerMax * 2)
      .sort((a, b) => freeOf(byId.get(a)) - freeOf(byId.get(b)) || (a < b ? -1 : 1))[0];
    if (source === undefined) continue;
    const busy = new Set(c.holders);
    for (const s of servers) if ((load.get(s.id) ?? 0) + w > limits.copiesPerServerMax) busy.add(s.id);
    const [target] = place(servers, 1, busy, tieBreak, hosts);
    if (!target || perHost.has(hostOf(target))) continue; // no server in service on another host has room
    load.set(target, (load.get(target) ?? 0) + w);
    load.set(source, (load.get(source) ?? 0) + w);
    moves.push({ handle: c.handle, version: c.version, target, source, sources: [source, ...c.holders.filter((id) => id !== source)], weight: w });
  }
  for (const c of chunks) {
    if (c.leased || c.holders.length <= c.goal) continue;
    // a replica on a host holding another one goes first (the chunk keeps the most hosts), then the fullest server's
    const hosts = hostsOf(c);
    const perHost = countOf(hosts);
    const left = c.holders.map((id, i) => ({ id, host: hosts[i], free: freeOf(byId.get(id)) }));
    for (let n = c.holders.length - c.goal; n > 0; n--) {
      left.sort((a, b) => Number(perHost.get(b.host)! > 1) - Number(perHost.get(a.host)! > 1) || a.free - b.free || (a.id < b.id ? -1 : 1));
      const gone = left.shift()!;
      perHost.set(gone.host, perHost.get(gone.host)! - 1);
      extras.push({ handle: c.handle, version: c.version, server: gone.id });
    }
  }
  return { copies, extras, moves };
}

function countOf(values: readonly string[]): Map<string, number> {
  const n = new Map<string, number>();
  for (const v of values) n.set(v, (n.get(v) ?? 0) + 1);
  return n;
}

function freeOf(c: PlacementCandidate | undefined): number {
  return c ? freeFraction(c) : -1;
}
