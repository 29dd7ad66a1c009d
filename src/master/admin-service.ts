/**
 * The administration RPCs of the Master service (issue 4): Fsck, SafeMode, Decommission and
 * Balance, plus the NodeInfo view shared with Nodes. Thin adapters: the decisions live in
 * fsck.ts, safe-mode.ts, server-registry.ts and balance-plan.ts.
 */
import type { Clock } from '../common/clock';
import type { Config } from '../common/config';
import { DfsError } from '../common/errors';
import { unary } from '../common/rpc';
import type { MasterHandlers } from '../generated/dfs/Master';
import type { NodeInfo } from '../generated/dfs/NodeInfo';
import { MetaStore } from './meta-store';
import { Namespace } from './namespace';
import { ServerRegistry, type ServerInfo } from './server-registry';
import { ChunkMap } from './chunk-map';
import { Replicator } from './replicator';
import { SafeMode } from './safe-mode';
import { runFsck } from './fsck';

export interface AdminDeps {
  store: MetaStore; ns: Namespace; registry: ServerRegistry; chunkMap: ChunkMap; replicator: Replicator;
  safeMode: SafeMode; clock: Clock; config: Config;
  badSeen: ReadonlyMap<number, ReadonlySet<string>>;
}

/** Default `dfs balance` threshold, in percentage points of utilisation. */
export const BALANCE_THRESHOLD_PCT_DEFAULT = 10;

export function nodeInfo(d: Pick<AdminDeps, 'chunkMap' | 'replicator'>, s: ServerInfo): NodeInfo {
  return {
    serverId: s.id, address: s.address, state: s.state, capacityBytes: s.capacityBytes, usedBytes: s.usedBytes,
    freeBytes: s.freeBytes, chunkCount: s.chunkCount || d.chunkMap.countOn(s.id), lastHeartbeatUnixMs: s.lastHeartbeatMs,
    activeWrites: s.activeWrites,
    replicasToMove: s.state === 'DECOMMISSIONING' ? d.replicator.replicasToMove(s.id) : 0,
    unreachable: s.unreachable === true,
  };
}

/** Chunks with at least one reported replica, for safe mode. */
export function chunksReported(d: Pick<AdminDeps, 'chunkMap'>): number {
  return d.chunkMap.handleCount;
}

/**
 * Decommission progress: a draining server whose full report arrived and whose every chunk
 * reached its goal on in-service servers becomes DECOMMISSIONED.
 */
export function advanceDecommissions(d: Pick<AdminDeps, 'registry' | 'chunkMap' | 'replicator'>): void {
  for (const s of d.registry.all()) {
    if (s.state !== 'DECOMMISSIONING' || !d.chunkMap.fullyReported(s.id)) continue;
    const left = d.replicator.replicasToMove(s.id);
    if (left === 0) d.registry.transition(s, 'DECOMMISSIONED', 'every chunk on it has its goal elsewhere');
  }
}

export function adminHandlers(d: AdminDeps): Pick<MasterHandlers, 'Fsck' | 'SafeMode' | 'Decommission' | 'Balance'> {
  return {
    Fsck: unary(async (req) => {
      const r = await runFsck({
        store: d.store, ns: d.ns, registry: d.registry, chunkMap: d.chunkMap, badSeen: d.badSeen,
        defaultReplication: d.config.cluster.replication,
      }, req.path, req.problemsMax);
      return { ...r, safeMode: d.safeMode.on, pendingCopies: d.replicator.pendingCopies };
    }),
    SafeMode: unary(async (req) => {
      if (req.action === 'SAFE_MODE_ENTER') d.safeMode.enter();
      else if (req.action === 'SAFE_MODE_LEAVE') d.safeMode.leave();
      return {
        on: d.safeMode.on, manual: d.safeMode.manual, chunksTotal: d.store.counter('chunkCount'), chunksReported: chunksReported(d),
        threshold: d.safeMode.limits.threshold, remainingMs: d.safeMode.remainingMs(d.clock.nowMs()),
      };
    }),
    Decommission: unary(async (req) => {
      const s = d.registry.find(req.node);
      if (!s) throw new DfsError('ENOENT', `no chunkserver '${req.node}'`);
      if (req.recommission) d.registry.recommission(s);
      else d.registry.decommission(s);
      return { node: nodeInfo(d, s) };
    }),
    Balance: unary(async (req) => {
      if (d.safeMode.on) throw new DfsError('EBUSY', 'the master is in safe mode: try again when it left (dfs safemode)');
      const threshold = req.thresholdPct > 0 ? req.thresholdPct : BALANCE_THRESHOLD_PCT_DEFAULT;
      const plan = d.replicator.balance(threshold);
      return {
        balanced: plan.balanced, movesScheduled: plan.scheduled, movesInFlight: d.replicator.pendingMoves, meanPct: plan.meanPct,
        servers: [...plan.usedPct].map(([serverId, usedPct]) => ({ serverId, usedPct })),
      };
    }),
  };
}
