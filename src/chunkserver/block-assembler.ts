/**
 * Cuts a stream of chunk bytes into whole 64 KiB blocks (pure): a block can only be checksummed
 * and compressed once all of it is known. Block-aligned data passes through as views (no
 * copy); a block that spans pieces is gathered in a buffer of its own.
 */
import { BLOCK_BYTES } from './chunk-meta';

export interface WholeBlock {
  index: number;
  /** The block's bytes, owned by the caller from now on (a view of the pushed data or a fresh buffer). */
  content: Buffer;
  /**
   * The pushed bytes are content[fromBytes, toBytes) (defaults 0 and content.length); the rest
   * was there before (the prefix given at construction, or old bytes the caller added).
   */
  fromBytes?: number;
  toBytes?: number;
}

export class BlockAssembler {
  private pos: number;
  /** Where the pushed bytes begin inside the first block. */
  private readonly firstIndex: number;
  private readonly firstFromBytes: number;
  /** Block floor(pos / BLOCK_BYTES) so far: its bytes [0, pos % BLOCK_BYTES). */
  private partial: Buffer;

  /**
   * `startBytes`: the chunk offset of the first byte to be pushed. `prefix`: the bytes of its
   * block before that offset (zeros where it is shorter or absent).
   */
  constructor(startBytes: number, prefix?: Buffer) {
    this.pos = startBytes;
    this.firstIndex = Math.floor(startBytes / BLOCK_BYTES);
    this.firstFromBytes = startBytes % BLOCK_BYTES;
    this.partial = Buffer.alloc(BLOCK_BYTES);
    const head = startBytes % BLOCK_BYTES;
    if (prefix) prefix.copy(this.partial, 0, 0, Math.min(head, prefix.length));
  }

  /** Chunk offset of the next byte. */
  get positionBytes(): number {
    return this.pos;
  }

  /** The blocks `data` completes, in order; the rest stays in the partial block. */
  push(data: Buffer): WholeBlock[] {
    const out: WholeBlock[] = [];
    let i = 0;
    while (i < data.length) {
      const inBlock = this.pos % BLOCK_BYTES;
      const index = (this.pos - inBlock) / BLOCK_BYTES;
      if (inBlock === 0 && data.length - i >= BLOCK_BYTES) {
        out.push({ index, content: data.subarray(i, i + BLOCK_BYTES) });
        i += BLOCK_BYTES;
        this.pos += BLOCK_BYTES;
        continue;
      }
      const n = Math.min(BLOCK_BYTES - inBlock, data.length - i);
      data.copy(this.partial, inBlock, i, i + n);
      i += n;
      this.pos += n;
      if (this.pos % BLOCK_BYTES === 0) {
        out.push({ index, content: this.partial, fromBytes: this.fromBytesOf(index) });
        this.partial = Buffer.allocUnsafe(BLOCK_BYTES);
      }
    }
    return out;
  }

  /**
   * The unfinished block: its index, the bytes known so far (pushed from `fromBytes` on), and
   * the whole BLOCK_BYTES buffer behind them (so a caller can complete it in place). Undefined
   * at a block boundary.
   */
  unfinished(): { index: number; knownBytes: number; fromBytes: number; buffer: Buffer } | undefined {
    const knownBytes = this.pos % BLOCK_BYTES;
    if (knownBytes === 0) return undefined;
    const index = (this.pos - knownBytes) / BLOCK_BYTES;
    return { index, knownBytes, fromBytes: this.fromBytesOf(index), buffer: this.partial };
  }

  private fromBytesOf(index: number): number {
    return index === this.firstIndex ? this.firstFromBytes : 0;
  }
}
