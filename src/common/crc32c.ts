/** CRC32C (Castagnoli) of a buffer, SIMD-accelerated by @node-rs/crc32. */
import { crc32c as nativeCrc32c } from '@node-rs/crc32';

export function crc32c(data: Uint8Array, initial = 0): number {
  return nativeCrc32c(data as Buffer, initial) >>> 0;
}

// ------------------------------------------------------------------ combining

/** CRC-32C's polynomial, bit-reversed (the order the CRC is computed in). */
const POLY_REFLECTED = 0x82f63b78;

/** a(x)·b(x) modulo the polynomial, both in reflected order (zlib's multmodp). */
function multModP(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  for (;;) {
    if ((a & m) !== 0) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = (b & 1) !== 0 ? (b >>> 1) ^ POLY_REFLECTED : b >>> 1;
  }
  return p >>> 0;
}

/** X_POW_2N[k] = x^(2^k) modulo the polynomial. */
const X_POW_2N: number[] = [];
for (let k = 0, p = 0x40000000; k < 32; k++, p = multModP(p, p)) X_POW_2N.push(p);

/** x^(8·bytes) modulo the polynomial: the operator that shifts a CRC over `bytes` zero bytes. */
export function crc32cShiftOperator(bytes: number): number {
  let p = 0x80000000; // x^0
  for (let n = bytes, k = 3; n > 0; n = Math.floor(n / 2), k++) if (n % 2 === 1) p = multModP(X_POW_2N[k % 32], p);
  return p;
}

/**
 * The CRC32C of A followed by B from crc(A), crc(B) and B's length (zlib's crc32_combine):
 * a frame's CRC out of its blocks' CRCs, without reading its bytes again. `operator` is
 * crc32cShiftOperator(lengthB), for callers that combine many pieces of one length.
 */
export function crc32cCombine(crcA: number, crcB: number, lengthB: number, operator = crc32cShiftOperator(lengthB)): number {
  return (multModP(operator, crcA) ^ crcB) >>> 0;
}
