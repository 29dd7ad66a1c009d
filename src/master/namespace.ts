/**
 * Namespace operations over the LMDB databases of `MetaStore`.
 *
 * Contract: every mutator runs inside `store.tx` (the caller wraps it) and validates before
 * it writes, so a thrown DfsError (ENOENT, EEXIST, ENOTDIR, EISDIR, ENOTEMPTY, EINVAL,
 * ENAMETOOLONG, EBUSY, UPLOAD_NOT_FOUND) leaves nothing behind (the child transaction is
 * aborted anyway). Chunk handles whose records are removed are collected in `Effects.freed`;
 * the caller queues their replicas for deletion after the commit.
 *
 * Invariants: the root (ino 1) is a directory and is never removed; a directory's nlink is
 * 2 + its subdirectories; a non-directory's nlink is the number of dirents naming it (hard
 * links; directories cannot be hard-linked); an inode with nlink 0 is either an upload
 * (`uploads`) or an orphan still open in a session (`orphans`); an inode's extended attributes
 * (`xattrs`) are removed with it.
 */
import { DfsError } from '../common/errors';
import { FILE_CHUNKS_MAX, REPLICATION_MAX, checkFileSize, checkLayout } from '../common/limits';
import { atimeDue } from '../common/relatime';
import { newInodeOwner } from '../common/inode-owner';
import { splitPath, checkName, nameBytes } from '../common/paths';
import type { Clock } from '../common/clock';
import type { Attr } from '../generated/dfs/Attr';
import { MetaStore, InodeRec, FileKind, ROOT_INO, Ts } from './meta-store';
import { toAttr, tsOfMs, tsOfWire, AttrDefaults } from './attr';
import { checkXattrName, checkXattrValue, XATTR_CREATE, XATTR_REPLACE, XATTR_TOTAL_BYTES_MAX } from './xattr-rules';

/** Side effects of a transaction, applied by the caller after the commit. */
export class Effects {
  freed: number[] = [];
}

export interface NamespaceOptions {
  store: MetaStore;
  clock: Clock;
  defaults: AttrDefaults;
  /** True when a live session holds the inode open (then unlinking it makes an orphan). */
  isOpen: (ino: number) => boolean;
  /** Entries a recursive delete removes in its own transaction (default REMOVE_BATCH_ENTRIES); the rest later. */
  removeBatchEntries?: number;
}

/** Entries of a folder tree removed per transaction (~50 ms of the master's time here). */
export const REMOVE_BATCH_ENTRIES = 5_000;
/** Detached folders taken per reapDoomed call. */
const DOOMED_PER_REAP_MAX = 64;

export const LIST_LIMIT_DEFAULT = 1000;
export const LIST_LIMIT_MAX = 10000;

interface Found { ino: number; rec: InodeRec }
interface ParentSlot { parentIno: number; parent: InodeRec; name: string; parts: string[] }

export interface SetAttrChanges {
  mode?: number; uid?: number; gid?: number; size?: number;
  atime?: Ts; mtime?: Ts; replication?: number;
  /** utimensat(UTIME_NOW): set to this transaction's time (the one ctime gets). */
  atimeNow?: boolean; mtimeNow?: boolean;
  /** A read (relatime): atime = now if it is not after mtime or ctime or is a day old; ctime stays. */
  accessed?: boolean;
  /** On a grow, a chunk past the old end that stays (a writer holds its lease: its data may be about to be committed). */
  inUse?: (handle: number) => boolean;
}


export interface NewFileOptions {
  mode: number; uid: number; gid: number; chunkSize: number; replication: number;
}

/** Special files mknod can make (regular files go through `create`). */
export type SpecialKind = 'FIFO' | 'CHAR_DEVICE' | 'BLOCK_DEVICE' | 'SOCKET';
const SPECIAL_KINDS: ReadonlySet<string> = new Set(['FIFO', 'CHAR_DEVICE', 'BLOCK_DEVICE', 'SOCKET']);
/** ext4's EXT4_LINK_MAX: link(2) beyond it fails with EMLINK. */
export const LINK_COUNT_MAX = 65000;
/** PATH_MAX: a longer symlink target fails with ENAMETOOLONG. */
const SYMLINK_TARGET_BYTES_MAX = 4095;
const DIR_MODE_DEFAULT = 0o755;
const FILE_MODE_DEFAULT = 0o644;

export class Namespace {
  private readonly s: MetaStore;
  private readonly removeBatchEntries: number;

  constructor(private readonly o: NamespaceOptions) {
    this.s = o.store;
    this.removeBatchEntries = o.removeBatchEntries ?? REMOVE_BATCH_ENTRIES;
  }

