/**
 * Pure arithmetic of the client's data path: how a byte range maps onto chunk slots, how a
 * buffer is cut into wire frames, when a cached lease stops being usable, how long to back off.
 * No I/O here, so every rule is checked by table tests (test/client-chunk-math.test.ts).
 */
import assert from 'node:assert';

/** One chunk's share of a byte range of a file. */
export interface ChunkPiece {
  /** Chunk slot index in the file. */
  index: number;
  /** Where the piece starts inside the chunk. */
  chunkOffset: number;
  /** Bytes of the piece (> 0). */
  length: number;
  /** Where the piece starts inside the caller's range (0 for the first piece). */
  rangeOffset: number;
}

/** Cuts [offset, offset + length) at chunk boundaries. An empty range has no pieces. */
export function splitRange(offset: number, length: number, chunkSizeBytes: number): ChunkPiece[] {
  assert(Number.isSafeInteger(offset) && offset >= 0, `bad offset ${offset}`);
  assert(Number.isSafeInteger(length) && length >= 0, `bad length ${length}`);
  assert(Number.isSafeInteger(chunkSizeBytes) && chunkSizeBytes > 0, `bad chunk size ${chunkSizeBytes}`);
  const pieces: ChunkPiece[] = [];
  let pos = offset;
  const end = offset + length;
  while (pos < end) {
    const index = Math.floor(pos / chunkSizeBytes);
    const chunkOffset = pos - index * chunkSizeBytes;
    const n = Math.min(end - pos, chunkSizeBytes - chunkOffset);
    pieces.push({ index, chunkOffset, length: n, rangeOffset: pos - offset });
    pos += n;
  }
  return pieces;
}

/** The part of [offset, offset + length) inside a file of `sizeBytes`: its clipped length (0 at or past EOF). */
export function clipLength(offset: number, length: number, sizeBytes: number): number {
  if (offset >= sizeBytes) return 0;
  return Math.max(0, Math.min(length, sizeBytes - offset));
}

/** Number of chunk slots a file of `sizeBytes` spans. */
export function chunkCountOf(sizeBytes: number, chunkSizeBytes: number): number {
  return Math.ceil(sizeBytes / chunkSizeBytes);
}

/** Bytes of slot `index` that lie inside a file of `sizeBytes` (0 past the end). */
export function chunkLengthAt(index: number, sizeBytes: number, chunkSizeBytes: number): number {
  return Math.max(0, Math.min(chunkSizeBytes, sizeBytes - index * chunkSizeBytes));
}

/** Views (never copies) of `data` of at most `frameBytes` each; an empty buffer yields nothing. */
export function* frameSlices(data: Buffer, frameBytes: number): Generator<Buffer> {
  assert(frameBytes > 0);
  for (let pos = 0; pos < data.length; pos += frameBytes) {
    yield data.subarray(pos, Math.min(data.length, pos + frameBytes));
  }
}

/** Safety margin taken off a lease so the client never writes on a lease about to end. */
export const LEASE_MARGIN_MS = 2_000;

/** Until when a lease received at `replyAtMs` may be used from the cache. */
export function leaseUsableUntilMs(replyAtMs: number, leaseDurationMs: number): number {
  return replyAtMs + leaseDurationMs - LEASE_MARGIN_MS;
}

export const BACKOFF_BASE_MS = 100;
export const BACKOFF_MAX_MS = 2_000;

/** Backoff before retry number `attempt` (0-based): exponential, capped, with up to 50% jitter. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
  return Math.round(base * (0.5 + random() / 2));
}

/** The expected length of upload chunk `index` when the whole source size is known, else undefined. */
export function expectedChunkLength(index: number, sizeHintBytes: number | undefined, chunkSizeBytes: number): number | undefined {
  if (sizeHintBytes === undefined) return undefined;
  const n = chunkLengthAt(index, sizeHintBytes, chunkSizeBytes);
  return n > 0 ? n : undefined;
}
