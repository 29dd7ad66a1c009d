/**
 * The `.meta` file of a chunk replica and the block checksum arithmetic around it (pure).
 *
 * Layout (little-endian):
 *   0  magic "DFSM"            4 bytes
 *   4  format version (u16)    = META_FORMAT_RAW (1) or META_FORMAT_BLOCKS (2)
 *   6  reserved (u16)          = 0
 *   8  chunk version (u64)
 *  16  chunk length (u64)      bytes of (uncompressed) data; also the size of the `.chunk` file
 *  24  block count (u32)       = ceil(length / BLOCK_BYTES)
 *  28  block CRC32C (u32) × block count; block i covers [i*BLOCK_BYTES, min((i+1)*BLOCK_BYTES, length))
 *      of the UNCOMPRESSED data
 *  ..  format 2 only: stored word (u32) × block count (block-codec.ts): 0 = the block's bytes are
 *      at its slot [i*BLOCK_BYTES, ...) of the `.chunk` file; else codec << 24 | n = n compressed
 *      bytes at the start of the slot (the rest of the slot is a hole or stale, never read)
 *  ..  CRC32C of every preceding byte of the file (u32): a torn or damaged meta file is detected.
 *
 * Format 1 (every block raw) is what versions before block compression wrote; it is still
 * written whenever no block is compressed, so such chunks stay readable by those versions.
 *
 * Invariants: `crcs.length === blockCountOf(lengthBytes)`, and `stored`, when present, has the
 * same length (absent = every block raw). The `.chunk` file is always `lengthBytes` long
 * (compressed slots leave holes), so every block keeps its fixed slot and a range read touches
 * only the blocks it covers.
 */
import { crc32c } from '../common/crc32c';
import { DfsError } from '../common/errors';
import { CHUNK_SIZE_MAX } from '../common/limits';
import { STORED_RAW, isValidStoredWord, storedBytesOf } from './block-codec';

export const BLOCK_BYTES = 64 * 1024;
/** Every block raw: the format of versions before compression. */
export const META_FORMAT_RAW = 1;
/** With a stored word per block. */
export const META_FORMAT_BLOCKS = 2;
/** Largest chunk a replica accepts (also bounds the meta file to 512 KiB). */
export const CHUNK_BYTES_MAX = CHUNK_SIZE_MAX;

const MAGIC = 0x4d534644; // "DFSM" read as a little-endian u32
const HEADER_BYTES = 28;

export interface ChunkMeta {
  version: number;
  lengthBytes: number;
  /** One CRC32C per 64 KiB block of the uncompressed data (see the invariant above). */
  crcs: number[];
  /** One stored word per block (block-codec.ts); absent = every block raw. */
  stored?: number[];
}

export function blockCountOf(lengthBytes: number): number {
  return Math.ceil(lengthBytes / BLOCK_BYTES);
}

export function encodeMeta(meta: ChunkMeta): Buffer {
  const count = blockCountOf(meta.lengthBytes);
  if (meta.crcs.length !== count || (meta.stored && meta.stored.length !== count)) {
    throw new DfsError('INTERNAL', `meta has ${meta.crcs.length} block CRCs / ${meta.stored?.length} stored words for ${meta.lengthBytes} bytes`);
  }
  const stored = meta.stored?.some((w) => w !== STORED_RAW) ? meta.stored : undefined;
  const buf = Buffer.alloc(HEADER_BYTES + 4 * count * (stored ? 2 : 1) + 4);
  buf.writeUInt32LE(MAGIC, 0);
  buf.writeUInt16LE(stored ? META_FORMAT_BLOCKS : META_FORMAT_RAW, 4);
  buf.writeBigUInt64LE(BigInt(meta.version), 8);
  buf.writeBigUInt64LE(BigInt(meta.lengthBytes), 16);
  buf.writeUInt32LE(count, 24);
  for (let i = 0; i < count; i++) buf.writeUInt32LE(meta.crcs[i] >>> 0, HEADER_BYTES + 4 * i);
  if (stored) {
    for (let i = 0; i < count; i++) {
      if (!isValidStoredWord(stored[i], blockBytesOf(meta.lengthBytes, i))) {
        throw new DfsError('INTERNAL', `block ${i}: invalid stored word ${stored[i]}`);
      }
      buf.writeUInt32LE(stored[i] >>> 0, HEADER_BYTES + 4 * (count + i));
    }
  }
  const end = buf.length - 4;
  buf.writeUInt32LE(crc32c(buf.subarray(0, end)), end);
  return buf;
}