  attr(ino: number, rec: InodeRec): Attr {
    return toAttr(ino, rec, this.o.defaults);
  }

  private now(): Ts {
    return tsOfMs(this.o.clock.nowMs());
  }

  // ------------------------------------------------------------------ reads

  /** The inode `ino` (linked, orphan or upload). ENOENT when it does not exist. */
  inode(ino: number): InodeRec {
    const rec = this.s.inodes.get(ino);
    if (!rec) throw new DfsError('ENOENT', `no inode ${ino}`);
    return rec;
  }

  lookup(path: string): Found {
    return this.walk(splitPath(path), path);
  }

  private walk(parts: string[], path: string): Found {
    let ino = ROOT_INO;
    let rec = this.inode(ino);
    for (const name of parts) {
      if (rec.type !== 'DIRECTORY') throw new DfsError('ENOTDIR', `not a directory in ${path}`);
      const child = this.s.dirents.get([ino, name]);
      if (child === undefined) throw new DfsError('ENOENT', `no such file or directory: ${path}`);
      ino = child;
      rec = this.inode(ino);
    }
    return { ino, rec };
  }

  /** The existing parent directory of a non-root path. */
  private parentSlot(path: string): ParentSlot {
    const parts = splitPath(path);
    if (parts.length === 0) throw new DfsError('EBUSY', 'the root cannot be used here');
    const name = parts[parts.length - 1];
    checkName(name);
    const p = this.walk(parts.slice(0, -1), path);
    if (p.rec.type !== 'DIRECTORY') throw new DfsError('ENOTDIR', `not a directory in ${path}`);
    return { parentIno: p.ino, parent: p.rec, name, parts };
  }

  private child(dirIno: number, name: string): Found | undefined {
    const ino = this.s.dirents.get([dirIno, name]);
    return ino === undefined ? undefined : { ino, rec: this.inode(ino) };
  }

  private isEmptyDir(ino: number): boolean {
    for (const _ of this.s.dirents.getKeys({ start: [ino], end: [ino + 1], limit: 1 })) return false;
    return true;
  }

  stat(path: string): Attr {
    const f = this.lookup(path);
    return this.attr(f.ino, f.rec);
  }

  /** One page of a directory, in bytewise name order after `startAfter`. ENOTDIR on a non-directory. */
  list(path: string, startAfter: string, limit: number): { entries: { name: string; attr: Attr }[]; eof: boolean; dir: Attr } {
    const d = this.lookup(path);
    if (d.rec.type !== 'DIRECTORY') throw new DfsError('ENOTDIR', `not a directory: ${path}`);
    const pageLimit = Math.min(limit > 0 ? limit : LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX);
    const start = startAfter ? [d.ino, startAfter] : [d.ino];
    const entries: { name: string; attr: Attr }[] = [];
    let eof = true;
    for (const { key, value } of this.s.dirents.getRange({ start: start as [number, string], end: [d.ino + 1] as unknown as [number, string], limit: pageLimit + 2 })) {
      const name = key[1];
      if (startAfter && name === startAfter) continue;
      if (entries.length === pageLimit) { eof = false; break; }
      const rec = this.s.inodes.get(value);
      if (rec) entries.push({ name, attr: this.attr(value, rec) });
    }
    return { entries, eof, dir: this.attr(d.ino, d.rec) };
  }

  // ------------------------------------------------------------------ inode lifecycle (inside tx)

  ensureRoot(): void {
    if (this.s.inodes.get(ROOT_INO)) return;
    const t = this.now();
    this.s.inodes.put(ROOT_INO, {
      type: 'DIRECTORY', mode: DIR_MODE_DEFAULT, uid: 0, gid: 0, size: 0, nlink: 2,
      atime: t, mtime: t, ctime: t, chunkSize: 0, replication: 0, chunks: [],
    });
    if (this.s.counter('nextIno') < ROOT_INO + 1) this.s.meta.put('nextIno', ROOT_INO + 1);
    this.s.bump('inodeCount', 1);
  }

  private newInode(rec: Omit<InodeRec, 'atime' | 'mtime' | 'ctime' | 'size' | 'chunks'> & { size?: number }): number {
    const ino = Math.max(this.s.counter('nextIno'), ROOT_INO + 1);
    this.s.meta.put('nextIno', ino + 1);
    const t = this.now();
    this.s.inodes.put(ino, { size: 0, ...rec, atime: t, mtime: t, ctime: t, chunks: [] });
    this.s.bump('inodeCount', 1);
    return ino;
  }

  private freeChunks(handles: number[], fx: Effects): void {
    for (const h of handles) {
      if (h === 0) continue;
      if (this.s.chunks.get(h)) {
        this.s.chunks.remove(h);
        this.s.bump('chunkCount', -1);
      }
      fx.freed.push(h);
    }
  }

