/**
 * Compression of one 64 KiB checksum block (pure, no I/O).
 *
 * A chunkserver stores a block compressed when (a) compression is on ("auto"), (b) the block
 * holds at least COMPRESS_MIN_BYTES, (c) a sampled byte histogram says its order-0 Shannon
 * entropy is below `entropyMaxBitsPerByte`, and (d) the codec actually saved at least 1/8 of
 * it. Random or already-compressed data fails (c) after a few microseconds and is stored
 * raw, so it pays almost nothing; text, logs and zero-filled regions pass.
 *
 * Codec: Brotli (RFC 7932) from node:zlib at quality 0 with a 64 KiB window: no dependency, a
 * standard format, and on 64 KiB log blocks here ~370 MB/s in and ~400 MB/s out per core at
 * ~0.25 of the size. Deflate level 1 packs ~5% tighter but compresses at half that speed (the
 * disk saving is the same once rounded to 4 KiB file-system blocks); lz4-napi is faster but a
 * native dependency at ~0.30 (see README, "Dependencies and why").
 *
 * The meta file records how each block is stored as one u32 "stored word": 0 = raw (the
 * block's bytes at its slot), otherwise `codec << 24 | storedBytes` (the compressed bytes at
 * the start of the slot). The checksum always covers the uncompressed bytes.
 */
import { brotliCompressSync, brotliDecompressSync, constants as zlibConstants } from 'node:zlib';
import { DfsError } from '../common/errors';

export type CompressionMode = 'auto' | 'off';

export interface CompressionPolicy {
  mode: CompressionMode;
  /** Blocks whose sampled entropy is at or above this are not even tried (0..8). */
  entropyMaxBitsPerByte: number;
}

export const COMPRESSION_OFF: CompressionPolicy = { mode: 'off', entropyMaxBitsPerByte: 0 };

/** Stored word of a block kept as it is. */
export const STORED_RAW = 0;
/** Codec ids (the stored word's top byte). Never renumber: they are on disk. */
export const CODEC_BROTLI = 1;
const STORED_BYTES_MASK = 0xff_ffff;

/** Smaller blocks fit one file-system block anyway: compressing them saves no disk. */
export const COMPRESS_MIN_BYTES = 4096;
/** Compressed only when it saves at least 1/SAVING_MIN_DIVISOR of the block. */
const SAVING_MIN_DIVISOR = 8;
/** The histogram samples SAMPLE_RUNS runs of SAMPLE_RUN_BYTES spread over the block. */
const SAMPLE_RUNS = 16;
const SAMPLE_RUN_BYTES = 64;
const SAMPLE_BYTES = SAMPLE_RUNS * SAMPLE_RUN_BYTES;
/** c·log2(c) for every count a sample can produce: the estimate needs no log in its loop. */
const C_LOG2_C = Float64Array.from({ length: SAMPLE_BYTES + 1 }, (_, c) => (c === 0 ? 0 : c * Math.log2(c)));
const BROTLI_QUALITY = 0;
/** log2 of the window: one block. */
const BROTLI_WINDOW_BITS = 16;

export interface EncodedBlock {
  /** What goes to the slot: the block itself (raw) or its compressed form. */
  data: Buffer;
  word: number;
}

export function storedWord(codec: number, storedBytes: number): number {
  if (!(codec > 0 && codec < 256) || !(storedBytes > 0 && storedBytes <= STORED_BYTES_MASK)) {
    throw new DfsError('INTERNAL', `invalid stored block codec=${codec} bytes=${storedBytes}`);
  }
  return ((codec << 24) | storedBytes) >>> 0;
}

export function codecOf(word: number): number {
  return word >>> 24;
}

/** Bytes the block occupies in its slot: `logicalBytes` when raw. */
export function storedBytesOf(word: number, logicalBytes: number): number {
  return word === STORED_RAW ? logicalBytes : word & STORED_BYTES_MASK;
}

/** Whether `word` can describe a block of `logicalBytes` (a known codec that saved space). */
export function isValidStoredWord(word: number, logicalBytes: number): boolean {
  if (word === STORED_RAW) return true;
  const bytes = word & STORED_BYTES_MASK;
  return codecOf(word) === CODEC_BROTLI && bytes > 0 && bytes < logicalBytes;
}

/**
 * Order-0 Shannon entropy of `block` in bits per byte, from a histogram of SAMPLE_BYTES bytes
 * (SAMPLE_RUNS evenly spaced runs of 64 bytes, 1 KiB; the whole block when it is that small):
 * ~7 µs per 64 KiB block. The small sample underestimates uniform data by ~0.2 bit (7.8 for
 * random bytes), far from any useful threshold.
 */
export function estimateEntropyBitsPerByte(block: Uint8Array): number {
  if (block.length === 0) return 0;
  const counts = new Uint32Array(256);
  let n = 0;
  if (block.length <= SAMPLE_BYTES) {
    for (let i = 0; i < block.length; i++) counts[block[i]]++;
    n = block.length;
  } else {
    const stride = Math.floor((block.length - SAMPLE_RUN_BYTES) / (SAMPLE_RUNS - 1));
    for (let r = 0; r < SAMPLE_RUNS; r++) {
      const start = r * stride;
      for (let i = start; i < start + SAMPLE_RUN_BYTES; i++) counts[block[i]]++;
    }
    n = SAMPLE_BYTES;
  }
  // H = log2(n) - Σ c·log2(c) / n
  let sum = 0;
  for (let b = 0; b < 256; b++) sum += C_LOG2_C[counts[b]];
  return Math.log2(n) - sum / n;
}

/** The block as it should be stored under `policy`: compressed when that pays (see the header). */
export function encodeBlock(block: Buffer, policy: CompressionPolicy): EncodedBlock {
  if (policy.mode === 'off' || block.length < COMPRESS_MIN_BYTES) return { data: block, word: STORED_RAW };
  if (estimateEntropyBitsPerByte(block) >= policy.entropyMaxBitsPerByte) return { data: block, word: STORED_RAW };
  const packed = brotliCompressSync(block, {
    params: {
      [zlibConstants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [zlibConstants.BROTLI_PARAM_LGWIN]: BROTLI_WINDOW_BITS,
      [zlibConstants.BROTLI_PARAM_SIZE_HINT]: block.length,
    },
  });
  if (packed.length > block.length - block.length / SAVING_MIN_DIVISOR) return { data: block, word: STORED_RAW };
  return { data: packed, word: storedWord(CODEC_BROTLI, packed.length) };
}

/**
 * The `logicalBytes` bytes of a block stored as `word`, or undefined when `stored` does not
 * decode to exactly that many bytes (damaged data, or a stale meta): the caller treats that as
 * a checksum mismatch. The caller still checks the CRC of what this returns.
 */
export function decodeBlock(stored: Buffer, word: number, logicalBytes: number): Buffer | undefined {
  if (word === STORED_RAW) return stored.length === logicalBytes ? stored : undefined;
  if (!isValidStoredWord(word, logicalBytes) || stored.length !== storedBytesOf(word, logicalBytes)) return undefined;
  try {
    const out = brotliDecompressSync(stored, { maxOutputLength: logicalBytes });
    return out.length === logicalBytes ? out : undefined;
  } catch {
    return undefined; // corrupt stream, or longer than the block: both are damage
  }
}
