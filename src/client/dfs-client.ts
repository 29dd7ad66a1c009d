/**
 * DfsClient: the client library of dfs (contract and error model in ./types.ts), used by the
 * CLI and the FUSE mount.
 *
 * - Every master call has a deadline (client.rpcTimeoutMs) and fails fast when the master is
 *   unreachable (UNAVAILABLE / ETIMEDOUT), never hangs.
 * - Paths are normalized here (src/common/paths.ts) so a bad path fails before any RPC.
 * - put: BeginUpload → chunks (upload.ts) → CommitUpload; on any error AbortUpload (best
 *   effort), so a failed put never leaves a file, whole or partial, at the path.
 * - get: Stat → chunks in parallel, written in order (download.ts) → SHA-256 check.
 * - Sessions: with a sessionId, open()/create() register open inodes and a KeepSession timer
 *   (every sessionTimeoutMs / 3, unref'd) re-sends them so the master keeps unlinked files.
 *   Locks belong to the session too; endSession() (unmount) lets the master drop them at once.
 */
import { createHash, randomInt } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import type { Config } from '../common/config';
import { DfsError, asDfsError } from '../common/errors';
import { callUnary, masterClient } from '../common/rpc';
import type { MasterClient } from '../common/rpc';
import { joinPath, normalizePath, parentOf } from '../common/paths';
import { logger } from '../common/logger';
import type { SetAttrRequest } from '../generated/dfs/SetAttrRequest';
import type { ListReply__Output } from '../generated/dfs/ListReply';
import type { DeleteKind } from '../generated/dfs/DeleteKind';
import type { Attr, ChunkInfo, Created, CreateOptions, DfsClientApi, DirEntry, GetOptions, MknodOptions, NodeInfo, PutOptions, StatFs, UnsyncedChunk } from './types';
import { DataPath, LOCATION_PAGE_CHUNKS } from './data-path';
import { uploadChunks } from './upload';
import { downloadChunks } from './download';
import { clipLength, frameSlices, splitRange } from './chunk-math';
import { mapLimit, timespecOfMs } from './util';
import { joinParts } from '../common/byte-parts';
import { closeCallsClient, waitForServer } from '../common/meta-calls';
import { masterCall } from './master-call';
import { LOCK_WAIT_MS_MAX, type LockInfo, type LockSpec } from '../common/locks';
import type { LockRequest } from '../generated/dfs/LockRequest';
import type { MasterMethod, ReplyOf, RequestOf } from './master-call';
import type { NodesReply__Output } from '../generated/dfs/NodesReply';

const log = logger('client');
/** Errors of a replica that could not be asked (down, partitioned, too slow), not of its disk. */
const UNREACHABLE = new Set(['UNAVAILABLE', 'ETIMEDOUT', 'CANCELLED']);
/** Handles per SyncChunks request (8 bytes each on the wire: far below grpc's 4 MiB). */
const SYNC_HANDLES_PER_CALL = 50_000;

/** Symbolic links followed for one path at most (Linux's limit, MAXSYMLINKS). */
const SYMLINKS_FOLLOWED_MAX = 40;

/** Entries per List page of listAll. */
export const LIST_PAGE_ENTRIES = 1_000;

/** Chunk slots per GetChunks call of locate(). */
export const LOCATE_PAGE_CHUNKS = 1_024;

const WIRE_LOCK_KIND: Record<string, LockRequest['kind']> = { FLOCK: 'LOCK_FLOCK', POSIX: 'LOCK_POSIX' };
const WIRE_LOCK_TYPE: Record<string, LockRequest['type']> = { READ: 'LOCK_READ', WRITE: 'LOCK_WRITE', UNLOCK: 'LOCK_UNLOCK' };

/** An exclusive Create's or a Mkdir's id: it lets the call be sent again after a lost connection (meta-calls.ts resendable). */
function newCreateToken(): number {
  return randomInt(1, 2 ** 48);
}

export class DfsClient implements DfsClientApi {
  readonly masterAddress: string;
  private readonly master: MasterClient;
  private readonly config: Config;
  private readonly data: DataPath;
  private readonly sessionId: string;
  /** ino → number of open handles of this session. */
  private readonly openInos = new Map<number, number>();
  private sessionTimer: NodeJS.Timeout | undefined;