  /** Removes an inode and its chunks for good. */
  dropInode(ino: number, rec: InodeRec, fx: Effects): void {
    this.freeChunks(rec.chunks, fx);
    this.s.orphans.remove(ino);
    this.s.uploads.remove(ino);
    this.dropRecord(ino);
  }

  /** The inode record and its extended attributes (directories: their dirents are gone already). */
  private dropRecord(ino: number): void {
    for (const key of Array.from(this.s.xattrs.getKeys({ start: [ino] as unknown as [number, string], end: [ino + 1] as unknown as [number, string] }))) {
      this.s.xattrs.remove(key);
    }
    this.s.inodes.remove(ino);
    this.s.bump('inodeCount', -1);
  }

  /**
   * One name of a non-directory went away: with other hard links left, nlink - 1 (and a new
   * ctime); the last name: an orphan when open, gone otherwise.
   */
  private unlinkInode(ino: number, rec: InodeRec, fx: Effects): void {
    if (rec.nlink > 1) {
      this.s.inodes.put(ino, { ...rec, nlink: rec.nlink - 1, ctime: this.now() });
      return;
    }
    if (this.o.isOpen(ino)) {
      this.s.inodes.put(ino, { ...rec, nlink: 0, ctime: this.now() });
      this.s.orphans.put(ino, { sinceMs: this.o.clock.nowMs() });
    } else {
      this.dropInode(ino, rec, fx);
    }
  }

  /** Removes an orphan unless it is open again. Returns whether it was removed. */
  collectOrphan(ino: number, fx: Effects): boolean {
    if (!this.s.orphans.get(ino) || this.o.isOpen(ino)) return false;
    const rec = this.s.inodes.get(ino);
    if (rec) this.dropInode(ino, rec, fx);
    else this.s.orphans.remove(ino);
    return true;
  }

  private touchDir(ino: number, rec: InodeRec, nlinkDelta = 0): void {
    const t = this.now();
    const next: InodeRec = { ...rec, nlink: rec.nlink + nlinkDelta, mtime: t, ctime: t };
    delete next.createToken; // changed since its mkdir: a mkdir sent again now would be another one
    this.s.inodes.put(ino, next);
  }

  /**
   * Removes the tree of a folder already detached from the namespace, depth first, at most
   * `budget` entries; every folder it empties goes too (`top` last). Folders left unfinished
   * are recorded in `doomed` for reapDoomed to go on with, in later transactions. Returns the
   * budget left. One transaction once removed any tree whole: 1,000,000 files held the master's
   * event loop 8 s (every client and heartbeat waited) and its heap grew by 600 MiB.
   */
  private removeTree(top: number, fx: Effects, budget: number): number {
    const stack = [top];
    while (stack.length > 0 && budget > 0) {
      const d = stack[stack.length - 1];
      const children = Array.from(this.s.dirents.getRange({
        start: [d] as unknown as [number, string], end: [d + 1] as unknown as [number, string], limit: budget,
      }));
      if (children.length === 0) {
        stack.pop();
        this.s.doomed.remove(d);
        this.dropRecord(d);
        continue;
      }
      for (const { key, value } of children) {
        this.s.dirents.remove(key);
        budget--;
        const rec = this.s.inodes.get(value);
        if (!rec) continue;
        if (rec.type === 'DIRECTORY') stack.push(value);
        else this.unlinkInode(value, rec, fx);
      }
    }
    for (const d of stack) this.s.doomed.put(d, { sinceMs: this.o.clock.nowMs() });
    return budget;
  }

  /**
   * Goes on removing the trees recursive deletes left (removeTree), at most `budget` entries in
   * this transaction. Returns whether some are left.
   */
  reapDoomed(fx: Effects, budget = this.removeBatchEntries): boolean {
    for (const ino of Array.from(this.s.doomed.getKeys({ limit: DOOMED_PER_REAP_MAX }))) {
      budget = this.removeTree(ino, fx, budget);
      if (budget <= 0) break;
    }
    return this.hasDoomed();
  }

  /** A recursive delete left a tree to remove (reapDoomed). */
  hasDoomed(): boolean {
    for (const _ of this.s.doomed.getKeys({ limit: 1 })) return true;
    return false;
  }

  // ------------------------------------------------------------------ mutators (inside tx)

