/**
 * One CRC32C pass per received byte instead of two: a data frame's CRC is checked through the
 * CRCs of the 64 KiB blocks it covers (combined, crc32cCombine), and the chunk writer then takes
 * those block CRCs for its checksum file instead of reading the same bytes again (it used to:
 * crc32c was 13% of a chunkserver's CPU during a put, two passes).
 *
 * The CRCs are remembered by where the bytes live (their ArrayBuffer and offset, weakly: they go
 * with the frame's memory) and taken once. A received frame's bytes are never modified, and a
 * block the writer gathers from several frames (a copy) is simply not found and computed.
 */
import { crc32c, crc32cCombine, crc32cShiftOperator } from '../common/crc32c';
import { BLOCK_BYTES } from './chunk-meta';

const BLOCK_SHIFT = crc32cShiftOperator(BLOCK_BYTES);
const verified = new WeakMap<ArrayBufferLike, Map<number, number>>();

/**
 * Whether `data`, to be written at `chunkOffset` of a chunk, has the CRC32C `expected`; when it
 * has, the CRCs of the whole blocks it covers are kept for takeVerifiedCrc.
 */
export function checkFrameCrc(data: Buffer, chunkOffset: number, expected: number): boolean {
  let i = Math.min((BLOCK_BYTES - (chunkOffset % BLOCK_BYTES)) % BLOCK_BYTES, data.length);
  let crc = i > 0 ? crc32c(data.subarray(0, i)) : 0;
  const blocks: number[] = [];
  for (; data.length - i >= BLOCK_BYTES; i += BLOCK_BYTES) {
    const c = crc32c(data.subarray(i, i + BLOCK_BYTES));
    blocks.push(c);
    crc = crc32cCombine(crc, c, BLOCK_BYTES, BLOCK_SHIFT);
  }
  if (i < data.length) crc = crc32cCombine(crc, crc32c(data.subarray(i)), data.length - i);
  if (crc !== expected >>> 0) return false;
  if (blocks.length > 0) {
    let known = verified.get(data.buffer);
    if (!known) verified.set(data.buffer, (known = new Map()));
    const first = data.byteOffset + Math.min((BLOCK_BYTES - (chunkOffset % BLOCK_BYTES)) % BLOCK_BYTES, data.length);
    blocks.forEach((c, k) => known!.set(first + k * BLOCK_BYTES, c));
  }
  return true;
}

/** The CRC32C checkFrameCrc computed for exactly these 64 KiB of memory, once; else undefined. */
export function takeVerifiedCrc(block: Buffer): number | undefined {
  if (block.length !== BLOCK_BYTES) return undefined;
  const known = verified.get(block.buffer);
  const crc = known?.get(block.byteOffset);
  if (crc !== undefined) known!.delete(block.byteOffset);
  return crc;
}