  /** The default replica goal of this client's configuration. */
  get replication(): number {
    return this.config.cluster.replication;
  }

  /**
   * Calls wait while the master is unreachable (a restart), each until its deadline
   * (client.rpcTimeoutMs), instead of failing at once, once the master answered a first call;
   * with `waitForMaster` from the start.
   */
  constructor(opts: { masterAddress: string; config: Config; sessionId?: string; waitForMaster?: boolean }) {
    this.masterAddress = opts.masterAddress;
    this.config = opts.config;
    this.master = masterClient(opts.masterAddress);
    waitForServer(this.master, opts.waitForMaster ? 'always' : 'onceAnswered');
    this.data = new DataPath(this.master, this.config);
    this.sessionId = opts.sessionId ?? '';
    if (this.sessionId !== '') {
      const everyMs = Math.max(100, Math.floor(this.config.cluster.sessionTimeoutMs / 3));
      this.sessionTimer = setInterval(() => { void this.keepSession(); }, everyMs);
      this.sessionTimer.unref();
    }
  }

  /** Payload bytes per data frame (client.frameBytes): a good read size for put sources. */
  get frameBytes(): number {
    return this.config.client.frameBytes;
  }

  close(): void {
    if (this.sessionTimer) clearInterval(this.sessionTimer);
    this.sessionTimer = undefined;
    this.data.close();
    closeCallsClient(this.master);
  }

  // ------------------------------------------------------------------ namespace

  async stat(path: string): Promise<Attr> {
    const attr = await this.call('Stat', { path: normalizePath(path) });
    if (namesFolder(path) && attr.type !== 'DIRECTORY') throw new DfsError('ENOTDIR', `not a directory: ${path}`);
    return attr;
  }

  async list(path: string, opts: { startAfter?: string; limit?: number } = {}): Promise<ListReply__Output> {
    return this.call('List', { path: normalizePath(path), startAfter: opts.startAfter ?? '', limit: opts.limit ?? 0 });
  }

  async *listAll(path: string): AsyncIterable<DirEntry> {
    let startAfter = '';
    for (;;) {
      const page = await this.list(path, { startAfter, limit: LIST_PAGE_ENTRIES });
      yield* page.entries;
      if (page.eof || page.entries.length === 0) return;
      startAfter = page.entries[page.entries.length - 1].name;
    }
  }

  async mkdir(path: string, opts: { mode?: number; parents?: boolean; uid?: number; gid?: number } = {}): Promise<Attr> {
    return this.call('Mkdir', {
      path: normalizePath(path), mode: opts.mode ?? 0o755, parents: opts.parents ?? false, ...this.owner(opts),
      createToken: opts.parents ? 0 : newCreateToken(),
    });
  }

  async create(
    path: string,
    opts: CreateOptions = {},
  ): Promise<Created> {
    const reply = await this.call('Create', {
      path: normalizePath(path), mode: opts.mode ?? 0o644, exclusive: opts.exclusive ?? false, truncate: opts.truncate ?? false,
      chunkSize: opts.chunkSizeBytes ?? 0, replication: opts.replication ?? 0, sessionId: this.sessionId, ...this.owner(opts),
      wantLease: (opts.wantLease ?? false) && this.sessionId !== '',
      createToken: opts.exclusive ? newCreateToken() : 0,
    });
    const attr = reply.attr;
    if (!attr) throw new DfsError('INTERNAL', `Create ${path}: reply without attributes`);
    this.data.invalidate(attr.ino);
    if (reply.firstLease) {
      this.data.rememberLease(attr.ino, reply.firstLease);
      if (reply.firstLease.chunk) this.data.noteUnwrittenFirst(attr.ino, reply.firstLease.chunk.handle);
    }
    if (this.sessionId !== '') this.openInos.set(attr.ino, (this.openInos.get(attr.ino) ?? 0) + 1);
    return reply.parent ? { ...attr, parent: reply.parent } : attr;
  }

  async delete(path: string, opts: { recursive?: boolean; kind?: DeleteKind } = {}): Promise<Attr | undefined> {
    if (namesFolder(path)) await this.stat(path); // `rm file/` is ENOTDIR, as on a local disk
    const reply = await this.call('Delete', { path: normalizePath(path), recursive: opts.recursive ?? false, kind: opts.kind ?? 'ANY', sessionId: this.sessionId });
    return reply.parent ?? undefined;
  }