  mkdir(path: string, mode: number, uid: number, gid: number, parents: boolean, token = 0): Attr {
    const parts = splitPath(path);
    if (parts.length === 0) {
      if (parents) return this.stat('/');
      throw new DfsError('EEXIST', 'the root exists');
    }
    let ino = ROOT_INO;
    let rec = this.inode(ino);
    for (let i = 0; i < parts.length; i++) {
      const name = parts[i];
      const last = i === parts.length - 1;
      checkName(name);
      if (rec.type !== 'DIRECTORY') throw new DfsError('ENOTDIR', `not a directory in ${path}`);
      const c = this.child(ino, name);
      if (c) {
        // the same mkdir again (its reply was lost): the folder it made, not EEXIST
        if (last && !parents && token && c.rec.createToken === token) return this.attr(c.ino, c.rec);
        if (last && !parents) throw new DfsError('EEXIST', `file exists: ${path}`);
        if (c.rec.type !== 'DIRECTORY') throw new DfsError(last ? 'EEXIST' : 'ENOTDIR', last ? `file exists (not a directory): ${path}` : `not a directory in ${path}`);
        ino = c.ino; rec = c.rec;
        continue;
      }
      if (!last && !parents) throw new DfsError('ENOENT', `no such directory in ${path}`);
      const own = newInodeOwner(rec, { uid, gid }, last ? (mode & 0o7777) || DIR_MODE_DEFAULT : DIR_MODE_DEFAULT, true);
      const newIno = this.newInode({
        type: 'DIRECTORY', mode: own.mode, uid: own.uid, gid: own.gid, nlink: 2, chunkSize: rec.chunkSize, replication: rec.replication,
        ...(last && token ? { createToken: token } : {}),
      });
      this.s.dirents.put([ino, name], newIno);
      this.touchDir(ino, rec, 1);
      ino = newIno; rec = this.inode(newIno);
    }
    return this.attr(ino, rec);
  }

  /** open(O_CREAT): returns the new or existing inode (EEXIST when exclusive, EISDIR on a directory). */
  create(path: string, o: NewFileOptions & { exclusive: boolean; truncate: boolean; token?: number }, fx: Effects): Attr {
    checkLayout(o.chunkSize, o.replication);
    const p = this.parentSlot(path);
    const c = this.child(p.parentIno, p.name);
    if (c) {
      // the same exclusive create again (its reply was lost): the file it made, not EEXIST
      if (o.exclusive && o.token && c.rec.createToken === o.token) return this.attr(c.ino, c.rec);
      if (o.exclusive) throw new DfsError('EEXIST', `file exists: ${path}`);
      if (c.rec.type === 'DIRECTORY') throw new DfsError('EISDIR', `is a directory: ${path}`);
      if (c.rec.type !== 'REGULAR' || !o.truncate || (c.rec.size === 0 && c.rec.chunks.length === 0)) return this.attr(c.ino, c.rec);
      this.freeChunks(c.rec.chunks, fx);
      const t = this.now();
      const rec: InodeRec = { ...c.rec, size: 0, chunks: [], mtime: t, ctime: t, sha256: undefined };
      this.s.inodes.put(c.ino, rec);
      return this.attr(c.ino, rec);
    }
    const own = newInodeOwner(p.parent, o, (o.mode & 0o7777) || FILE_MODE_DEFAULT, false);
    const ino = this.newInode({
      type: 'REGULAR', mode: own.mode, uid: own.uid, gid: own.gid, nlink: 1,
      chunkSize: o.chunkSize || p.parent.chunkSize || this.o.defaults.chunkSizeBytes,
      replication: o.replication || p.parent.replication || this.o.defaults.replication,
      ...(o.exclusive && o.token ? { createToken: o.token } : {}),
    });
    this.s.dirents.put([p.parentIno, p.name], ino);
    this.touchDir(p.parentIno, p.parent);
    return this.attr(ino, this.inode(ino));
  }

  symlink(path: string, target: string, uid: number, gid: number): Attr {
    if (!target) throw new DfsError('ENOENT', 'empty symlink target');
    if (nameBytes(target) > SYMLINK_TARGET_BYTES_MAX) throw new DfsError('ENAMETOOLONG', 'symlink target too long');
    const p = this.parentSlot(path);
    if (this.child(p.parentIno, p.name)) throw new DfsError('EEXIST', `file exists: ${path}`);
    const own = newInodeOwner(p.parent, { uid, gid }, 0o777, false);
    const ino = this.newInode({
      type: 'SYMLINK', mode: 0o777, uid: own.uid, gid: own.gid, nlink: 1, size: nameBytes(target),
      chunkSize: 0, replication: 0, target,
    });
    this.s.dirents.put([p.parentIno, p.name], ino);
    this.touchDir(p.parentIno, p.parent);
    return this.attr(ino, this.inode(ino));
  }

