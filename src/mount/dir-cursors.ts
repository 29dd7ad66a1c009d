/**
 * Directory listings for readdir, one page at a time. The kernel reads a directory in requests of
 * one page (4 KiB of dirents) and asks each from the offset of the last entry it kept; a cursor per
 * open directory holds one master List page (`LIST_PAGE_ENTRIES` entries) and fetches the next when
 * the kernel gets past it, so listing a directory of any size costs bounded memory.
 *
 * Offsets are positions in the listing: '.' is 0, '..' is 1, then the master's entries in bytewise
 * name order. The entry at position p has the offset p + 1 (an offset names the entry after it).
 * A request before the cursor's page (rewinddir, or seekdir back) lists again from the start.
 */
import { posix } from 'node:path';
import { LIST_PAGE_ENTRIES } from '../client/dfs-client';
import type { Attr, DfsClientApi } from '../client/types';
import type { FuseStat } from './native/fuse-binding';

/** At most this many entries go to the binding per request: a 4 KiB kernel buffer holds fewer. */
const ENTRIES_PER_REPLY = 256;

interface Page {
  /** Position of names[0] in the listing. */
  base: number;
  names: string[];
  stats: FuseStat[];
  /** The master's cursor after this page ('' before the first); undefined once the listing ended. */
  after: string | undefined;
}

export interface DirPage { names: string[]; stats: FuseStat[]; base: number }

export class DirCursors {
  private readonly open = new Map<number, Page | undefined>();
  private nextHandle = 1;

  constructor(
    private readonly client: DfsClientApi,
    private readonly toStat: (attr: Attr) => FuseStat,
  ) {}

  /** A handle for opendir; never 0 (0 means "no handle" to the binding). */
  openHandle(): number {
    let h = this.nextHandle;
    while (h === 0 || this.open.has(h)) h = (h + 1) >>> 0;
    this.nextHandle = (h + 1) >>> 0;
    this.open.set(h, undefined);
    return h;
  }

  release(fh: number): void {
    this.open.delete(fh);
  }

  get size(): number {
    return this.open.size;
  }

  /** The entries at `offset` and after, from the page of handle `fh` (0: a one-off cursor). */
  async read(path: string, offset: number, fh: number): Promise<DirPage> {
    let page = this.open.get(fh);
    if (!page || offset < page.base) page = await this.first(path);
    while (offset >= page.base + page.names.length && page.after !== undefined) {
      page = await this.next(path, page);
    }
    if (fh !== 0 && this.open.has(fh)) this.open.set(fh, page);
    const from = offset - page.base;
    if (from >= page.names.length) return { names: [], stats: [], base: offset };
    const to = Math.min(page.names.length, from + ENTRIES_PER_REPLY);
    return {
      names: page.names.slice(from, to),
      stats: page.stats.length === page.names.length ? page.stats.slice(from, to) : [],
      base: offset,
    };
  }

  /** '.' and '..' with their inode numbers (an entry with inode 0 is skipped by readdir(3)), then the first master page. */
  private async first(path: string): Promise<Page> {
    const [self, parent] = await Promise.all([this.client.stat(path), this.client.stat(posix.dirname(path))]);
    const start: Page = { base: 0, names: ['.', '..'], stats: [this.toStat(self), this.toStat(parent)], after: '' };
    return this.append(path, start, start);
  }

  private next(path: string, page: Page): Promise<Page> {
    return this.append(path, page, { base: page.base + page.names.length, names: [], stats: [], after: page.after });
  }

  /** Fills `into` with the master's page after `from.after`. */
  private async append(path: string, from: Page, into: Page): Promise<Page> {
    const reply = await this.client.list(path, { startAfter: from.after ?? '', limit: LIST_PAGE_ENTRIES });
    let complete = true;
    for (const e of reply.entries) {
      into.names.push(e.name);
      if (e.attr) into.stats.push(this.toStat(e.attr));
      else complete = false;
    }
    if (!complete) into.stats = [];
    const last = reply.entries[reply.entries.length - 1];
    into.after = reply.eof || !last ? undefined : last.name;
    return into;
  }
}
