/**
 * Inventory drift from a chunkserver's Bloom digest (pure). The master's location map says the
 * server holds some handles; a handle the digest certainly lacks (a Bloom filter has no false
 * negatives) means the map and the disk disagree (a replica lost without a report), so the
 * master asks that server for a full report. Bounded work per heartbeat: a rotating window of
 * DRIFT_CHECK_HANDLES_MAX handles, and none at all once every handle was checked clean and
 * neither the server's replica set nor its digest changed since (at 1,000 servers with 10,000
 * chunks each, re-checking unchanged inventories was ~10% of the master's steady CPU).
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

/** What the drift check of one server saw last. */
export interface DriftState {
  /** Where the next window starts. */
  cursor: number;
  /** Handles the last window found missing (confirmed when the next check finds them again). */
  handles: Set<number>;
  /** `ChunkMap.changeCount` of the server and the digest at the last check. */
  mapChanges: number;
  bits: Uint8Array;
  hashes: number;
  /** Handles checked and found present since the replica set or the digest last changed. */
  cleanChecked: number;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

/** Pure: whether the replica set (by its change count) and the digest are those `prev` saw. */
export function sameDriftInput(prev: DriftState | undefined, mapChanges: number, digest: BloomDigest): prev is DriftState {
  return prev !== undefined && prev.mapChanges === mapChanges && prev.hashes === digest.hashes && bytesEqual(prev.bits, digest.bits);
}

/**
 * Pure: true when checking again can only find nothing: every one of the server's `handleCount`
 * handles was checked against this very digest and found present, and the set did not change.
 */
export function driftCheckRedundant(prev: DriftState | undefined, mapChanges: number, digest: BloomDigest, handleCount: number): boolean {
  return sameDriftInput(prev, mapChanges, digest) && prev.handles.size === 0 && prev.cleanChecked >= handleCount;
}
