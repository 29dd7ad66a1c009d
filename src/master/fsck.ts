/**
 * `dfs fsck`: walks a subtree of the namespace and classifies every chunk of every file by its
 * replicas as the master knows them now (hdfs fsck). Read-only.
 *
 * Classes (a chunk may be in several, but MISSING/CORRUPT exclude the others):
 *   MISSING   no live replica, none reported bad;  CORRUPT  no live replica, some reported bad;
 *   UNDER_REPLICATED fewer in-service replicas than the goal (draining servers do not count);
 *   OVER_REPLICATED  more in-service replicas than the goal;
 *   MIS_REPLICATED   replicas on fewer distinct hosts than the in-service hosts allow (the
 *                    host is the failure domain here, as the rack is in HDFS).
 * The walk yields to the event loop every WALK_SLICE_INODES inodes so heartbeats keep flowing;
 * the problem list is bounded by `problemsMax`, the totals are always complete.
 */
import type { FsckReply } from '../generated/dfs/FsckReply';
import type { FsckProblem } from '../generated/dfs/FsckProblem';
import type { ChunkProblem } from '../generated/dfs/ChunkProblem';
import { MetaStore } from './meta-store';
import { Namespace } from './namespace';
import { ServerRegistry } from './server-registry';
import { ChunkMap } from './chunk-map';
import { joinPath, normalizePath } from '../common/paths';
import { hostOfAddress } from './placement';

export const FSCK_PROBLEMS_DEFAULT = 1000;
export const FSCK_PROBLEMS_MAX = 100_000;
const WALK_SLICE_INODES = 2000;

type Problem = Exclude<ChunkProblem, 'CHUNK_PROBLEM_UNSPECIFIED' | number>;
const SEVERITY: Record<Problem, number> = { CORRUPT: 0, MISSING: 1, UNDER_REPLICATED: 2, MIS_REPLICATED: 3, OVER_REPLICATED: 4 };

export interface ChunkView {
  goal: number;
  /** Live up-to-date replicas on ALIVE servers. */
  inService: readonly string[];
  /** Live up-to-date replicas on any heartbeating server (inService plus draining). */
  live: readonly string[];
  /** Servers that reported a bad replica since the last good one. */
  badReplicas: number;
  hostOf: (serverId: string) => string;
  /** Distinct hosts among in-service servers. */
  hostsInService: number;
}

/** Pure: the problems of one chunk, most severe first. */
export function classifyChunk(c: ChunkView): Problem[] {
  if (c.live.length === 0) return [c.badReplicas > 0 ? 'CORRUPT' : 'MISSING'];
  const out: Problem[] = [];
  if (c.inService.length < c.goal) out.push('UNDER_REPLICATED');
  const hosts = new Set(c.inService.map(c.hostOf)).size;
  if (hosts < Math.min(c.goal, c.inService.length, c.hostsInService)) out.push('MIS_REPLICATED');
  if (c.inService.length > c.goal) out.push('OVER_REPLICATED');
  return out;
}

export interface FsckDeps {
  store: MetaStore; ns: Namespace; registry: ServerRegistry; chunkMap: ChunkMap;
  badSeen: ReadonlyMap<number, ReadonlySet<string>>;
  defaultReplication: number;
}


/** Checks the subtree at `path` (symlinks are not followed). Errors: ENOENT (no such path). */
export async function runFsck(d: FsckDeps, path: string, problemsMax: number): Promise<Omit<FsckReply, 'safeMode' | 'pendingCopies'>> {
  const limit = Math.min(problemsMax > 0 ? problemsMax : FSCK_PROBLEMS_DEFAULT, FSCK_PROBLEMS_MAX);
  const root = normalizePath(path || '/');
  const start = d.ns.lookup(root);
  const hostOf = (id: string): string => hostOfAddress(d.registry.get(id)?.address ?? id);
  const alive = d.registry.alive();
  const hostsInService = new Set(alive.map((s) => hostOfAddress(s.address))).size;
  const out = {
    files: 0, directories: 0, bytes: 0, chunks: 0, replicas: 0,
    underReplicated: 0, overReplicated: 0, misReplicated: 0, corrupt: 0, missing: 0,
    problems: [] as FsckProblem[], truncated: false,
    liveServers: alive.length,
    decommissioningServers: d.registry.all().filter((s) => s.state === 'DECOMMISSIONING').length,
  };
  const counters: Record<Problem, 'corrupt' | 'missing' | 'underReplicated' | 'misReplicated' | 'overReplicated'> = {
    CORRUPT: 'corrupt', MISSING: 'missing', UNDER_REPLICATED: 'underReplicated', MIS_REPLICATED: 'misReplicated', OVER_REPLICATED: 'overReplicated',
  };
  const stack: { ino: number; path: string }[] = [{ ino: start.ino, path: root }];
  let visited = 0;
  while (stack.length > 0) {
    const { ino, path: p } = stack.pop()!;
    if (++visited % WALK_SLICE_INODES === 0) await new Promise((r) => setImmediate(r));
    const rec = d.store.inodes.get(ino);
    if (!rec) continue;
    if (rec.type === 'DIRECTORY') {
      out.directories++;
      for (const { key, value } of d.store.dirents.getRange({ start: [ino] as unknown as [number, string], end: [ino + 1] as unknown as [number, string] })) {
        stack.push({ ino: value, path: joinPath(p, key[1]) });
      }
      continue;
    }
    if (rec.type !== 'REGULAR') continue;
    out.files++;
    out.bytes += rec.size;
    const goal = rec.replication || d.defaultReplication;
    rec.chunks.forEach((handle, index) => {
      if (!handle || !d.store.chunks.get(handle)) return;
      out.chunks++;
      const live = d.chunkMap.holders(handle).filter((id) => d.registry.isLive(id));
      const inService = live.filter((id) => d.registry.isAlive(id));
      out.replicas += inService.length; // as the goal counts them: a drained server's copy is no replica
      const problems = classifyChunk({ goal, inService, live, badReplicas: d.badSeen.get(handle)?.size ?? 0, hostOf, hostsInService });
      for (const problem of problems) {
        out[counters[problem]]++;
        if (out.problems.length >= limit) { out.truncated = true; continue; }
        out.problems.push({ problem, path: p, index, handle, replicas: inService.length, goal, serverIds: live });
      }
    });
  }
  out.problems.sort((a, b) => SEVERITY[a.problem as Problem] - SEVERITY[b.problem as Problem] || (a.path! < b.path! ? -1 : a.path! > b.path! ? 1 : (a.index ?? 0) - (b.index ?? 0)));
  return out;
}