  /**
   * link(2): a new name `dst` for the non-directory at `src`; nlink + 1, new ctime. Errors:
   * ENOENT (no src or dst parent), EPERM (src is a directory), EEXIST (dst exists), EMLINK.
   */
  link(src: string, dst: string): Attr {
    const from = this.lookup(src);
    if (from.rec.type === 'DIRECTORY') throw new DfsError('EPERM', `hard link to a directory: ${src}`);
    const p = this.parentSlot(dst);
    if (this.child(p.parentIno, p.name)) throw new DfsError('EEXIST', `file exists: ${dst}`);
    if (from.rec.nlink >= LINK_COUNT_MAX) throw new DfsError('EMLINK', `too many links: ${src}`);
    const rec: InodeRec = { ...from.rec, nlink: from.rec.nlink + 1, ctime: this.now() };
    this.s.inodes.put(from.ino, rec);
    this.s.dirents.put([p.parentIno, p.name], from.ino);
    this.touchDir(p.parentIno, this.inode(p.parentIno));
    return this.attr(from.ino, rec);
  }

  /** mknod(2) of a FIFO, device node or socket: metadata only (mode, rdev). EEXIST, EINVAL (other types). */
  mknod(path: string, type: string, mode: number, rdev: number, uid: number, gid: number): Attr {
    if (!SPECIAL_KINDS.has(type)) throw new DfsError('EINVAL', `mknod cannot make a ${type}`);
    const p = this.parentSlot(path);
    if (this.child(p.parentIno, p.name)) throw new DfsError('EEXIST', `file exists: ${path}`);
    const isDevice = type === 'CHAR_DEVICE' || type === 'BLOCK_DEVICE';
    const own = newInodeOwner(p.parent, { uid, gid }, mode, false);
    const ino = this.newInode({
      type: type as SpecialKind, mode: own.mode, uid: own.uid, gid: own.gid, nlink: 1, chunkSize: 0, replication: 0,
      ...(isDevice ? { rdev: rdev >>> 0 } : {}),
    });
    this.s.dirents.put([p.parentIno, p.name], ino);
    this.touchDir(p.parentIno, p.parent);
    return this.attr(ino, this.inode(ino));
  }

  // ------------------------------------------------------------------ extended attributes

  /** getxattr(2): ENODATA when not set; ENOTSUP/ERANGE for a bad name. */
  getXattr(path: string, name: string): Buffer {
    checkXattrName(name);
    const f = this.lookup(path);
    const v = this.s.xattrs.get([f.ino, name]);
    if (v === undefined) throw new DfsError('ENODATA', `no attribute ${name} on ${path}`);
    return Buffer.from(v);
  }

  /** listxattr(2): every name, bytewise order. */
  listXattr(path: string): string[] {
    const f = this.lookup(path);
    return Array.from(this.s.xattrs.getKeys({ start: [f.ino] as unknown as [number, string], end: [f.ino + 1] as unknown as [number, string] }), (k) => k[1]);
  }

  /**
   * setxattr(2) with XATTR_CREATE (EEXIST when set) / XATTR_REPLACE (ENODATA when not).
   * Errors: ERANGE (name), E2BIG (value), ENOTSUP (namespace), EPERM (user.* on a special
   * file or symlink), ENOSPC (all attributes of the inode over XATTR_TOTAL_BYTES_MAX). New ctime.
   */
  setXattr(path: string, name: string, value: Buffer, flags: number): void {
    checkXattrName(name);
    checkXattrValue(value);
    if ((flags & ~(XATTR_CREATE | XATTR_REPLACE)) !== 0 || flags === (XATTR_CREATE | XATTR_REPLACE)) throw new DfsError('EINVAL', `bad xattr flags ${flags}`);
    const f = this.lookup(path);
    if (name.startsWith('user.') && f.rec.type !== 'REGULAR' && f.rec.type !== 'DIRECTORY') throw new DfsError('EPERM', `user.* attributes only on files and directories: ${path}`);
    const old = this.s.xattrs.get([f.ino, name]);
    if (old !== undefined && (flags & XATTR_CREATE)) throw new DfsError('EEXIST', `attribute ${name} exists on ${path}`);
    if (old === undefined && (flags & XATTR_REPLACE)) throw new DfsError('ENODATA', `no attribute ${name} on ${path}`);
    let total = Buffer.byteLength(name) + value.length;
    for (const { key, value: v } of this.s.xattrs.getRange({ start: [f.ino] as unknown as [number, string], end: [f.ino + 1] as unknown as [number, string] })) {
      if (key[1] !== name) total += Buffer.byteLength(key[1]) + v.length;
    }
    if (total > XATTR_TOTAL_BYTES_MAX) throw new DfsError('ENOSPC', `extended attributes of ${path} over ${XATTR_TOTAL_BYTES_MAX} bytes`);
    this.s.xattrs.put([f.ino, name], value);
    this.s.inodes.put(f.ino, { ...f.rec, ctime: this.now() });
  }

