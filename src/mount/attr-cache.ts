/**
 * The mount's attribute cache: a client wrapper that answers `stat(path)` from attributes this
 * mount saw less than `ttlMs` ago — in a List page (so `ls -l` and `rm -r` after a readdir cost
 * no Stat per entry), in the reply of Create/Open/Mkdir/SetAttr/CommitWrite (so the getattr
 * libfuse sends right after a create costs nothing) or in an earlier Stat.
 *
 * Semantics are the kernel's own attribute cache (`attr_timeout`, the same `mount.attrTimeoutMs`):
 * changes made through THIS mount are seen at once, because every mutation drops what it may
 * have changed before it is answered (the path, the inode under all its names, the parent
 * folder; a rename or recursive delete drops everything); changes made by other mounts are seen
 * within `ttlMs`. Open() always asks the master (close-to-open consistency) and refreshes the
 * entry. Memory is bounded (`maxEntries`, oldest dropped first).
 *
 * Replies and mutations are ordered: a Stat or List reply is kept only for names that no
 * mutation of this mount dropped since it was asked (`mark`/`putAsked`). A lookup that finds
 * a listed name expired (a walk that outlasts the TTL) lists the names after it again in the
 * background (`refreshAfter`).
 */
import type { Clock } from '../common/clock';
import { systemClock } from '../common/clock';
import { joinPath, normalizePath } from '../common/paths';
import { isDfsError } from '../common/errors';
import type { SetAttrRequest } from '../generated/dfs/SetAttrRequest';
import type { Attr, DfsClientApi, DirEntry, MknodOptions } from '../client/types';

/**
 * Entries kept (oldest dropped first). A decoded Attr is about 1 KiB of heap: 100,000 of them
 * (an `ls` of a 100,000-entry folder) grew the mount by hundreds of MiB, so the cache keeps the
 * last 10,000 names seen; beyond that a stat is a Stat call, as without the cache.
 */
export const ATTR_CACHE_ENTRIES_MAX = 10_000;
/** Names whose drop by a mutation is remembered, for replies in flight (see AttrCache.putAsked). */
export const DROPPED_NAMES_MAX = 10_000;
/**
 * Entries of the refresh that a lookup of an expired listed name starts: the names after it,
 * which a walk in listing order (`rm -r`, `ls -l` of a big folder) asks next.
 */
export const LISTING_REFRESH_ENTRIES = 512;