  async rename(src: string, dst: string, opts: { noReplace?: boolean } = {}): Promise<void> {
    if (namesFolder(src)) await this.stat(src);
    await this.call('Rename', { src: normalizePath(src), dst: normalizePath(dst), noReplace: opts.noReplace ?? false, sessionId: this.sessionId });
  }

  /**
   * SetAttr; when `size` shrinks the file to inside an existing chunk, that chunk's tail is cut
   * by a lease write (set_length) so a later extension reads zeros, as POSIX requires. When it
   * grows the file, the chunk holding the old end is cut there first: bytes past the end that
   * nobody committed (a writer that died, a write that failed) would read back otherwise (the
   * master frees the chunks wholly past the old end).
   */
  async setAttr(req: SetAttrRequest): Promise<Attr> {
    if (req.path && namesFolder(req.path)) await this.stat(req.path); // `setrep 2 file/` is ENOTDIR
    const request = { ...req, path: req.path ? normalizePath(req.path) : '' };
    const newSize = req.size === undefined || req.size === null ? undefined : Number(req.size);
    const before = newSize === undefined ? undefined : await this.attrForTruncate(request);
    if (before && newSize !== undefined && newSize > before.size && before.size % before.chunkSize !== 0) {
      const index = Math.floor(before.size / before.chunkSize);
      if (await this.data.chunkInfo(before.ino, index)) {
        await this.data.writeChunk(before.ino, index, { offset: 0, length: 0, setLength: before.size % before.chunkSize }, () => []);
      }
    }
    const attr = await this.call('SetAttr', request);
    this.data.invalidate(attr.ino);
    if (before && newSize !== undefined && newSize < before.size && newSize % attr.chunkSize !== 0) {
      const index = Math.floor(newSize / attr.chunkSize);
      if (await this.data.chunkInfo(attr.ino, index)) {
        await this.data.writeChunk(attr.ino, index, { offset: 0, length: 0, setLength: newSize % attr.chunkSize }, () => []);
      }
    }
    return attr;
  }

  async symlink(path: string, target: string, opts: { uid?: number; gid?: number } = {}): Promise<Attr> {
    return this.call('Symlink', { path: normalizePath(path), target, ...this.owner(opts) });
  }

  async link(src: string, dst: string): Promise<Attr> {
    const attr = await this.call('Link', { src: normalizePath(src), dst: normalizePath(dst) });
    this.data.invalidate(attr.ino);
    return attr;
  }

  async mknod(path: string, opts: MknodOptions): Promise<Attr> {
    return this.call('Mknod', { path: normalizePath(path), type: opts.type, mode: opts.mode & 0o7777, rdev: opts.rdev ?? 0, ...this.owner(opts) });
  }

  async setXattr(path: string, name: string, value: Buffer, flags = 0): Promise<void> {
    await this.call('SetXattr', { path: normalizePath(path), name, value, flags });
  }

  async getXattr(path: string, name: string): Promise<Buffer> {
    return Buffer.from((await this.call('GetXattr', { path: normalizePath(path), name })).value);
  }

  async listXattr(path: string): Promise<string[]> {
    return (await this.call('ListXattr', { path: normalizePath(path) })).names;
  }

  async removeXattr(path: string, name: string): Promise<void> {
    await this.call('RemoveXattr', { path: normalizePath(path), name });
  }

  async statFs(): Promise<StatFs> {
    return this.call('StatFs', {});
  }

  async nodes(): Promise<NodeInfo[]> {
    return (await this.nodesReply()).nodes;
  }

  /** Chunkservers that take new chunks: ALIVE (in service, not draining) and reachable; undefined when the master cannot say. */
  async aliveServers(): Promise<number | undefined> {
    return (await this.nodes().catch(() => undefined))?.filter((n) => String(n.state) === 'ALIVE' && !n.unreachable).length;
  }

  /** The chunkservers, the master's cluster id and the chunkservers of another cluster it refused lately. */
  async nodesReply(): Promise<NodesReply__Output> {
    return this.call('Nodes', {});
  }

