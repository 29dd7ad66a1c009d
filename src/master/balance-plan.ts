/**
 * Balancer decisions, pure: which replicas move from fuller to emptier servers.
 *
 * Utilisation is used/capacity in percent; the cluster mean is total used / total capacity.
 * A server is balanced when it is within `thresholdPct` percentage points of the mean.
 * Contract: a move copies a chunk to a target that does not hold it; the source's replica is
 * deleted only after the copy is reported (by the caller), so no chunk drops below its goal
 * during a move. Moves are planned from the fullest source to the emptiest target, with
 * projected utilisations updated as moves are planned, so one round never overshoots the
 * mean; at most `movesMax` moves and `perTargetMax` per target; a move never leaves its chunk
 * on fewer hosts than before (`hostOf`: the host is the failure domain, as in placement.ts).
 */

export interface BalanceNode {
  id: string;
  usedBytes: number;
  capacityBytes: number;
  /** Chunks on this server that may move (not leased, not in flight), with their holders. */
  chunks: readonly { handle: number; version: number; holders: readonly string[] }[];
}

export interface Move { handle: number; version: number; source: string; target: string }

export interface BalancePlan { balanced: boolean; meanPct: number; usedPct: Map<string, number>; moves: Move[] }

export function usedPct(usedBytes: number, capacityBytes: number): number {
  return capacityBytes > 0 ? (usedBytes / capacityBytes) * 100 : 0;
}

export function planBalance(
  nodes: readonly BalanceNode[], thresholdPct: number, movesMax: number, perTargetMax: number,
  hostOf: (id: string) => string = (id) => id,
): BalancePlan {
  const capacity = nodes.reduce((n, s) => n + s.capacityBytes, 0);
  const used = nodes.reduce((n, s) => n + s.usedBytes, 0);
  const meanPct = usedPct(used, capacity);
  const pct = new Map(nodes.map((s) => [s.id, usedPct(s.usedBytes, s.capacityBytes)]));
  const balanced = nodes.every((s) => Math.abs(pct.get(s.id)! - meanPct) <= thresholdPct);
  const moves: Move[] = [];
  if (balanced || capacity === 0) return { balanced, meanPct, usedPct: pct, moves };
  const projected = new Map(nodes.map((s) => [s.id, s.usedBytes]));
  const perTarget = new Map<string, number>();
  const moved = new Set<number>();
  // When a server sits below the band (a new, empty one), every server above the mean gives
  // down to the mean; otherwise only servers above the band give, down to half the band.
  const underfull = nodes.some((s) => pct.get(s.id)! < meanPct - thresholdPct);
  const sourceAbovePct = underfull ? meanPct : meanPct + thresholdPct;
  const sourceStopPct = underfull ? meanPct : meanPct + thresholdPct / 2;
  const targetCapPct = underfull ? meanPct : meanPct + thresholdPct / 2;
  const sources = nodes.filter((s) => pct.get(s.id)! > sourceAbovePct).sort((a, b) => pct.get(b.id)! - pct.get(a.id)!);
  for (const src of sources) {
    const chunkBytes = src.chunks.length > 0 ? src.usedBytes / src.chunks.length : 0;
    if (chunkBytes <= 0) continue;
    for (const c of src.chunks) {
      if (moves.length >= movesMax) return { balanced, meanPct, usedPct: pct, moves };
      if (usedPct(projected.get(src.id)!, src.capacityBytes) <= sourceStopPct) break;
      if (moved.has(c.handle)) continue;
      const hostsBefore = new Set(c.holders.map(hostOf)).size;
      const others = c.holders.filter((id) => id !== src.id).map(hostOf);
      const targets = nodes
        .filter((t) => t.id !== src.id && !c.holders.includes(t.id) && (perTarget.get(t.id) ?? 0) < perTargetMax
          && usedPct(projected.get(t.id)! + chunkBytes, t.capacityBytes) <= targetCapPct
          && new Set([...others, hostOf(t.id)]).size >= hostsBefore)
        .sort((a, b) => usedPct(projected.get(a.id)!, a.capacityBytes) - usedPct(projected.get(b.id)!, b.capacityBytes) || (a.id < b.id ? -1 : 1));
      const target = targets[0];
      if (!target) continue;
      moves.push({ handle: c.handle, version: c.version, source: src.id, target: target.id });
      moved.add(c.handle);
      perTarget.set(target.id, (perTarget.get(target.id) ?? 0) + 1);
      projected.set(src.id, projected.get(src.id)! - chunkBytes);
      projected.set(target.id, projected.get(target.id)! + chunkBytes);
    }
  }
  return { balanced, meanPct, usedPct: pct, moves };
}
