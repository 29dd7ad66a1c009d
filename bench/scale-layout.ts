/**
 * The deterministic chunk layout of the master-at-scale benchmark (pure): N simulated
 * chunkservers holding C chunks each, every chunk on R distinct servers. Both the namespace
 * writer (scale-namespace.ts, which records the chunks in the master's LMDB before it starts)
 * and the simulated servers (children/scale-servers.ts) derive the same layout from (N, C, R),
 * so every reported replica is a chunk the master knows, at the version it knows: a healthy
 * cluster after a master restart.
 *
 * Replica slots j = 0 … N·C−1 are dealt round-robin: slot j is on server j mod N and belongs to
 * chunk handle ⌊j / R⌋ + 1. So each server holds exactly C slots, a chunk's R slots are R
 * consecutive j (distinct servers when R ≤ N), and the last chunk has fewer replicas when R does
 * not divide N·C (its file gets that smaller replication goal, so it is not under-replicated).
 */

export interface ScaleLayout {
  servers: number;
  chunksPerServer: number;
  replication: number;
}

/** Distinct chunks of the layout. */
export function chunkTotal(l: ScaleLayout): number {
  return Math.ceil((l.servers * l.chunksPerServer) / l.replication);
}

/** Replicas of chunk `handle` (1-based): R, or fewer for the last chunk. */
export function replicasOf(l: ScaleLayout, handle: number): number {
  const slots = l.servers * l.chunksPerServer;
  return Math.min(l.replication, slots - (handle - 1) * l.replication);
}

/** The handles server `index` (0-based) holds, ascending. */
export function handlesOfServer(l: ScaleLayout, index: number): number[] {
  const out: number[] = new Array(l.chunksPerServer);
  for (let k = 0; k < l.chunksPerServer; k++) out[k] = Math.floor((index + k * l.servers) / l.replication) + 1;
  return out;
}

/** The stable id of simulated server `index`. */
export function serverId(index: number): string {
  return `sim-${String(index).padStart(5, '0')}`;
}

/** Throws on a layout the benchmark cannot build. */
export function checkLayout(l: ScaleLayout): void {
  if (!Number.isSafeInteger(l.servers) || l.servers < 1) throw new Error(`servers must be >= 1, got ${l.servers}`);
  if (!Number.isSafeInteger(l.chunksPerServer) || l.chunksPerServer < 1) throw new Error(`chunks must be >= 1, got ${l.chunksPerServer}`);
  if (!Number.isSafeInteger(l.replication) || l.replication < 1) throw new Error(`replication must be >= 1, got ${l.replication}`);
  if (l.replication > l.servers) throw new Error(`replication ${l.replication} needs at least as many servers (got ${l.servers})`);
}