  async locate(path: string): Promise<ChunkInfo[]> {
    const attr = await this.stat(path);
    const out: ChunkInfo[] = [];
    for (let first = 0; first < attr.chunkCount; first += LOCATE_PAGE_CHUNKS) {
      const reply = await this.call('GetChunks', { ino: attr.ino, firstIndex: first, count: LOCATE_PAGE_CHUNKS });
      out.push(...reply.chunks);
    }
    return out;
  }

  // ------------------------------------------------------------------ sessions

  async open(path: string, opts: { writable?: boolean } = {}): Promise<Attr> {
    const attr = await this.call('Open', { path: normalizePath(path), sessionId: this.sessionId, writable: opts.writable ?? false });
    if (this.sessionId !== '') this.openInos.set(attr.ino, (this.openInos.get(attr.ino) ?? 0) + 1);
    return attr;
  }

  async openIno(ino: number, opts: { writable?: boolean } = {}): Promise<Attr> {
    const attr = await this.call('Open', { path: '', ino, sessionId: this.sessionId, writable: opts.writable ?? false });
    if (this.sessionId !== '') this.openInos.set(attr.ino, (this.openInos.get(attr.ino) ?? 0) + 1);
    return attr;
  }

  async statIno(ino: number): Promise<Attr> {
    return this.data.fileAttr(ino, true);
  }

  async release(ino: number): Promise<void> {
    const left = (this.openInos.get(ino) ?? 1) - 1;
    if (left > 0) this.openInos.set(ino, left);
    else this.openInos.delete(ino);
    // the last open of a file created here and never written: its Create's chunk 0 goes back
    const unwrittenHandle = left > 0 ? 0 : this.data.takeUnwrittenFirst(ino) ?? 0;
    if (unwrittenHandle > 0) this.data.invalidate(ino); // its cached lease may name a chunk given back
    await this.call('Release', { ino, sessionId: this.sessionId, unwrittenHandle });
  }

  async endSession(): Promise<void> {
    if (this.sessionId === '') return;
    if (this.sessionTimer) clearInterval(this.sessionTimer);
    this.sessionTimer = undefined;
    this.openInos.clear();
    await this.call('EndSession', { sessionId: this.sessionId, openInos: [] });
  }

  // ------------------------------------------------------------------ locks

  async lock(spec: LockSpec): Promise<boolean> {
    const waitMs = Math.min(Math.max(0, Math.floor(spec.waitMs ?? 0)), LOCK_WAIT_MS_MAX);
    const req = { ...this.lockRequest(spec), waitMs };
    // the master replies within waitMs (then acquired = false): the deadline covers that plus a normal call
    const reply = await masterCall(this.master, 'Lock', req, waitMs + this.config.client.rpcTimeoutMs);
    return reply.acquired;
  }

  async getLock(spec: LockSpec): Promise<LockInfo | undefined> {
    if (spec.type === 'UNLOCK') throw new DfsError('EINVAL', 'getLock: the type must be READ or WRITE');
    const r = await this.call('GetLock', this.lockRequest(spec));
    if (!r.conflict) return undefined;
    return {
      kind: r.kind === 'LOCK_FLOCK' ? 'FLOCK' : 'POSIX', type: r.type === 'LOCK_WRITE' ? 'WRITE' : 'READ',
      start: Number(r.start), length: Number(r.length), pid: r.pid,
    };
  }

  private lockRequest(spec: LockSpec): LockRequest {
    if (this.sessionId === '') throw new DfsError('EINVAL', 'locks need a client with a session id (a mount)');
    const start = spec.start ?? 0;
    const length = spec.length ?? 0;
    if (!Number.isSafeInteger(start) || start < 0 || !Number.isSafeInteger(length) || length < 0 || !Number.isSafeInteger(start + length)) {
      throw new DfsError('EINVAL', `lock: bad range start ${start} length ${length}`);
    }
    const kind = WIRE_LOCK_KIND[spec.kind];
    const type = WIRE_LOCK_TYPE[spec.type];
    if (!kind || !type) throw new DfsError('EINVAL', `lock: unknown kind ${String(spec.kind)} or type ${String(spec.type)}`);
    return { sessionId: this.sessionId, ino: spec.ino, kind, owner: spec.owner, type, start, length, pid: spec.pid ?? 0 };
  }

