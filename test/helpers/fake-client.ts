/**
 * An in-memory DfsClientApi for testing the FUSE bridge without a cluster. It keeps the
 * contract of src/client/types.ts: namespace errors as DfsError errno codes, writeRange does
 * not change the size (commitWrite does), holes read as zeros, an inode unlinked while open in
 * the session survives until release. Fault hooks let a test fail data calls on purpose.
 */
import type { Readable, Writable } from 'node:stream';
import { DfsError, type DfsErrorCode } from '../../src/common/errors';
import { normalizePath, parentOf } from '../../src/common/paths';
import type { Attr, ChunkInfo, Created, DfsClientApi, DirEntry, GetOptions, MknodOptions, NodeInfo, PutOptions, SpecialFileType, StatFs, UnsyncedChunk } from '../../src/client/types';
import type { ListReply__Output } from '../../src/generated/dfs/ListReply';
import type { SetAttrRequest } from '../../src/generated/dfs/SetAttrRequest';
import type { DeleteKind } from '../../src/generated/dfs/DeleteKind';
import { TO_EOF, type LockInfo, type LockSpec } from '../../src/common/locks';
import { LockService } from '../../src/master/lock-service';
import { newInodeOwner } from '../../src/common/inode-owner';
import type { LockRequest } from '../../src/master/lock-table';

type Kind = 'REGULAR' | 'DIRECTORY' | 'SYMLINK' | SpecialFileType;

interface Inode {
  ino: number;
  type: Kind;
  mode: number;
  uid: number;
  gid: number;
  /** Committed size. */
  size: number;
  /** Written bytes, with spare capacity (may extend past `size` until commitWrite; zeros elsewhere). */
  data: Buffer;
  /** Indexes of the chunks written (the others are holes); those past a shrinking size go. */
  chunks?: Set<number>;
  nlink: number;
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
  children?: Map<string, number>;
  target?: string;
  rdev?: number;
  xattrs?: Map<string, Buffer>;
}

export interface FakeFaults {
  /** writeRange rejects with this code. */
  writeRange?: DfsErrorCode;
  /** readRange rejects with this code. */
  readRange?: DfsErrorCode;
  /** Added latency of every data call, ms. */
  dataDelayMs?: number;
  /** syncChunks rejects with this code. */
  sync?: DfsErrorCode;
}

const CAPACITY_BYTES = 1024 ** 4;
export const FAKE_CHUNK_SIZE_BYTES = 1024 * 1024;

export class FakeClient implements DfsClientApi {
  private readonly inodes = new Map<number, Inode>();
  private readonly openCounts = new Map<number, number>();
  private nextIno = 2;
  faults: FakeFaults = {};
  /** Calls per method name, for assertions on buffering and caching. */
  readonly calls = new Map<string, number>();
  /** Bytes per writeRange call, in order. */
  readonly writeSizes: number[] = [];
  /** Bytes asked per readRange call, in order. */
  readonly readSizes: number[] = [];
  /** Runs per writeRanges call, in order. */
  readonly rangeCounts: number[] = [];
  /** Chunks (ino * 1e6 + index) written with noSync and not synced since: what a machine crash would lose. */
  readonly unsynced = new Set<number>();
  /** The master's lock service; two fakes given the same one (and other sessions) exclude each other. */
  locks = new LockService();
  lockSession = 'fake-session';

  constructor(readonly chunkSizeBytes = FAKE_CHUNK_SIZE_BYTES) {
    const now = Date.now();
    this.inodes.set(1, { ino: 1, type: 'DIRECTORY', mode: 0o755, uid: 0, gid: 0, size: 0, data: Buffer.alloc(0), nlink: 2, atimeMs: now, mtimeMs: now, ctimeMs: now, children: new Map() });
  }

  close(): void {}

  private count(name: string): void {
    this.calls.set(name, (this.calls.get(name) ?? 0) + 1);
  }

  // --- namespace

  private lookup(path: string): Inode {
    let node = this.inodes.get(1)!;
    for (const part of normalizePath(path).split('/').filter(Boolean)) {
      if (node.type !== 'DIRECTORY') throw new DfsError('ENOTDIR', `not a directory in ${path}`);
      const child = node.children!.get(part);
      if (child === undefined) throw new DfsError('ENOENT', `no such file: ${path}`);
      node = this.inodes.get(child)!;
    }
    return node;
  }