  /** removexattr(2): ENODATA when not set. New ctime. */
  removeXattr(path: string, name: string): void {
    checkXattrName(name);
    const f = this.lookup(path);
    if (this.s.xattrs.get([f.ino, name]) === undefined) throw new DfsError('ENODATA', `no attribute ${name} on ${path}`);
    this.s.xattrs.remove([f.ino, name]);
    this.s.inodes.put(f.ino, { ...f.rec, ctime: this.now() });
  }

  delete(path: string, recursive: boolean, kind: 'ANY' | 'FILE_ONLY' | 'DIR_ONLY', fx: Effects): void {
    const p = this.parentSlot(path);
    const c = this.child(p.parentIno, p.name);
    if (!c) throw new DfsError('ENOENT', `no such file or directory: ${path}`);
    if (c.rec.type === 'DIRECTORY') {
      if (kind === 'FILE_ONLY') throw new DfsError('EISDIR', `is a directory: ${path}`);
      if (!this.isEmptyDir(c.ino) && (!recursive || kind === 'DIR_ONLY')) throw new DfsError('ENOTEMPTY', `directory not empty: ${path}`);
      this.s.dirents.remove([p.parentIno, p.name]);
      this.removeTree(c.ino, fx, this.removeBatchEntries); // a big tree goes on in the background (reapDoomed)
      this.touchDir(p.parentIno, p.parent, -1);
      return;
    }
    if (kind === 'DIR_ONLY') throw new DfsError('ENOTDIR', `not a directory: ${path}`);
    this.s.dirents.remove([p.parentIno, p.name]);
    this.unlinkInode(c.ino, c.rec, fx);
    this.touchDir(p.parentIno, p.parent);
  }

  /** rename(2), atomic. See the module header for the errors. */
  rename(src: string, dst: string, noReplace: boolean, fx: Effects): void {
    const s = this.parentSlot(src);
    const d = this.parentSlot(dst);
    const moving = this.child(s.parentIno, s.name);
    if (!moving) throw new DfsError('ENOENT', `no such file or directory: ${src}`);
    const srcNorm = '/' + s.parts.join('/');
    const dstNorm = '/' + d.parts.join('/');
    if (srcNorm === dstNorm) return;
    const isDir = moving.rec.type === 'DIRECTORY';
    if (isDir && dstNorm.startsWith(srcNorm + '/')) throw new DfsError('EINVAL', `cannot move ${src} into itself`);
    const over = this.child(d.parentIno, d.name);
    if (over) {
      if (over.ino === moving.ino) return;
      if (noReplace) throw new DfsError('EEXIST', `file exists: ${dst}`);
      const overIsDir = over.rec.type === 'DIRECTORY';
      if (isDir && !overIsDir) throw new DfsError('ENOTDIR', `not a directory: ${dst}`);
      if (!isDir && overIsDir) throw new DfsError('EISDIR', `is a directory: ${dst}`);
      if (overIsDir && !this.isEmptyDir(over.ino)) throw new DfsError('ENOTEMPTY', `directory not empty: ${dst}`);
      // Ancestor check for the replaced directory: dst cannot be an ancestor of src (it would be non-empty).
      this.s.dirents.remove([d.parentIno, d.name]);
      if (overIsDir) {
        this.dropRecord(over.ino);
      } else {
        this.unlinkInode(over.ino, over.rec, fx);
      }
    }
    this.s.dirents.remove([s.parentIno, s.name]);
    this.s.dirents.put([d.parentIno, d.name], moving.ino);
    const t = this.now();
    this.s.inodes.put(moving.ino, { ...moving.rec, ctime: t });
    // Re-read parents: they may be the same inode, and the replaced entry may have changed nlink.
    const dirDelta = isDir ? 1 : 0;
    const overDirDelta = over && over.rec.type === 'DIRECTORY' ? 1 : 0;
    if (s.parentIno === d.parentIno) {
      this.touchDir(s.parentIno, this.inode(s.parentIno), -overDirDelta);
    } else {
      this.touchDir(s.parentIno, this.inode(s.parentIno), -dirDelta);
      this.touchDir(d.parentIno, this.inode(d.parentIno), dirDelta - overDirDelta);
    }
  }

