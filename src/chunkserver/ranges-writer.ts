/**
 * One WriteChunk carrying several ranges of a chunk (WriteHeader.ranges): the data of the ranges
 * arrives back to back. A writer that can move to another range (FileChunkWriter.nextRange)
 * writes them all under one lock, one open file and one meta update; otherwise each range is a
 * writer of its own, committed without fsync, and only the last one is synced (its data fsync
 * covers the file, its meta holds every range's checksums). Either way a mount flush of
 * scattered extents costs one trip down the chain and one round of fsyncs per chunk, not one
 * per extent.
 */
import { DfsError } from '../common/errors';
import { checkRange } from './chunk-file-io';
import type { ChunkStore, ChunkWriter } from './chunk-store';

export interface ByteRangeSpec {
  offset: number;
  length: number;
}

/** Throws EINVAL unless `ranges` are ascending, disjoint, non-empty and add up to `totalBytes`. */
export function checkRanges(ranges: ByteRangeSpec[], totalBytes: number): void {
  let end = -1;
  let sum = 0;
  for (const r of ranges) {
    checkRange(r.offset, r.length);
    if (r.length <= 0) throw new DfsError('EINVAL', `empty range at ${r.offset}`);
    if (r.offset < end) throw new DfsError('EINVAL', `range at ${r.offset} overlaps or precedes the one before (ending at ${end})`);
    end = r.offset + r.length;
    sum += r.length;
  }
  if (sum !== totalBytes) throw new DfsError('BAD_FRAME', `the ranges hold ${sum} bytes, the header announces ${totalBytes}`);
}

export class RangesWriter implements ChunkWriter {
  private index = 0;
  /** Bytes still to come for range `index`. */
  private left: number;

  private constructor(
    private readonly store: ChunkStore,
    readonly handle: number,
    private readonly version: number,
    private readonly ranges: ByteRangeSpec[],
    private current: ChunkWriter | undefined,
  ) {
    this.left = ranges[0].length;
  }

  /** Opens the writer of the first range (lease, version and lock checks happen now). */
  static async open(store: ChunkStore, handle: number, version: number, ranges: ByteRangeSpec[]): Promise<RangesWriter> {
    if (ranges.length === 0) throw new DfsError('EINVAL', 'no ranges');
    const first = await store.openWriter(handle, version, ranges[0].offset, ranges[0].length);
    return new RangesWriter(store, handle, version, ranges, first);
  }

  async write(data: Buffer): Promise<void> {
    let rest = data;
    while (rest.length > 0) {
      if (this.left === 0) {
        // range `index` is complete: go on at the next one
        if (this.index + 1 >= this.ranges.length) throw new DfsError('BAD_FRAME', 'more data than the ranges hold');
        const r = this.ranges[this.index + 1];
        const w = this.current!;
        if (w.nextRange) {
          await w.nextRange(r.offset, r.length);
        } else {
          this.current = undefined;
          await w.commit(undefined, false);
          this.current = await this.store.openWriter(this.handle, this.version, r.offset, r.length);
        }
        this.index++;
        this.left = r.length;
      }
      const n = Math.min(this.left, rest.length);
      await this.current!.write(rest.subarray(0, n));
      this.left -= n;
      rest = rest.subarray(n);
    }
  }

  async commit(setLengthBytes?: number, sync = true): Promise<number> {
    if (this.index !== this.ranges.length - 1 || this.left !== 0 || !this.current) {
      await this.abort();
      throw new DfsError('BAD_FRAME', `the write ended inside range ${this.index + 1} of ${this.ranges.length}`);
    }
    const last = this.current;
    this.current = undefined;
    return last.commit(setLengthBytes, sync);
  }

  async abort(): Promise<void> {
    const w = this.current;
    this.current = undefined;
    await w?.abort();
  }
}