  private parentDir(path: string): [Inode, string] {
    const [parent, name] = parentOf(normalizePath(path));
    const dir = this.lookup(parent);
    if (dir.type !== 'DIRECTORY') throw new DfsError('ENOTDIR', `not a directory: ${parent}`);
    return [dir, name];
  }

  private attrOf(n: Inode): Attr {
    const ts = (ms: number) => ({ sec: Math.floor(ms / 1000), nsec: (ms % 1000) * 1e6 });
    return {
      ino: n.ino, type: n.type, mode: n.mode, uid: n.uid, gid: n.gid,
      size: n.type === 'SYMLINK' ? Buffer.byteLength(n.target ?? '') : n.type === 'DIRECTORY' ? 0 : n.size,
      nlink: n.nlink, atime: ts(n.atimeMs), mtime: ts(n.mtimeMs), ctime: ts(n.ctimeMs),
      chunkSize: this.chunkSizeBytes, replication: 3, symlinkTarget: n.target ?? '', rdev: n.rdev ?? 0,
      sha256: Buffer.alloc(0), chunkCount: Math.ceil(n.size / this.chunkSizeBytes),
      ...(n.type === 'REGULAR' ? { storedBytes: this.storedBytesOf(n) } : {}),
    };
  }

  /** As the master's storedBytesOf: each chunk written counts whole, up to the size. */
  private storedBytesOf(n: Inode): number {
    let bytes = 0;
    for (const i of n.chunks ?? []) bytes += Math.max(0, Math.min(this.chunkSizeBytes, n.size - i * this.chunkSizeBytes));
    return bytes;
  }

  /** `parent`: the directory it goes into (its setgid rule applies, as in the master). */
  private newInode(type: Kind, mode: number, uid = 0, gid = 0, parent?: Inode): Inode {
    const now = Date.now();
    if (parent) ({ uid, gid, mode } = newInodeOwner(parent, { uid, gid }, mode, type === 'DIRECTORY'));
    const n: Inode = { ino: this.nextIno++, type, mode: mode & 0o7777, uid, gid, size: 0, data: Buffer.alloc(0), nlink: type === 'DIRECTORY' ? 2 : 1, atimeMs: now, mtimeMs: now, ctimeMs: now };
    if (type === 'DIRECTORY') n.children = new Map();
    this.inodes.set(n.ino, n);
    return n;
  }

  private addEntry(dir: Inode, name: string, n: Inode): void {
    dir.children!.set(name, n.ino);
    dir.mtimeMs = dir.ctimeMs = Date.now();
  }

  async stat(path: string): Promise<Attr> {
    this.count('stat');
    return this.attrOf(this.lookup(path));
  }