  /** chmod/chown/truncate/utimes by ino (when non-zero) or path. Shrinking frees chunks past the end. */
  setAttr(ino: number, path: string, ch: SetAttrChanges, fx: Effects): Attr {
    const f = ino ? { ino, rec: this.inode(ino) } : this.lookup(path);
    const rec: InodeRec = { ...f.rec };
    const t = this.now();
    if (ch.accessed) {
      if (atimeDue(rec.atime, rec.mtime, rec.ctime, t)) {
        rec.atime = t;
        this.s.inodes.put(f.ino, rec);
      }
      return this.attr(f.ino, rec);
    }
    if (ch.mode !== undefined) rec.mode = ch.mode & 0o7777;
    if (ch.uid !== undefined) rec.uid = ch.uid;
    if (ch.gid !== undefined) rec.gid = ch.gid;
    if (ch.atime) rec.atime = ch.atime;
    if (ch.mtime) rec.mtime = ch.mtime;
    if (ch.atimeNow) rec.atime = t;
    if (ch.mtimeNow) rec.mtime = t;
    if (ch.replication !== undefined) {
      if (ch.replication < 0 || ch.replication > REPLICATION_MAX) throw new DfsError('EINVAL', `bad replication ${ch.replication}`);
      rec.replication = ch.replication;
    }
    if (ch.size !== undefined) {
      if (rec.type === 'DIRECTORY') throw new DfsError('EISDIR', 'cannot truncate a directory');
      if (rec.type !== 'REGULAR') throw new DfsError('EINVAL', 'cannot truncate this file type');
      checkFileSize(ch.size, rec.chunkSize);
    }
    if (ch.size !== undefined && ch.size !== rec.size) {
      // Chunks wholly past the smaller size hold nothing of the file: past a shrink's new end,
      // or past a grown file's old end, where only bytes nobody committed can be (a writer that
      // died, a write that failed), which must read as zeros once the size covers them.
      const grows = ch.size > rec.size;
      const keep = Math.ceil(Math.min(ch.size, rec.size) / rec.chunkSize);
      if (keep < rec.chunks.length) {
        const past = rec.chunks.slice(keep);
        const stays = past.map((h) => (grows && h !== 0 && ch.inUse?.(h) ? h : 0));
        this.freeChunks(past.filter((h, i) => stays[i] === 0), fx);
        const chunks = [...rec.chunks.slice(0, keep), ...stays];
        while (chunks.length > 0 && chunks[chunks.length - 1] === 0) chunks.pop();
        rec.chunks = chunks;
      }
      rec.size = ch.size;
      rec.sha256 = undefined;
      if (!ch.mtime) rec.mtime = t;
    }
    rec.ctime = t;
    this.s.inodes.put(f.ino, rec);
    return this.attr(f.ino, rec);
  }

  /** After data was written in place: size = max(size, minSize), new mtime, no content hash. */
  commitWrite(ino: number, minSize: number, mtime: Ts | undefined): Attr {
    const rec = { ...this.inode(ino) };
    if (rec.type !== 'REGULAR') throw new DfsError('EINVAL', `inode ${ino} is not a regular file`);
    checkFileSize(minSize, rec.chunkSize);
    const t = this.now();
    rec.size = Math.max(rec.size, minSize);
    rec.mtime = mtime ?? t;
    rec.ctime = t;
    rec.sha256 = undefined;
    delete rec.createToken; // written: a create sent again now would be another one
    this.s.inodes.put(ino, rec);
    return this.attr(ino, rec);
  }

  // ------------------------------------------------------------------ uploads (inside tx)

  private checkUploadTarget(path: string, overwrite: boolean): ParentSlot & { existing?: Found } {
    const p = this.parentSlot(path);
    const existing = this.child(p.parentIno, p.name);
    if (existing) {
      if (existing.rec.type === 'DIRECTORY') throw new DfsError('EISDIR', `is a directory: ${path}`);
      if (!overwrite) throw new DfsError('EEXIST', `file exists: ${path}`);
    }
    return { ...p, existing };
  }

  beginUpload(path: string, o: NewFileOptions & { overwrite: boolean }, expiresAtMs: number): { ino: number; rec: InodeRec } {
    checkLayout(o.chunkSize, o.replication);
    const p = this.checkUploadTarget(path, o.overwrite);
    const own = newInodeOwner(p.parent, o, (o.mode & 0o7777) || FILE_MODE_DEFAULT, false);
    const ino = this.newInode({
      type: 'REGULAR', mode: own.mode, uid: own.uid, gid: own.gid, nlink: 0,
      chunkSize: o.chunkSize || p.parent.chunkSize || this.o.defaults.chunkSizeBytes,
      replication: o.replication || p.parent.replication || this.o.defaults.replication,
    });
    this.s.uploads.put(ino, { path, expiresAtMs });
    return { ino, rec: this.inode(ino) };
  }

