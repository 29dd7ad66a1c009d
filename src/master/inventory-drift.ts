/**
 * Inventory drift from a chunkserver's Bloom digest (pure). The master's location map says the
 * server holds some handles; a handle the digest certainly lacks (a Bloom filter has no false
 * negatives) means the map and the disk disagree (a replica lost without a report), so the
 * master asks that server for a full report. Bounded work per heartbeat: a rotating window of
 * DRIFT_CHECK_HANDLES_MAX handles.
 */
import { mayContain, type BloomDigest } from '../common/bloom';

export const DRIFT_CHECK_HANDLES_MAX = 4096;

/** Handles of `expected[from …]` (wrapping, at most `max`) the digest certainly lacks; `next` is where the next window starts. */
export function missingFromDigest(expected: readonly number[], digest: BloomDigest, from: number, max = DRIFT_CHECK_HANDLES_MAX): { missing: number[]; next: number } {
  const n = expected.length;
  if (n === 0) return { missing: [], next: 0 };
  const start = from % n;
  const missing: number[] = [];
  const steps = Math.min(n, max);
  for (let i = 0; i < steps; i++) {
    const h = expected[(start + i) % n];
    if (!mayContain(digest, h)) missing.push(h);
  }
  return { missing, next: (start + steps) % n };
}

/** The servers whose digest may contain `handle` (a location hint while reports are missing). */
export function mayHold(digests: ReadonlyMap<string, BloomDigest>, handle: number): string[] {
  const out: string[] = [];
  for (const [id, d] of digests) if (d.count > 0 && mayContain(d, handle)) out.push(id);
  return out;
}
