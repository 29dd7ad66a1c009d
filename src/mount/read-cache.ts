/**
 * The mount's read-ahead cache: windows of file bytes fetched on sequential reads, evicted
 * least recently used so that the cache plus every file's dirty bytes stay within
 * `mount.cacheBytes`.
 *
 * Invariants: a segment is inserted only when the inode's generation did not change since its
 * fetch started (`dropIno` bumps it on every local write, truncate and open), so a window
 * fetched before a write can never serve bytes older than that write. A segment marked `eof`
 * ends at the end of the file as it was when fetched: it serves reads that start before that
 * end, and no read at or past it (the file may have grown since).
 */
import assert from 'node:assert';
import { partsLength, sliceParts, type Parts } from '../common/byte-parts';

interface Segment {
  key: string;
  ino: number;
  offset: number;
  /** The window's bytes as the frames that brought them (byte-parts.ts). */
  parts: Parts;
  length: number;
  eof: boolean;
}

interface Pending {
  offset: number;
  end: number;
  done: Promise<void>;
}

export class ReadCache {
  private readonly lru = new Map<string, Segment>();
  private readonly byIno = new Map<number, Set<Segment>>();
  private readonly pending = new Map<number, Pending[]>();
  private readonly generations = new Map<number, number>();
  private byteCount = 0;

  /** `capacityBytes` is asked on every insert: the budget left by dirty data. */
  constructor(private readonly capacityBytes: () => number) {}

  get bytes(): number {
    return this.byteCount;
  }

  generation(ino: number): number {
    return this.generations.get(ino) ?? 0;
  }

  /**
   * Bytes [offset, offset + length) (fewer at a cached end of file), or null on a miss. A read
   * that starts at or past a cached end of file is a miss: the kernel asks there only when it
   * believes the file is longer (another mount grew it), and the file is asked again.
   */
  lookup(ino: number, offset: number, length: number): { parts: Buffer[]; eof: boolean; segmentEnd: number } | null {
    for (const s of this.byIno.get(ino) ?? []) {
      const end = s.offset + s.length;
      if (s.offset > offset || (end < offset + length && !(s.eof && offset < end))) continue;
      this.lru.delete(s.key);
      this.lru.set(s.key, s);
      return { parts: sliceParts(s.parts, offset - s.offset, Math.min(offset + length, end) - s.offset), eof: s.eof, segmentEnd: end };
    }
    return null;
  }

  /** Caches a fetched window unless the inode changed since `generation`. */
  insert(ino: number, generation: number, offset: number, parts: Parts, eof: boolean): void {
    const length = partsLength(parts);
    if (generation !== this.generation(ino) || length === 0 && !eof) return;
    const key = `${ino}:${offset}`;
    const old = this.lru.get(key);
    if (old) this.remove(old);
    const s: Segment = { key, ino, offset, parts, length, eof };
    this.lru.set(key, s);
    let set = this.byIno.get(ino);
    if (!set) this.byIno.set(ino, (set = new Set()));
    set.add(s);
    this.byteCount += length;
    this.trim();
  }

  /** Evicts least recently used segments until within capacity. */
  trim(): void {
    const cap = Math.max(0, this.capacityBytes());
    for (const s of this.lru.values()) {
      if (this.byteCount <= cap) break;
      this.remove(s);
    }
  }

  /** Forgets every byte of an inode and invalidates fetches in flight. */
  dropIno(ino: number): void {
    this.generations.set(ino, this.generation(ino) + 1);
    for (const s of [...(this.byIno.get(ino) ?? [])]) this.remove(s);
    this.pending.delete(ino);
  }

  /** Forgets the generation counter of an inode no longer open (bounded memory). */
  forget(ino: number): void {
    this.dropIno(ino);
    this.generations.delete(ino);
  }

  /** A fetch in flight whose window starts at or before `offset` and ends after it. */
  pendingAt(ino: number, offset: number): Promise<void> | null {
    for (const p of this.pending.get(ino) ?? []) if (p.offset <= offset && offset < p.end) return p.done;
    return null;
  }

  /** Registers a window fetch so that concurrent readers wait for it instead of fetching again. */
  track(ino: number, offset: number, end: number, done: Promise<unknown>): void {
    const list = this.pending.get(ino) ?? [];
    const p: Pending = { offset, end, done: done.then(() => undefined, () => undefined) };
    list.push(p);
    this.pending.set(ino, list);
    void p.done.then(() => {
      const now = this.pending.get(ino);
      if (!now) return;
      const rest = now.filter((x) => x !== p);
      if (rest.length) this.pending.set(ino, rest);
      else this.pending.delete(ino);
    });
  }

  private remove(s: Segment): void {
    assert(this.lru.get(s.key) === s, 'segment not in the cache');
    this.lru.delete(s.key);
    const set = this.byIno.get(s.ino)!;
    set.delete(s);
    if (set.size === 0) this.byIno.delete(s.ino);
    this.byteCount -= s.length;
  }
}