  /** Links a finished upload at `path` in one step; EINVAL when the chunk count does not match `size`. */
  commitUpload(ino: number, path: string, size: number, sha256: Uint8Array, overwrite: boolean, fx: Effects): Attr {
    if (!this.s.uploads.get(ino)) {
      // sent again after the master restarted under it: the first one went through when the
      // path names this very inode, at this size (the answer the first call would have given)
      const done = this.s.inodes.get(ino);
      const slot = done && done.size === size ? this.parentSlot(path) : undefined;
      if (done && slot && this.child(slot.parentIno, slot.name)?.ino === ino) return this.attr(ino, done);
      throw new DfsError('UPLOAD_NOT_FOUND', `no upload ${ino}`);
    }
    const rec = { ...this.inode(ino) };
    checkFileSize(size, rec.chunkSize);
    const want = Math.ceil(size / rec.chunkSize);
    if (rec.chunks.length !== want) {
      throw new DfsError('EINVAL', `upload ${ino} has ${rec.chunks.length} chunks, size ${size} needs ${want}`);
    }
    const p = this.checkUploadTarget(path, overwrite);
    if (p.existing) {
      this.s.dirents.remove([p.parentIno, p.name]);
      this.unlinkInode(p.existing.ino, p.existing.rec, fx);
    }
    const t = this.now();
    rec.size = size;
    rec.nlink = 1;
    rec.mtime = t;
    rec.ctime = t;
    rec.sha256 = sha256.length > 0 ? Buffer.from(sha256) : undefined;
    this.s.inodes.put(ino, rec);
    this.s.uploads.remove(ino);
    this.s.dirents.put([p.parentIno, p.name], ino);
    this.touchDir(p.parentIno, this.inode(p.parentIno));
    return this.attr(ino, rec);
  }

  abortUpload(ino: number, fx: Effects): void {
    if (!this.s.uploads.get(ino)) throw new DfsError('UPLOAD_NOT_FOUND', `no upload ${ino}`);
    const rec = this.s.inodes.get(ino);
    if (rec) this.dropInode(ino, rec, fx);
    else this.s.uploads.remove(ino);
  }

  // ------------------------------------------------------------------ chunk records (inside tx)

  /** Records a newly granted chunk in slot `index` of `ino`. ENOENT when the inode went away, EBUSY when the slot was filled meanwhile. */
  recordNewChunk(ino: number, index: number, handle: number, version: number): void {
    const rec = { ...this.inode(ino) };
    if (rec.type !== 'REGULAR') throw new DfsError('EINVAL', `inode ${ino} is not a regular file`);
    const chunks = rec.chunks.slice();
    if (!Number.isSafeInteger(index) || index < 0 || index >= FILE_CHUNKS_MAX) throw new DfsError('EFBIG', `chunk index ${index} of ${ino}: a file has at most ${FILE_CHUNKS_MAX} chunks`);
    if ((chunks[index] ?? 0) !== 0) throw new DfsError('EBUSY', `slot ${index} of ${ino} is taken`);
    while (chunks.length < index) chunks.push(0);
    chunks[index] = handle;
    rec.chunks = chunks;
    this.s.inodes.put(ino, rec);
    this.s.chunks.put(handle, { ino, index, version });
    this.s.bump('chunkCount', 1);
  }

  /**
   * Empties slot `index` of `ino` if it still holds `handle` (ChunkManager.replaceUnwritten: a
   * new chunk given up before anything was written to it; a chunk of a file still empty at its
   * last close, `onlyIfEmpty`); trailing empty slots go with it, as if it had never been
   * recorded. False when the inode is gone, not empty (`onlyIfEmpty`) or the slot holds
   * something else now.
   */
  dropUnwrittenChunk(ino: number, index: number, handle: number, fx: Effects, o: { onlyIfEmpty?: boolean } = {}): boolean {
    const found = this.s.inodes.get(ino);
    if (!found || found.type !== 'REGULAR' || found.chunks[index] !== handle) return false;
    if (o.onlyIfEmpty && found.size !== 0) return false;
    const rec = { ...found };
    const chunks = rec.chunks.slice();
    chunks[index] = 0;
    while (chunks.length > 0 && chunks[chunks.length - 1] === 0) chunks.pop();
    rec.chunks = chunks;
    this.s.inodes.put(ino, rec);
    this.freeChunks([handle], fx);
    return true;
  }

  /** Raises a chunk's version (never lowers it). False when the chunk no longer exists. */
  raiseChunkVersion(handle: number, version: number): boolean {
    const rec = this.s.chunks.get(handle);
    if (!rec) return false;
    if (version > rec.version) this.s.chunks.put(handle, { ...rec, version });
    return true;
  }
}

export type { FileKind };
export { tsOfWire };