interface Entry {
  attr: Attr;
  expiresAtMs: number;
  /** Came from a listing of the folder (a refresh of the names after it makes sense). */
  listed: boolean;
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export class AttrCache {
  private readonly byPath = new Map<string, Entry>();
  /** ino → the paths cached for it (hard links have several). */
  private readonly pathsOfIno = new Map<number, Set<string>>();
  /** Orders mutations and listings: a listing started at `since` must not bring back what a later mutation dropped. */
  private seq = 0;
  /** path → seq of its last drop by a mutation (the newest DROPPED_NAMES_MAX). */
  private readonly dropped = new Map<string, number>();
  /** seq of the last clear(), and of the newest tombstone forgotten: listings older than these are not kept. */
  private unsafeBefore = 0;

  constructor(private readonly ttlMs: number, private readonly maxEntries = ATTR_CACHE_ENTRIES_MAX, private readonly clock: Clock = systemClock) {}

  get size(): number {
    return this.byPath.size;
  }

  has(path: string): boolean {
    return this.get(path) !== undefined;
  }

  get(path: string): Attr | undefined {
    const e = this.byPath.get(path);
    if (!e) return undefined;
    if (e.expiresAtMs <= this.clock.nowMs()) {
      this.dropPath(path);
      return undefined;
    }
    return e.attr;
  }

  /** A listed entry that has expired (not dropped by a mutation): the walk it came from may go on. */
  expiredListed(path: string): boolean {
    const e = this.byPath.get(path);
    return e !== undefined && e.listed && e.expiresAtMs <= this.clock.nowMs();
  }

  /** A token for a Stat or List about to be asked: putAsked(…, token) keeps only what no later mutation dropped. */
  mark(): number {
    return ++this.seq;
  }

  /**
   * `put` of attributes asked at `since` (mark(): a Stat, an entry of a List page), unless this
   * mount dropped the name (or cleared everything) since: the reply may predate a delete,
   * rename or write made meanwhile.
   */
  putAsked(path: string, attr: Attr, since: number, listed = false): void {
    if (since <= this.unsafeBefore || (this.dropped.get(path) ?? 0) > since) return;
    this.put(path, attr, listed);
  }

  /** Remembers `attr` for `path`; other names of the inode get the new attributes too (nlink, ctime). */
  put(path: string, attr: Attr, listed = false): void {
    if (this.ttlMs <= 0) return;
    this.dropPath(path);
    const ino = Number(attr.ino);
    const expiresAtMs = this.clock.nowMs() + this.ttlMs;
    for (const other of this.pathsOfIno.get(ino) ?? []) {
      const e = this.byPath.get(other);
      this.byPath.set(other, { attr, expiresAtMs, listed: e?.listed ?? false });
    }
    this.byPath.set(path, { attr, expiresAtMs, listed });
    let names = this.pathsOfIno.get(ino);
    if (!names) this.pathsOfIno.set(ino, (names = new Set()));
    names.add(path);
    while (this.byPath.size > this.maxEntries) this.dropPath(this.byPath.keys().next().value as string);
  }

  dropPath(path: string): void {
    const e = this.byPath.get(path);
    if (!e) return;
    this.byPath.delete(path);
    const ino = Number(e.attr.ino);
    const names = this.pathsOfIno.get(ino);
    names?.delete(path);
    if (names?.size === 0) this.pathsOfIno.delete(ino);
  }

  /** Drops every name of the inode (a mutation: listings in flight will not bring them back). */
  dropIno(ino: number): void {
    for (const p of [...this.pathsOfIno.get(ino) ?? []]) this.dropMutated(p);
  }

  /** Drops the path, every other name of its inode, and its parent folder (mtime, nlink). */
  dropWithInode(path: string): void {
    const e = this.byPath.get(path);
    if (e) this.dropIno(Number(e.attr.ino));
    this.dropMutated(path);
    this.dropMutated(parentOf(path));
  }

  private dropMutated(path: string): void {
    this.dropPath(path);
    this.dropped.delete(path);
    this.dropped.set(path, ++this.seq);
    if (this.dropped.size > DROPPED_NAMES_MAX) {
      const [oldest, at] = this.dropped.entries().next().value as [string, number];
      this.dropped.delete(oldest);
      this.unsafeBefore = Math.max(this.unsafeBefore, at);
    }
  }

  clear(): void {
    this.byPath.clear();
    this.pathsOfIno.clear();
    this.dropped.clear();
    this.unsafeBefore = ++this.seq;
  }
}

/**
 * `client` with `stat` served from an AttrCache filled and invalidated as described in the
 * header. Methods not named here pass through unchanged.
 */
export function withAttrCache(client: DfsClientApi, ttlMs: number, clock: Clock = systemClock): DfsClientApi {
  if (ttlMs <= 0) return client;
  const cache = new AttrCache(ttlMs, ATTR_CACHE_ENTRIES_MAX, clock);
  /** A path as the master sees it (normalized); a bad path is left to the client to reject. */
  const key = (path: string): string | undefined => {
    try {
      return normalizePath(path);
    } catch {
      return undefined;
    }
  };
  /** Runs a mutation; drops `before` keys first (a failure may still have changed things). */
  async function mutate<T>(drop: () => void, work: () => Promise<T>): Promise<T> {
    drop();
    try {
      return await work();
    } finally {
      drop();
    }
  }
  const dropNew = (path: string): void => {
    const p = key(path);
    if (p) cache.dropWithInode(p);
  };

  /** Folders with a refresh in flight. */
  const refreshing = new Set<string>();
  /**
   * A lookup found the listed attributes of `dir/name` expired: the walk over the listing (an
   * `rm -r` or `ls -l` of a folder that outlasts the TTL) goes on with the names after it, so
   * they are listed again in the background, one List instead of a Stat per name.
   */
  const refreshAfter = (dir: string, name: string): void => {
    if (refreshing.has(dir)) return;
    refreshing.add(dir);
    const since = cache.mark();
    client.list(dir, { startAfter: name, limit: LISTING_REFRESH_ENTRIES })
      .then((page) => { for (const e of page.entries) if (e.attr) cache.putAsked(joinPath(dir, e.name), e.attr, since, true); })
      .catch(() => undefined) // only a prefetch: each lookup still asks for itself
      .finally(() => refreshing.delete(dir));
  };

  const overrides: Partial<DfsClientApi> = {
    async stat(path: string): Promise<Attr> {
      const p = key(path);
      const walked = p !== undefined && p !== '/' && cache.expiredListed(p);
      const hit = p === undefined ? undefined : cache.get(p);
      if (hit) return hit;
      if (walked) refreshAfter(parentOf(p!), p!.slice(p!.lastIndexOf('/') + 1));
      const since = cache.mark();
      const attr = await client.stat(path);
      if (p) cache.putAsked(p, attr, since);
      return attr;
    },
    async list(path: string, opts?: { startAfter?: string; limit?: number }) {
      const since = cache.mark();
      const page = await client.list(path, opts);
      const dir = key(path);
      if (dir) {
        for (const e of page.entries) if (e.attr) cache.putAsked(joinPath(dir, e.name), e.attr, since, true);
        if (page.dir) cache.putAsked(dir, page.dir, since);
      }
      return page;
    },
    async *listAll(path: string): AsyncIterable<DirEntry> {
      const dir = key(path);
      const since = cache.mark(); // pages are asked as the walk goes: none is newer than its start
      for await (const e of client.listAll(path)) {
        if (dir && e.attr) cache.putAsked(joinPath(dir, e.name), e.attr, since, true);
        yield e;
      }
    },
    async mkdir(path, opts) {
      const attr = await mutate(() => dropNew(path), () => client.mkdir(path, opts));
      const p = key(path);
      if (p && !opts?.parents) cache.put(p, attr);
      else cache.clear(); // `parents` may have made several folders
      return attr;
    },
    async create(path, opts) {
      const { parent, ...attr } = await mutate(() => dropNew(path), () => client.create(path, opts));
      const p = key(path);
      if (p) cache.put(p, attr);
      // the folder as the create left it: the kernel's GETATTR of it after each create costs no Stat
      if (parent && p !== undefined && p !== '/') cache.put(parentOf(p), parent);
      return attr;
    },
    async open(path, opts) {
      const p = key(path);
      let attr: Attr;
      try {
        attr = await client.open(path, opts);
      } catch (e) {
        // gone (another mount removed it): the kernel's lookup after the open's ESTALE must not
        // find the name here again, or an O_CREAT open could never create it anew
        if (p && isDfsError(e, 'ENOENT')) cache.dropWithInode(p);
        throw e;
      }
      if (p) {
        cache.dropIno(Number(attr.ino));
        cache.put(p, attr);
      }
      return attr;
    },
    async delete(path, opts) {
      // Without the inode of the name (not cached), other names of it may hold a stale nlink.
      // Decided once: after the first drop the name is gone, and asking again cleared the whole
      // cache after every unlink (so each next name of an `rm -r` cost a Stat).
      const p = key(path);
      const known = p !== undefined && !opts?.recursive && cache.has(p);
      const drop = (): void => (known ? cache.dropWithInode(p) : cache.clear());
      const parent = await mutate(drop, () => client.delete(path, opts));
      // the folder as the delete left it: the kernel's GETATTR of it after an unlink costs no Stat
      if (parent && p !== undefined && p !== '/') cache.put(parentOf(p), parent);
      return parent;
    },
    rename(src, dst, opts) {
      return mutate(() => cache.clear(), () => client.rename(src, dst, opts));
    },
    async setAttr(req: SetAttrRequest) {
      const ino = Number(req.ino ?? 0);
      const drop = (): void => {
        if (ino > 0) cache.dropIno(ino);
        if (req.path) dropNew(req.path);
      };
      const attr = await mutate(drop, () => client.setAttr(req));
      cache.dropIno(Number(attr.ino));
      const p = req.path ? key(req.path) : undefined;
      if (p) cache.put(p, attr);
      return attr;
    },
    symlink(path, target, opts) {
      return mutate(() => dropNew(path), () => client.symlink(path, target, opts));
    },
    async link(src, dst) {
      const attr = await mutate(() => { dropNew(src); dropNew(dst); }, () => client.link(src, dst));
      cache.dropIno(Number(attr.ino)); // every other name: nlink and ctime changed
      return attr;
    },
    mknod(path: string, opts: MknodOptions) {
      return mutate(() => dropNew(path), () => client.mknod(path, opts));
    },
    setXattr(path, name, value, flags) {
      return mutate(() => dropNew(path), () => client.setXattr(path, name, value, flags));
    },
    removeXattr(path, name) {
      return mutate(() => dropNew(path), () => client.removeXattr(path, name));
    },
    async commitWrite(ino, minSize, mtimeMs) {
      return mutate(() => cache.dropIno(ino), () => client.commitWrite(ino, minSize, mtimeMs));
    },
    invalidate(ino: number) {
      cache.dropIno(ino);
      client.invalidate(ino);
    },
  };
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (Object.prototype.hasOwnProperty.call(overrides, prop)) return overrides[prop as keyof DfsClientApi];
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