  async list(path: string, opts: { startAfter?: string; limit?: number } = {}): Promise<ListReply__Output> {
    this.count('list');
    const dir = this.lookup(path);
    if (dir.type !== 'DIRECTORY') throw new DfsError('ENOTDIR', `not a directory: ${path}`);
    const names = [...dir.children!.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const after = opts.startAfter;
    const rest = after === undefined ? names : names.filter((n) => Buffer.compare(Buffer.from(n), Buffer.from(after)) > 0);
    const limit = opts.limit ?? 1000;
    const page = rest.slice(0, limit);
    return {
      entries: page.map((name) => ({ name, attr: this.attrOf(this.inodes.get(dir.children!.get(name)!)!) })),
      eof: rest.length <= limit,
      dir: this.attrOf(dir),
    };
  }

  async *listAll(path: string): AsyncIterable<DirEntry> {
    let startAfter: string | undefined;
    for (;;) {
      const page = await this.list(path, { startAfter, limit: 3 });
      yield* page.entries;
      if (page.eof || page.entries.length === 0) return;
      startAfter = page.entries[page.entries.length - 1].name;
    }
  }

  async mkdir(path: string, opts: { mode?: number; parents?: boolean; uid?: number; gid?: number } = {}): Promise<Attr> {
    if (opts.parents) {
      let cur = '';
      for (const part of normalizePath(path).split('/').filter(Boolean)) {
        cur += '/' + part;
        try {
          const n = this.lookup(cur);
          if (n.type !== 'DIRECTORY') throw new DfsError('ENOTDIR', `not a directory: ${cur}`);
        } catch (e) {
          if (!(e instanceof DfsError && e.code === 'ENOENT')) throw e;
          await this.mkdir(cur, { ...opts, parents: false });
        }
      }
      return this.attrOf(this.lookup(path));
    }
    const [dir, name] = this.parentDir(path);
    if (dir.children!.has(name)) throw new DfsError('EEXIST', `exists: ${path}`);
    const n = this.newInode('DIRECTORY', opts.mode ?? 0o755, opts.uid, opts.gid, dir);
    this.addEntry(dir, name, n);
    dir.nlink++;
    return this.attrOf(n);
  }

  async create(path: string, opts: { mode?: number; exclusive?: boolean; truncate?: boolean; uid?: number; gid?: number } = {}): Promise<Created> {
    this.count('create');
    const [dir, name] = this.parentDir(path);
    const existing = dir.children!.get(name);
    if (existing !== undefined) {
      const n = this.inodes.get(existing)!;
      if (opts.exclusive) throw new DfsError('EEXIST', `exists: ${path}`);
      if (n.type === 'DIRECTORY') throw new DfsError('EISDIR', `is a directory: ${path}`);
      if (opts.truncate) this.resize(n, 0);
      return { ...this.attrOf(n), parent: this.attrOf(dir) };
    }
    const n = this.newInode('REGULAR', opts.mode ?? 0o644, opts.uid, opts.gid, dir);
    this.addEntry(dir, name, n);
    return { ...this.attrOf(n), parent: this.attrOf(dir) };
  }

  async delete(path: string, opts: { recursive?: boolean; kind?: DeleteKind } = {}): Promise<Attr | undefined> {
    const kind = opts.kind === 1 ? 'FILE_ONLY' : opts.kind === 2 ? 'DIR_ONLY' : opts.kind === 0 ? 'ANY' : (opts.kind ?? 'ANY');
    if (normalizePath(path) === '/') throw new DfsError('EBUSY', 'cannot delete the root');
    const [dir, name] = this.parentDir(path);
    const n = this.lookup(path);
    if (kind === 'FILE_ONLY' && n.type === 'DIRECTORY') throw new DfsError('EISDIR', `is a directory: ${path}`);
    if (kind === 'DIR_ONLY' && n.type !== 'DIRECTORY') throw new DfsError('ENOTDIR', `not a directory: ${path}`);
    if (n.type === 'DIRECTORY' && n.children!.size > 0 && !opts.recursive) throw new DfsError('ENOTEMPTY', `not empty: ${path}`);
    dir.children!.delete(name);
    dir.mtimeMs = dir.ctimeMs = Date.now();
    if (n.type === 'DIRECTORY') dir.nlink--;
    if (n.type !== 'DIRECTORY' && n.nlink > 1) n.nlink--;
    else this.unref(n);
    return this.attrOf(dir);
  }

  /** Drops an unlinked inode (and, for a directory, its subtree) unless open in the session. */
  private unref(n: Inode): void {
    n.nlink = 0;
    for (const child of n.children?.values() ?? []) this.unref(this.inodes.get(child)!);
    if (!this.openCounts.get(n.ino)) this.inodes.delete(n.ino);
  }

  async rename(src: string, dst: string, opts: { noReplace?: boolean } = {}): Promise<void> {
    const s = normalizePath(src);
    const d = normalizePath(dst);
    const [sdir, sname] = this.parentDir(s);
    const node = this.lookup(s);
    if (s === d) return;
    if (d.startsWith(s + '/')) throw new DfsError('EINVAL', 'cannot move a directory into itself');
    const [ddir, dname] = this.parentDir(d);
    const existing = ddir.children!.get(dname);
    if (existing === node.ino) return; // two hard links of one inode: rename does nothing
    if (existing !== undefined) {
      if (opts.noReplace) throw new DfsError('EEXIST', `exists: ${dst}`);
      const old = this.inodes.get(existing)!;
      if (old.type === 'DIRECTORY' && node.type !== 'DIRECTORY') throw new DfsError('EISDIR', `is a directory: ${dst}`);
      if (old.type !== 'DIRECTORY' && node.type === 'DIRECTORY') throw new DfsError('ENOTDIR', `not a directory: ${dst}`);
      if (old.type === 'DIRECTORY' && old.children!.size > 0) throw new DfsError('ENOTEMPTY', `not empty: ${dst}`);
      if (old.type === 'DIRECTORY') ddir.nlink--;
      this.unref(old);
    }
    sdir.children!.delete(sname);
    if (node.type === 'DIRECTORY') { sdir.nlink--; ddir.nlink++; }
    this.addEntry(ddir, dname, node);
    sdir.mtimeMs = Date.now();
    node.ctimeMs = Date.now();
  }

  private resize(n: Inode, size: number): void {
    if (size < n.data.length) n.data.fill(0, size); // what is cut reads as zeros if the file grows again
    for (const i of n.chunks ?? []) if (i * this.chunkSizeBytes >= size) n.chunks!.delete(i);
    n.size = size;
    n.mtimeMs = n.ctimeMs = Date.now();
  }

  async setAttr(req: SetAttrRequest): Promise<Attr> {
    this.count('setAttr');
    const ino = Number(req.ino ?? 0);
    const n = ino ? this.inodes.get(ino) : this.lookup(req.path ?? '');
    if (!n) throw new DfsError('ENOENT', `no inode ${ino}`);
    if (req.mode !== undefined) n.mode = req.mode & 0o7777;
    if (req.uid !== undefined) n.uid = req.uid;
    if (req.gid !== undefined) n.gid = req.gid;
    if (req.size !== undefined) {
      if (n.type !== 'REGULAR') throw new DfsError('EISDIR', 'not a regular file');
      this.resize(n, Number(req.size));
      this.appendEnds.delete(n.ino);
    }
    const ms = (t: NonNullable<SetAttrRequest['atime']>) => Number(t.sec ?? 0) * 1000 + Math.floor((t.nsec ?? 0) / 1e6);
    if (req.atime) n.atimeMs = ms(req.atime);
    if (req.mtime) n.mtimeMs = ms(req.mtime);
    n.ctimeMs = Date.now();
    return this.attrOf(n);
  }

  async symlink(path: string, target: string, opts: { uid?: number; gid?: number } = {}): Promise<Attr> {
    const [dir, name] = this.parentDir(path);
    if (dir.children!.has(name)) throw new DfsError('EEXIST', `exists: ${path}`);
    const n = this.newInode('SYMLINK', 0o777, opts.uid, opts.gid, dir);
    n.target = target;
    this.addEntry(dir, name, n);
    return this.attrOf(n);
  }

  async link(src: string, dst: string): Promise<Attr> {
    const n = this.lookup(src);
    if (n.type === 'DIRECTORY') throw new DfsError('EPERM', `hard link to a directory: ${src}`);
    const [dir, name] = this.parentDir(dst);
    if (dir.children!.has(name)) throw new DfsError('EEXIST', `exists: ${dst}`);
    n.nlink++;
    n.ctimeMs = Date.now();
    this.addEntry(dir, name, n);
    return this.attrOf(n);
  }

  async mknod(path: string, opts: MknodOptions): Promise<Attr> {
    const [dir, name] = this.parentDir(path);
    if (dir.children!.has(name)) throw new DfsError('EEXIST', `exists: ${path}`);
    const n = this.newInode(opts.type, opts.mode, opts.uid, opts.gid, dir);
    n.rdev = opts.rdev ?? 0;
    this.addEntry(dir, name, n);
    return this.attrOf(n);
  }

  async setXattr(path: string, name: string, value: Buffer, flags = 0): Promise<void> {
    const n = this.lookup(path);
    const map = (n.xattrs ??= new Map());
    if (flags === 1 && map.has(name)) throw new DfsError('EEXIST', `attribute ${name} exists`);
    if (flags === 2 && !map.has(name)) throw new DfsError('ENODATA', `no attribute ${name}`);
    map.set(name, Buffer.from(value));
  }

  async getXattr(path: string, name: string): Promise<Buffer> {
    const v = this.lookup(path).xattrs?.get(name);
    if (!v) throw new DfsError('ENODATA', `no attribute ${name}`);
    return v;
  }

  async listXattr(path: string): Promise<string[]> {
    return [...(this.lookup(path).xattrs?.keys() ?? [])].sort();
  }

  async removeXattr(path: string, name: string): Promise<void> {
    const n = this.lookup(path);
    if (!n.xattrs?.delete(name)) throw new DfsError('ENODATA', `no attribute ${name}`);
  }

  async statFs(): Promise<StatFs> {
    let used = 0;
    for (const n of this.inodes.values()) used += n.size;
    return { capacityBytes: CAPACITY_BYTES, usedBytes: used, freeBytes: CAPACITY_BYTES - used, files: this.inodes.size, chunks: 0, liveServers: 3, safeMode: false };
  }

  async nodes(): Promise<NodeInfo[]> {
    return [];
  }

  async locate(path: string): Promise<ChunkInfo[]> {
    this.lookup(path);
    return [];
  }

  // --- sessions

  async open(path: string): Promise<Attr> {
    this.count('open');
    const n = this.lookup(path);
    this.openCounts.set(n.ino, (this.openCounts.get(n.ino) ?? 0) + 1);
    return this.attrOf(n);
  }

  async openIno(ino: number): Promise<Attr> {
    this.count('openIno');
    const n = this.inodes.get(ino);
    if (!n) throw new DfsError('ENOENT', `no inode ${ino}`);
    this.openCounts.set(ino, (this.openCounts.get(ino) ?? 0) + 1);
    return this.attrOf(n);
  }

  async statIno(ino: number): Promise<Attr> {
    this.count('statIno');
    const n = this.inodes.get(ino);
    if (!n) throw new DfsError('ENOENT', `no inode ${ino}`);
    return this.attrOf(n);
  }

  async release(ino: number): Promise<void> {
    this.count('release');
    const left = (this.openCounts.get(ino) ?? 0) - 1;
    if (left > 0) return void this.openCounts.set(ino, left);
    this.openCounts.delete(ino);
    const n = this.inodes.get(ino);
    if (n && n.nlink === 0) this.inodes.delete(ino);
  }

  /** Inodes with an open registered in the session. */
  openInodes(): number[] {
    return [...this.openCounts.keys()];
  }

  async endSession(): Promise<void> {
    this.count('endSession');
    this.openCounts.clear();
    this.locks.releaseSessions([this.lockSession]);
  }

  // --- locks: the master's own lock service, in memory

  private lockRequest(spec: LockSpec): LockRequest {
    const start = spec.start ?? 0;
    const length = spec.length ?? 0;
    return {
      kind: spec.kind, ino: spec.ino, session: this.lockSession, owner: spec.owner, type: spec.type, pid: spec.pid ?? 0,
      start: spec.kind === 'POSIX' ? start : 0, end: spec.kind === 'POSIX' && length > 0 ? start + length : TO_EOF,
    };
  }

  async lock(spec: LockSpec): Promise<boolean> {
    this.count('lock');
    return this.locks.acquire(this.lockRequest(spec), spec.waitMs ?? 0);
  }

  async getLock(spec: LockSpec): Promise<LockInfo | undefined> {
    this.count('getLock');
    const held = this.locks.test(this.lockRequest(spec));
    if (!held) return undefined;
    return { kind: held.kind, type: held.type, start: held.start, length: held.end === TO_EOF ? 0 : held.end - held.start, pid: held.pid };
  }

  // --- whole files

  async put(source: Readable, remotePath: string, opts: PutOptions = {}): Promise<Attr> {
    const parts: Buffer[] = [];
    for await (const c of source) parts.push(Buffer.from(c as Buffer));
    const attr = await this.create(remotePath, { mode: opts.mode, exclusive: opts.overwrite === false, truncate: true });
    const n = this.inodes.get(Number(attr.ino))!;
    n.data = Buffer.concat(parts);
    n.size = n.data.length;
    n.chunks = new Set(Array.from({ length: Math.ceil(n.size / this.chunkSizeBytes) }, (_, i) => i));
    return this.attrOf(n);
  }

  async get(remotePath: string, dest: Writable, _opts: GetOptions = {}): Promise<Attr> {
    const n = this.lookup(remotePath);
    const data = await this.readRange(n.ino, 0, n.size);
    await new Promise<void>((res, rej) => dest.end(data, () => res()).on('error', rej));
    return this.attrOf(n);
  }

  // --- ranges

  private async delay(): Promise<void> {
    if (this.faults.dataDelayMs) await new Promise((r) => setTimeout(r, this.faults.dataDelayMs).unref());
  }

  private fileByIno(ino: number): Inode {
    const n = this.inodes.get(ino);
    if (!n) throw new DfsError('ENOENT', `no inode ${ino}`);
    if (n.type !== 'REGULAR') throw new DfsError('EISDIR', `inode ${ino} is not a regular file`);
    return n;
  }

  async readParts(ino: number, offset: number, length: number): Promise<Buffer[]> {
    return [await this.readRange(ino, offset, length)];
  }

  async readRange(ino: number, offset: number, length: number): Promise<Buffer> {
    this.count('readRange');
    this.readSizes.push(length);
    await this.delay();
    if (this.faults.readRange) throw new DfsError(this.faults.readRange, 'injected read fault');
    const n = this.fileByIno(ino);
    const end = Math.min(n.size, offset + length);
    if (end <= offset) return Buffer.alloc(0);
    const out = Buffer.alloc(end - offset);
    if (offset < n.data.length) n.data.copy(out, 0, offset, Math.min(end, n.data.length));
    return out;
  }

  async writeRanges(ino: number, runs: Array<{ offset: number; data: Buffer }>, _chunkSizeBytes?: number, opts: { noSync?: boolean } = {}): Promise<UnsyncedChunk[]> {
    this.count('writeRanges');
    this.rangeCounts.push(runs.length);
    const indexes = new Set<number>();
    for (const run of runs) {
      await this.writeRange(ino, run.offset, run.data);
      const last = Math.floor((run.offset + run.data.length - 1) / this.chunkSizeBytes);
      for (let i = Math.floor(run.offset / this.chunkSizeBytes); i <= last; i++) indexes.add(i);
    }
    if (!opts.noSync) return [];
    for (const i of indexes) this.unsynced.add(ino * 1e6 + i);
    return [...indexes].map((index) => ({ index, handle: ino * 1e6 + index }));
  }

  async syncEverywhere(handles: number[], _timeoutMs?: number): Promise<void> {
    this.count('syncEverywhere');
    if (this.faults.sync) throw new DfsError(this.faults.sync, 'injected sync fault');
    for (const h of handles) this.unsynced.delete(h);
  }

  async syncChunks(_ino: number, chunks: UnsyncedChunk[]): Promise<void> {
    this.count('syncChunks');
    await this.delay();
    if (this.faults.sync) throw new DfsError(this.faults.sync, 'injected sync fault');
    for (const c of chunks) this.unsynced.delete(c.handle);
  }

  async writeRange(ino: number, offset: number, data: Buffer): Promise<void> {
    this.count('writeRange');
    this.writeSizes.push(data.length);
    await this.delay();
    if (this.faults.writeRange) throw new DfsError(this.faults.writeRange, 'injected write fault');
    const n = this.fileByIno(ino);
    const end = offset + data.length;
    if (end > n.data.length) {
      const grown = Buffer.alloc(Math.max(end, 2 * n.data.length)); // capacity doubling; bytes past `size` stay zero
      n.data.copy(grown);
      n.data = grown;
    }
    data.copy(n.data, offset);
    n.chunks ??= new Set();
    for (let i = Math.floor(offset / this.chunkSizeBytes); i * this.chunkSizeBytes < end; i++) n.chunks.add(i);
  }

  async chunkStored(ino: number, index: number): Promise<boolean> {
    this.count('chunkStored');
    return this.fileByIno(ino).chunks?.has(index) ?? false;
  }

  async commitWrite(ino: number, minSize: number, mtimeMs?: number): Promise<Attr> {
    this.count('commitWrite');
    const n = this.fileByIno(ino);
    n.size = Math.max(n.size, minSize);
    n.mtimeMs = n.ctimeMs = mtimeMs ?? Date.now();
    return this.attrOf(n);
  }

  /** Appends go after the size, the last reservation and `atLeast`, as the master's ReserveAppend. */
  private readonly appendEnds = new Map<number, number>();

  async reserveAppend(ino: number, length: number, atLeast: number): Promise<number> {
    this.count('reserveAppend');
    const n = this.fileByIno(ino);
    const offset = Math.max(n.size, this.appendEnds.get(ino) ?? 0, atLeast);
    this.appendEnds.set(ino, offset + length);
    return offset;
  }

  invalidate(_ino: number): void {
    this.count('invalidate');
  }

  /** The committed bytes of a file (test assertions). */
  contentOf(path: string): Buffer {
    const n = this.lookup(path);
    const out = Buffer.alloc(n.size);
    n.data.copy(out, 0, 0, Math.min(n.size, n.data.length));
    return out;
  }
}
