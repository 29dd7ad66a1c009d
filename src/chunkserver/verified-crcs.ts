/**
 * One CRC32C pass per byte instead of two, both ways.
 *
 * Writes: a data frame's CRC is checked through the
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
  const head = Math.min((BLOCK_BYTES - (chunkOffset % BLOCK_BYTES)) % BLOCK_BYTES, data.length);
  let i = head;
  let crc = head > 0 ? crc32c(data.subarray(0, head)) : 0;
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
    blocks.forEach((c, k) => known!.set(data.byteOffset + head + k * BLOCK_BYTES, c));
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

/** CRC32Cs of read results, made of their blocks' verified CRCs (by the Buffer read() yields). */
const readCrcs = new WeakMap<Buffer, number>();

/**
 * Reads: `data` holds chunk bytes [from, to) just verified block by block against `crcs` (the
 * chunk's CRCs, `lengthBytes` long): when it starts on a block and ends on one or at the chunk's
 * end, its CRC32C is those CRCs combined, kept for frameCrcOf.
 */
export function rememberReadCrc(data: Buffer, from: number, to: number, crcs: number[], lengthBytes: number): void {
  if (from % BLOCK_BYTES !== 0 || (to % BLOCK_BYTES !== 0 && to !== lengthBytes) || to <= from) return;
  let crc = 0;
  for (let block = from / BLOCK_BYTES; block * BLOCK_BYTES < to; block++) {
    const bytes = Math.min(BLOCK_BYTES, to - block * BLOCK_BYTES);
    crc = crc32cCombine(crc, crcs[block], bytes, bytes === BLOCK_BYTES ? BLOCK_SHIFT : undefined);
  }
  readCrcs.set(data, crc);
}

/** The CRC32C of a frame about to be sent: remembered by rememberReadCrc, or computed. */
export function frameCrcOf(data: Buffer): number {
  return readCrcs.get(data) ?? crc32c(data);
}
