/**
 * The dirty (written, not yet flushed) bytes of one file: sorted, non-overlapping pieces.
 *
 * Invariants: pieces are sorted by offset, never overlap and are never empty; a piece's buffer
 * is never mutated after insertion (a newer write trims older pieces with `subarray`), so a
 * reader may hold a snapshot of pieces while writes continue. Adjacent pieces are kept apart
 * (no copying on every 4–128 KiB FUSE write) and joined once, at flush time, by `runs()`.
 */
import assert from 'node:assert';

export interface Piece {
  offset: number;
  data: Buffer;
}

export class DirtyExtents {
  private pieces: Piece[] = [];
  private byteCount = 0;

  /** Bytes held (overlaps counted once). */
  get bytes(): number {
    return this.byteCount;
  }

  get isEmpty(): boolean {
    return this.pieces.length === 0;
  }

  /** One past the last dirty byte, 0 when empty. */
  get end(): number {
    const last = this.pieces[this.pieces.length - 1];
    return last ? last.offset + last.data.length : 0;
  }

  /** First dirty byte, 0 when empty. */
  get start(): number {
    return this.pieces.length ? this.pieces[0].offset : 0;
  }

  /** Records `data` (copied by the caller or owned) at `offset`; newer bytes win. */
  add(offset: number, data: Buffer): void {
    assert(offset >= 0 && Number.isSafeInteger(offset), 'bad offset');
    if (data.length === 0) return;
    const end = offset + data.length;
    const last = this.pieces[this.pieces.length - 1];
    if (!last || last.offset + last.data.length <= offset) {
      this.pieces.push({ offset, data }); // sequential writes: the common case, O(1)
      this.byteCount += data.length;
      return;
    }
    const kept: Piece[] = this.pieces.slice(0, this.firstEndingAfter(offset));
    let i = kept.length;
    let tail: Piece | undefined;
    for (; i < this.pieces.length && this.pieces[i].offset < end; i++) {
      const p = this.pieces[i];
      const pEnd = p.offset + p.data.length;
      this.byteCount -= p.data.length;
      if (p.offset < offset) kept.push(this.keep({ offset: p.offset, data: p.data.subarray(0, offset - p.offset) }));
      if (pEnd > end) tail = this.keep({ offset: end, data: p.data.subarray(end - p.offset) });
    }
    kept.push(this.keep({ offset, data }));
    if (tail) kept.push(tail);
    for (; i < this.pieces.length; i++) kept.push(this.pieces[i]);
    this.pieces = kept;
  }

  private keep(p: Piece): Piece {
    this.byteCount += p.data.length;
    return p;
  }

  /** Index of the first piece whose end is after `offset` (binary search). */
  private firstEndingAfter(offset: number): number {
    let lo = 0;
    let hi = this.pieces.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const p = this.pieces[mid];
      if (p.offset + p.data.length <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The pieces overlapping [offset, offset + length): an immutable snapshot. */
  overlapping(offset: number, length: number): Piece[] {
    const out: Piece[] = [];
    for (let i = this.firstEndingAfter(offset); i < this.pieces.length && this.pieces[i].offset < offset + length; i++) {
      out.push(this.pieces[i]);
    }
    return out;
  }

  /** Drops every byte at or past `size` (truncate). */
  truncate(size: number): void {
    const kept: Piece[] = [];
    this.byteCount = 0;
    for (const p of this.pieces) {
      if (p.offset >= size) continue;
      kept.push(this.keep(p.offset + p.data.length > size ? { offset: p.offset, data: p.data.subarray(0, size - p.offset) } : p));
    }
    this.pieces = kept;
  }

  /** Chunk indexes touched by the dirty bytes: [first, last] ([0, -1] when empty). */
  chunkSpan(chunkSizeBytes: number): [number, number] {
    if (this.isEmpty) return [0, -1];
    return [Math.floor(this.start / chunkSizeBytes), Math.floor((this.end - 1) / chunkSizeBytes)];
  }

  /** Contiguous runs of adjacent pieces, each joined into one buffer, in offset order. */
  runs(): Piece[] {
    const out: Piece[] = [];
    let group: Piece[] = [];
    const close = (): void => {
      if (group.length === 0) return;
      out.push({ offset: group[0].offset, data: group.length === 1 ? group[0].data : Buffer.concat(group.map((p) => p.data)) });
      group = [];
    };
    for (const p of this.pieces) {
      const prev = group[group.length - 1];
      if (prev && prev.offset + prev.data.length !== p.offset) close();
      group.push(p);
    }
    close();
    return out;
  }
}

/**
 * Copies the bytes of `pieces` that fall in [offset, offset + target.length) into `target`.
 * Returns one past the last byte written, relative to `offset` (0 when none).
 */
export function overlayPieces(pieces: readonly Piece[], offset: number, target: Buffer): number {
  let covered = 0;
  for (const p of pieces) {
    const from = Math.max(p.offset, offset);
    const to = Math.min(p.offset + p.data.length, offset + target.length);
    if (from >= to) continue;
    p.data.copy(target, from - offset, from - p.offset, to - p.offset);
    covered = Math.max(covered, to - offset);
  }
  return covered;
}
