/**
 * Where O_APPEND writes go (ReserveAppend): per file, the end of the last range handed out. A
 * range starts at the largest of the file's committed size, that end and the caller's own
 * uncommitted end, so two mounts appending to one log at once get ranges one after the other
 * instead of both writing at the size they knew (measured before: 200 + 200 `echo >>` from two
 * mounts left 218 lines). In memory only: an end is dropped once the committed size passed it,
 * when the file is truncated, and `ttlMs` after its last reservation (a writer that died after
 * reserving leaves zeros in its range only if others appended after it meanwhile, as GFS pads a
 * failed record append).
 */
import { DfsError } from '../common/errors';

/** Files with a live reservation at most; beyond, the oldest is forgotten. */
const RESERVED_FILES_MAX = 100_000;

export class AppendReservations {
  private readonly ends = new Map<number, { end: number; atMs: number }>();

  constructor(private readonly ttlMs: number) {}

  /** The offset of `length` bytes appended to `ino` (committed size `sizeBytes`), reserved from now on. */
  reserve(ino: number, sizeBytes: number, atLeast: number, length: number, nowMs: number): number {
    if (!Number.isSafeInteger(length) || length < 0) throw new DfsError('EINVAL', `bad append length ${length}`);
    const held = this.ends.get(ino);
    const reserved = held && nowMs - held.atMs < this.ttlMs ? held.end : 0;
    const offset = Math.max(sizeBytes, reserved, atLeast);
    this.ends.delete(ino); // re-inserted last: the map's order is the order of last use
    if (this.ends.size >= RESERVED_FILES_MAX) this.ends.delete(this.ends.keys().next().value!);
    this.ends.set(ino, { end: offset + length, atMs: nowMs });
    return offset;
  }

  /** The committed size of `ino` is now `sizeBytes`: an end it reached is of no use any more. */
  committed(ino: number, sizeBytes: number): void {
    const held = this.ends.get(ino);
    if (held && held.end <= sizeBytes) this.ends.delete(ino);
  }

  /** The file was truncated or removed: appends start from its size again. */
  forget(ino: number): void {
    this.ends.delete(ino);
  }

  get size(): number {
    return this.ends.size;
  }
}
