/**
 * A Bloom filter of chunk handles (seed 004's inventory digest), pure. Each chunkserver
 * heartbeat carries one over all its handles; the master tests handles against it:
 * `mayContain` false means the server certainly does not hold the handle (no false negatives),
 * true means it probably does (false-positive rate ≈ (1 − e^(−k·n/m))^k; with
 * BLOOM_BITS_PER_HANDLE = 10 and k = 7 that is ≈ 0.8 %, measured in test/common-bloom.test.ts).
 *
 * Bits are hashed by double hashing (Kirsch–Mitzenmacher) of two 32-bit mixes of the handle, so
 * handles beyond 2^32 are fine. Size: ceil(n · 10 / 8) bytes, capped by BLOOM_BYTES_MAX.
 */

export const BLOOM_BITS_PER_HANDLE = 10;
/** Hash functions: round(bits per handle · ln 2). */
export const BLOOM_HASHES = 7;
/** Upper bound of one digest (1 MiB ≈ 840,000 handles at 10 bits each; beyond, the rate rises). */
export const BLOOM_BYTES_MAX = 1024 * 1024;

export interface BloomDigest {
  bits: Uint8Array;
  hashes: number;
  /** Handles added (the server's inventory size when it was built). */
  count: number;
}

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

function hashPair(handle: number): [number, number] {
  const lo = handle >>> 0;
  const hi = Math.floor(handle / 0x1_0000_0000) >>> 0;
  const h1 = mix32(lo ^ mix32(hi ^ 0x9e3779b9));
  const h2 = mix32(h1 ^ lo ^ 0x7f4a7c15) | 1; // odd: cycles through every bit position
  return [h1, h2];
}

/** A digest of `handles`, sized for their count (at least 8 bytes). */
export function buildBloom(handles: Iterable<number>, count: number): BloomDigest {
  const bytes = Math.min(BLOOM_BYTES_MAX, Math.max(8, Math.ceil((count * BLOOM_BITS_PER_HANDLE) / 8)));
  const bits = new Uint8Array(bytes);
  const m = bytes * 8;
  let added = 0;
  for (const h of handles) {
    const [h1, h2] = hashPair(h);
    for (let i = 0; i < BLOOM_HASHES; i++) {
      const bit = (h1 + Math.imul(i, h2)) >>> 0;
      const at = bit % m;
      bits[at >>> 3] |= 1 << (at & 7);
    }
    added++;
  }
  return { bits, hashes: BLOOM_HASHES, count: added };
}

/** False: certainly not in the set. True: probably in it. An empty or malformed digest says true. */
export function mayContain(d: BloomDigest, handle: number): boolean {
  const m = d.bits.length * 8;
  if (m === 0 || d.hashes <= 0) return true;
  const [h1, h2] = hashPair(handle);
  for (let i = 0; i < Math.min(d.hashes, 32); i++) {
    const at = ((h1 + Math.imul(i, h2)) >>> 0) % m;
    if ((d.bits[at >>> 3] & (1 << (at & 7))) === 0) return false;
  }
  return true;
}

/** The expected false-positive rate of a digest of `count` handles in `bytes` bytes with `hashes` functions. */
export function expectedFalsePositiveRate(count: number, bytes: number, hashes = BLOOM_HASHES): number {
  return (1 - Math.exp((-hashes * count) / (bytes * 8))) ** hashes;
}