  /** Inodes this session holds open (what KeepSession sends). */
  openInodes(): number[] {
    return [...this.openInos.keys()];
  }

  private async keepSession(): Promise<void> {
    try {
      await this.call('KeepSession', { sessionId: this.sessionId, openInos: this.openInodes() });
    } catch (e) {
      if (this.sessionTimer === undefined) return; // closed meanwhile: nothing to keep
      log.warn({ session: this.sessionId, code: asDfsError(e).code }, `KeepSession failed: ${asDfsError(e).message}`);
    }
  }

  // ------------------------------------------------------------------ whole files

  async put(source: Readable, remotePath: string, opts: PutOptions = {}): Promise<Attr> {
    const path = normalizePath(remotePath);
    const overwrite = opts.overwrite ?? true;
    const up = await this.call('BeginUpload', {
      path, mode: opts.mode ?? 0o644, chunkSize: opts.chunkSizeBytes ?? 0, replication: opts.replication ?? 0, overwrite, ...this.owner({}),
    });
    try {
      const { sizeBytes, sha256 } = await uploadChunks(this.data, source, {
        ino: up.ino, chunkSizeBytes: up.chunkSize, frameBytes: this.config.client.frameBytes,
        parallelChunks: this.config.client.parallelChunks, sizeHint: opts.sizeHint, onProgress: opts.onProgress,
      });
      return await this.call('CommitUpload', { ino: up.ino, path, size: sizeBytes, sha256, overwrite });
    } catch (e) {
      source.destroy();
      await this.call('AbortUpload', { ino: up.ino }).catch((ae) => log.debug({ ino: up.ino, err: asDfsError(ae).message }, 'AbortUpload failed'));
      throw asDfsError(e);
    } finally {
      this.data.invalidate(up.ino);
    }
  }

  async get(remotePath: string, dest: Writable, opts: GetOptions = {}): Promise<Attr> {
    const attr = await this.statFollowing(remotePath);
    if (attr.type === 'DIRECTORY') throw new DfsError('EISDIR', `${remotePath}: is a directory`);
    if (attr.type !== 'REGULAR') throw new DfsError('EINVAL', `${remotePath}: not a regular file (${attr.type.toLowerCase().replace('_', ' ')})`);
    const verify = (opts.verify ?? true) && attr.sha256.length > 0;
    const hash = verify ? createHash('sha256') : undefined;
    this.data.invalidate(attr.ino);
    await downloadChunks(this.data, attr, dest, { parallelChunks: this.config.client.parallelChunks, hash, onProgress: opts.onProgress });
    if (hash && !hash.digest().equals(attr.sha256)) {
      throw new DfsError('CHECKSUM_MISMATCH', `${remotePath}: content does not match the SHA-256 stored at upload`);
    }
    return attr;
  }

  /**
   * The attributes of what `path` names, through symbolic links as `cat` follows them: a
   * relative target is taken from the link's folder; ELOOP after SYMLINKS_FOLLOWED_MAX links.
   */
  async statFollowing(path: string): Promise<Attr> {
    let at = path; // as given: stat judges a trailing slash (ENOTDIR on a file)
    for (let followed = 0; ; followed++) {
      const attr = await this.stat(at);
      if (attr.type !== 'SYMLINK') return attr;
      if (followed === SYMLINKS_FOLLOWED_MAX) throw new DfsError('ELOOP', `${path}: too many levels of symbolic links`);
      const target = attr.symlinkTarget;
      at = normalizePath(target.startsWith('/') ? target : joinPath(parentOf(normalizePath(at))[0], target));
    }
  }

  // ------------------------------------------------------------------ ranges (the mount)

  async readRange(ino: number, offset: number, length: number): Promise<Buffer> {
    return joinParts(await this.readParts(ino, offset, length));
  }

