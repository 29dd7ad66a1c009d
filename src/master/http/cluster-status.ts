/**
 * What the dashboard, /api/summary, /api/nodes and the /metrics gauges show, read from the
 * master through its own gRPC API on loopback (Nodes, StatFs, Fsck): the HTTP layer never
 * touches the master's state directly, so it cannot change behaviour, and it shows exactly
 * what `dfs nodes`, `dfs df` and `dfs fsck` show.
 *
 * Fsck walks every chunk record, so its counts are cached for FSCK_CACHE_MS and at most one
 * walk runs at a time. A master without Fsck (UNIMPLEMENTED) or in trouble leaves the health
 * counts `null` ("unknown") rather than failing the summary.
 */
import type { DfsClient } from '../../client/dfs-client';
import type { NodeInfo, StatFs } from '../../client/types';
import { callUnary, masterClient, type MasterClient } from '../../common/rpc';
import type { FsckReply__Output } from '../../generated/dfs/FsckReply';
import type { FsckRequest } from '../../generated/dfs/FsckRequest';

/** How long fsck counts are reused. */
export const FSCK_CACHE_MS = 5_000;
/** How long after it arrived a Nodes/StatFs answer is still shared (one /metrics scrape reads it many times). */
export const STATUS_MEMO_MS = 100;

/** Shares the in-flight call of `fn`, and its result for `ttlMs` after it arrived. */
function memo<T>(ttlMs: number, fn: () => Promise<T>): () => Promise<T> {
  let last: { doneAtMs: number | undefined; value: Promise<T> } | undefined;
  return () => {
    if (last && (last.doneAtMs === undefined || Date.now() - last.doneAtMs < ttlMs)) return last.value;
    const entry: { doneAtMs: number | undefined; value: Promise<T> } = { doneAtMs: undefined, value: fn() };
    last = entry;
    entry.value.then(() => { entry.doneAtMs = Date.now(); }, () => { if (last === entry) last = undefined; });
    return entry.value;
  };
}

export interface Health {
  underReplicated: number;
  corrupt: number;
  missing: number;
  pendingCopies: number;
  safeMode: boolean;
}

export interface Summary {
  capacityBytes: number;
  usedBytes: number;
  freeBytes: number;
  files: number;
  chunks: number;
  liveServers: number;
  deadServers: number;
  servers: number;
  /** null when unknown (fsck unavailable). */
  underReplicated: number | null;
  corrupt: number | null;
  missing: number | null;
  replicationQueue: number | null;
  safeMode: boolean | null;
  masterAddress: string;
  startedAtUnixMs: number;
  nowUnixMs: number;
}

export interface NodeRow {
  serverId: string;
  address: string;
  state: string;
  capacityBytes: number;
  usedBytes: number;
  freeBytes: number;
  chunkCount: number;
  lastHeartbeatUnixMs: number;
  heartbeatAgeMs: number;
  activeWrites: number;
  replicasToMove: number;
}

export class ClusterStatus {
  private readonly raw: MasterClient;
  private health: { atMs: number; value: Health | null } | undefined;
  private walking: Promise<Health | null> | undefined;

  private readonly nodeInfos = memo(STATUS_MEMO_MS, () => this.client.nodes());
  private readonly statFs = memo(STATUS_MEMO_MS, () => this.client.statFs());

  constructor(private readonly client: DfsClient, private readonly rpcTimeoutMs: number, private readonly startedAtUnixMs: number) {
    this.raw = masterClient(client.masterAddress);
  }

  close(): void {
    this.raw.close();
  }

  async nodes(nowMs = Date.now()): Promise<NodeRow[]> {
    const nodes: NodeInfo[] = await this.nodeInfos();
    return nodes.map((n) => ({
      serverId: n.serverId, address: n.address, state: String(n.state), capacityBytes: n.capacityBytes, usedBytes: n.usedBytes,
      freeBytes: n.freeBytes, chunkCount: n.chunkCount, lastHeartbeatUnixMs: n.lastHeartbeatUnixMs,
      heartbeatAgeMs: Math.max(0, nowMs - n.lastHeartbeatUnixMs), activeWrites: n.activeWrites, replicasToMove: n.replicasToMove ?? 0,
    })).sort((a, b) => a.serverId.localeCompare(b.serverId));
  }

  async summary(nowMs = Date.now()): Promise<Summary> {
    const [fs, nodes, health] = await Promise.all([this.statFs() as Promise<StatFs>, this.nodes(nowMs), this.healthCounts(nowMs)]);
    const live = nodes.filter((n) => n.state === 'ALIVE').length;
    return {
      capacityBytes: fs.capacityBytes, usedBytes: fs.usedBytes, freeBytes: fs.freeBytes, files: fs.files, chunks: fs.chunks,
      liveServers: live, deadServers: nodes.filter((n) => n.state === 'DEAD').length, servers: nodes.length,
      underReplicated: health?.underReplicated ?? null, corrupt: health?.corrupt ?? null, missing: health?.missing ?? null,
      replicationQueue: health?.pendingCopies ?? null,
      safeMode: health?.safeMode ?? ((fs as { safeMode?: boolean }).safeMode ?? null),
      masterAddress: this.client.masterAddress, startedAtUnixMs: this.startedAtUnixMs, nowUnixMs: nowMs,
    };
  }

  /** Cached fsck counts (null = unknown). */
  async healthCounts(nowMs = Date.now()): Promise<Health | null> {
    if (this.health && nowMs - this.health.atMs < FSCK_CACHE_MS) return this.health.value;
    this.walking ??= this.fsck().finally(() => { this.walking = undefined; });
    const value = await this.walking;
    this.health = { atMs: nowMs, value };
    return value;
  }

  private async fsck(): Promise<Health | null> {
    try {
      const method = (this.raw as unknown as { Fsck?: unknown }).Fsck;
      if (typeof method !== 'function') return null;
      const r = await callUnary<FsckRequest, FsckReply__Output>(this.raw, method as never, { path: '/', problemsMax: 1 }, this.rpcTimeoutMs);
      return { underReplicated: r.underReplicated, corrupt: r.corrupt, missing: r.missing, pendingCopies: r.pendingCopies, safeMode: r.safeMode };
    } catch {
      // UNIMPLEMENTED (an older master), safe-mode refusals or a timeout: the counts are unknown.
      return null;
    }
  }
}