/** Parses a meta file; throws CHECKSUM_MISMATCH when it is damaged or not a meta file. */
export function decodeMeta(buf: Buffer, what = 'meta'): ChunkMeta {
  const bad = (why: string) => new DfsError('CHECKSUM_MISMATCH', `${what}: ${why}`);
  if (buf.length < HEADER_BYTES + 4) throw bad('too short');
  if (buf.readUInt32LE(0) !== MAGIC) throw bad('bad magic');
  const end = buf.length - 4;
  if (crc32c(buf.subarray(0, end)) !== buf.readUInt32LE(end)) throw bad('meta checksum mismatch');
  const format = buf.readUInt16LE(4);
  if (format !== META_FORMAT_RAW && format !== META_FORMAT_BLOCKS) throw bad(`unknown format version ${format}`);
  const version = Number(buf.readBigUInt64LE(8));
  const lengthBytes = Number(buf.readBigUInt64LE(16));
  const count = buf.readUInt32LE(24);
  const words = format === META_FORMAT_BLOCKS ? 2 : 1;
  if (count !== blockCountOf(lengthBytes) || buf.length !== HEADER_BYTES + 4 * count * words + 4) throw bad('block count does not match length');
  const crcs = new Array<number>(count);
  for (let i = 0; i < count; i++) crcs[i] = buf.readUInt32LE(HEADER_BYTES + 4 * i);
  if (format === META_FORMAT_RAW) return { version, lengthBytes, crcs };
  const stored = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    stored[i] = buf.readUInt32LE(HEADER_BYTES + 4 * (count + i));
    if (!isValidStoredWord(stored[i], blockBytesOf(lengthBytes, i))) throw bad(`block ${i}: invalid stored word ${stored[i]}`);
  }
  return { version, lengthBytes, crcs, stored };
}

/** Bytes of block `block` in a chunk of `lengthBytes` (0 past the end). */
export function blockBytesOf(lengthBytes: number, block: number): number {
  return Math.max(0, Math.min(BLOCK_BYTES, lengthBytes - block * BLOCK_BYTES));
}

/** The stored word of every block (a fresh array; all raw for a format-1 meta). */
export function storedWordsOf(meta: ChunkMeta): number[] {
  return meta.stored ? meta.stored.slice() : new Array<number>(meta.crcs.length).fill(STORED_RAW);
}

/** Bytes the blocks take in the `.chunk` file: compressed sizes, raw blocks at full size. */
export function storedBytesOfMeta(meta: ChunkMeta): number {
  if (!meta.stored) return meta.lengthBytes;
  let sum = 0;
  for (let i = 0; i < meta.stored.length; i++) sum += storedBytesOf(meta.stored[i], blockBytesOf(meta.lengthBytes, i));
  return sum;
}

const ZERO_BLOCK = Buffer.alloc(BLOCK_BYTES);
const ZERO_BLOCK_CRC = crc32c(ZERO_BLOCK);

/**
 * Extends `crcs` (valid for `fromBytes`) as if zeros were appended up to `toBytes`.
 * Mutates and returns `crcs`; no I/O.
 */
export function extendWithZeros(crcs: number[], fromBytes: number, toBytes: number): number[] {
  let pos = fromBytes;
  while (pos < toBytes) {
    const block = Math.floor(pos / BLOCK_BYTES);
    const inBlock = pos % BLOCK_BYTES;
    const n = Math.min(BLOCK_BYTES - inBlock, toBytes - pos);
    if (inBlock === 0 && n === BLOCK_BYTES) crcs[block] = ZERO_BLOCK_CRC;
    else crcs[block] = crc32c(ZERO_BLOCK.subarray(0, n), inBlock === 0 ? 0 : crcs[block]);
    pos += n;
  }
  crcs.length = blockCountOf(Math.max(fromBytes, toBytes));
  return crcs;
}

/**
 * Checks `data`, which starts at the block-aligned offset `startBytes`, against `crcs`.
 * Returns the index of the first mismatching block, or -1.
 */
export function firstBadBlock(data: Buffer, startBytes: number, crcs: number[]): number {
  if (startBytes % BLOCK_BYTES !== 0) throw new DfsError('INTERNAL', 'unaligned verification');
  const first = startBytes / BLOCK_BYTES;
  for (let i = 0; i * BLOCK_BYTES < data.length; i++) {
    const piece = data.subarray(i * BLOCK_BYTES, (i + 1) * BLOCK_BYTES);
    if (crc32c(piece) !== crcs[first + i]) return first + i;
  }
  return -1;
}

/** Chunk handles are positive safe integers: anything else is EINVAL before a path is built. */
export function checkHandle(handle: unknown): number {
  if (typeof handle !== 'number' || !Number.isSafeInteger(handle) || handle <= 0) {
    throw new DfsError('EINVAL', `invalid chunk handle ${String(handle)}`);
  }
  return handle;
}