  async readParts(ino: number, offset: number, length: number): Promise<Buffer[]> {
    const attr = await this.data.fileAttr(ino);
    const n = clipLength(offset, length, attr.size);
    const pieces = splitRange(offset, n, attr.chunkSize);
    const partsOf: Buffer[][] = pieces.map(() => []);
    await mapLimit(pieces.map((piece, i) => ({ piece, i })), this.config.client.parallelChunks, async ({ piece, i }) => {
      let got = 0;
      await this.data.readChunk(ino, piece.index, piece.chunkOffset, piece.length, (d) => { partsOf[i].push(d); got += d.length; });
      if (got !== piece.length) throw new DfsError('EIO', `chunk ${piece.index} of inode ${ino}: read ${got} of ${piece.length} bytes`);
    });
    return partsOf.flat();
  }

  async writeRange(ino: number, offset: number, data: Buffer, chunkSizeBytes?: number): Promise<void> {
    const chunkSize = chunkSizeBytes !== undefined && chunkSizeBytes > 0 ? chunkSizeBytes : (await this.data.fileAttr(ino)).chunkSize;
    const frameBytes = this.config.client.frameBytes;
    await mapLimit(splitRange(offset, data.length, chunkSize), this.config.client.parallelChunks, async (piece) => {
      const part = data.subarray(piece.rangeOffset, piece.rangeOffset + piece.length);
      await this.data.writeChunk(ino, piece.index, { offset: piece.chunkOffset, length: piece.length }, () => frameSlices(part, frameBytes));
    });
  }

  async writeRanges(ino: number, runs: Array<{ offset: number; data: Buffer }>, chunkSizeBytes?: number, opts: { noSync?: boolean } = {}): Promise<UnsyncedChunk[]> {
    if (runs.length === 0) return [];
    const chunkSize = chunkSizeBytes !== undefined && chunkSizeBytes > 0 ? chunkSizeBytes : (await this.data.fileAttr(ino)).chunkSize;
    const frameBytes = this.config.client.frameBytes;
    const byChunk = new Map<number, Array<{ chunkOffset: number; data: Buffer }>>();
    for (const run of [...runs].sort((a, b) => a.offset - b.offset)) {
      for (const piece of splitRange(run.offset, run.data.length, chunkSize)) {
        const parts = byChunk.get(piece.index) ?? [];
        parts.push({ chunkOffset: piece.chunkOffset, data: run.data.subarray(piece.rangeOffset, piece.rangeOffset + piece.length) });
        byChunk.set(piece.index, parts);
      }
    }
    const unsynced: UnsyncedChunk[] = [];
    await mapLimit([...byChunk], this.config.client.parallelChunks, async ([index, parts]) => {
      const ranges = parts.map((p) => ({ offset: p.chunkOffset, length: p.data.length }));
      const length = ranges.reduce((n, r) => n + r.length, 0);
      const w = { offset: ranges[0].offset, length, ranges: ranges.length > 1 ? ranges : undefined, noSync: opts.noSync };
      const written = await this.data.writeChunk(ino, index, w, function* () {
        for (const p of parts) yield* frameSlices(p.data, frameBytes);
      });
      if (opts.noSync) unsynced.push({ index, handle: written.handle });
    });
    return unsynced;
  }

  async syncChunks(ino: number, chunks: UnsyncedChunk[]): Promise<void> {
    // where the chunks are now: one fresh GetChunks per location page
    const refreshed = new Set<number>();
    const targets: Array<{ handle: number; replicas: string[] }> = [];
    for (const c of chunks) {
      const page = Math.floor(c.index / LOCATION_PAGE_CHUNKS);
      let info;
      try {
        info = await this.data.chunkInfo(ino, c.index, !refreshed.has(page));
      } catch (e) {
        if (asDfsError(e).code === 'ENOENT') return; // the file is gone, and its chunks with it
        throw e;
      }
      refreshed.add(page);
      if (!info || info.handle !== c.handle) continue; // replaced by a truncate: deleted
      targets.push({ handle: c.handle, replicas: info.replicas.map((r) => r.address) });
    }
    const byAddress = new Map<string, Set<number>>();
    for (const t of targets) {
      for (const a of t.replicas) {
        const set = byAddress.get(a) ?? new Set<number>();
        set.add(t.handle);
        byAddress.set(a, set);
      }
    }
    const results = new Map<string, DfsError | null>();
    await Promise.all([...byAddress].map(async ([address, handles]) => {
      try {
        const cs = this.data.channel(address);
        await callUnary(cs, cs.SyncChunks as never, { handles: [...handles] }, this.config.client.dataTimeoutMs);
        results.set(address, null);
      } catch (e) {
        results.set(address, asDfsError(e));
      }
    }));
    for (const t of targets) {
      const errors = t.replicas.map((a) => results.get(a)).filter((e): e is DfsError => !!e);
      const synced = t.replicas.length - errors.length;
      // A replica that cannot be reached is replaced by re-replication from those that synced;
      // one that answered with an error (its disk failed the fsync) fails the sync.
      const fatal = errors.find((e) => !UNREACHABLE.has(e.code));
      if (fatal || synced === 0) {
        const why = fatal?.message ?? errors[0]?.message ?? 'the master lists no replica';
        throw new DfsError('EIO', `sync of chunk ${t.handle} failed: ${why}`, { cause: fatal ?? errors[0] });
      }
      if (errors.length > 0) log.warn({ handle: t.handle, synced, failed: errors.map((e) => e.message) }, 'sync reached only some replicas');
    }
  }

  async syncEverywhere(handles: number[], timeoutMs = this.config.client.dataTimeoutMs): Promise<void> {
    if (handles.length === 0) return;
    // the whole of it within timeoutMs, the master's answer included (it may be down: unmount)
    const { nodes } = await masterCall(this.master, 'Nodes', {}, Math.min(timeoutMs, this.config.client.rpcTimeoutMs));
    const live = nodes.filter((n) => n.state === 'ALIVE' || n.state === 'DECOMMISSIONING');
    await Promise.all(live.map(async (n) => {
      const cs = this.data.channel(n.address);
      for (let i = 0; i < handles.length; i += SYNC_HANDLES_PER_CALL) {
        await callUnary(cs, cs.SyncChunks as never, { handles: handles.slice(i, i + SYNC_HANDLES_PER_CALL) }, timeoutMs);
      }
    }));
  }

  async chunkStored(ino: number, index: number): Promise<boolean> {
    return (await this.data.chunkInfo(ino, index)) !== undefined;
  }

  async commitWrite(ino: number, minSize: number, mtimeMs?: number): Promise<Attr> {
    const mtime = mtimeMs === undefined ? null : timespecOfMs(mtimeMs);
    const attr = await this.call('CommitWrite', { ino, minSize, mtime });
    this.data.updateAttr(attr);
    return attr;
  }

  async reserveAppend(ino: number, length: number, atLeast: number): Promise<number> {
    return Number((await this.call('ReserveAppend', { ino, length, atLeast })).offset);
  }

  invalidate(ino: number): void {
    this.data.invalidate(ino);
  }

  // ------------------------------------------------------------------ plumbing

  /** The last namespace call failed because the master could not be reached (for the CLI's hint). */
  masterUnreachable = false;

  private call<K extends MasterMethod>(name: K, req: RequestOf<K>): Promise<ReplyOf<K>> {
    return masterCall(this.master, name, req, this.config.client.rpcTimeoutMs).then(
      (reply) => { this.masterUnreachable = false; return reply; },
      (e: unknown) => { this.masterUnreachable = asDfsError(e).code === 'UNAVAILABLE'; throw e; },
    );
  }

  private owner(opts: { uid?: number; gid?: number }): { uid: number; gid: number } {
    return { uid: opts.uid ?? process.getuid?.() ?? 0, gid: opts.gid ?? process.getgid?.() ?? 0 };
  }

  /** The size before a size-changing SetAttr (undefined for a non-file). */
  private async attrForTruncate(req: SetAttrRequest): Promise<Attr | undefined> {
    const ino = Number(req.ino ?? 0);
    if (ino > 0) this.data.invalidate(ino);
    const attr = ino > 0 ? await this.data.fileAttr(ino) : await this.stat(String(req.path));
    return attr.type === 'REGULAR' ? attr : undefined;
  }
}

/**
 * A path written with a trailing `/` (or `/.`) names a folder, as POSIX resolves it: a file
 * there is ENOTDIR (`rm file/`, `cat file/`). normalizePath drops the slash, so it is checked
 * on the path as given.
 */
function namesFolder(path: string): boolean {
  return path.length > 1 && (path.endsWith('/') || path.endsWith('/.'));
}
