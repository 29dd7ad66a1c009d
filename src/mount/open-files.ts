/**
 * The mount's open files: a handle table (FUSE fh → handle) over one state per inode that
 * every handle of that inode in this mount shares (write buffer, flush queue, sticky error).
 *
 * Write path: FUSE writes land in the inode's dirty extents (copied out of the kernel's
 * buffer). When the buffer reaches `writeBufferBytes`, holds one contiguous run that crossed
 * into the next chunk (a sequential writer), or the whole mount's dirty bytes pass
 * `cacheBytes`, it is handed to a background flush (`writeRanges` of the
 * contiguous runs, then `commitWrite` so the size/mtime become visible); at most one flush per
 * inode is in flight and a write that needs another waits for it (back-pressure). flush/fsync/
 * release drain everything and resolve only after every replica acked. A failed flush is
 * remembered and fails every later write/flush/fsync/release of the inode: never a silent
 * success.
 *
 * Durability, as on a local file system: flushes are written with `noSync` (the replicas hold
 * the data in their page cache, safe from a crash of any dfs process), and the chunks they wrote
 * are remembered per inode, across closes, in `unsynced`; fsync (and close with
 * `mount.syncOnClose`) asks their replicas to fsync them (`syncChunks`). The chunkservers make
 * them durable by themselves within `chunkserver.syncIntervalMs` anyway.
 *
 * Read path: bytes come from the read-ahead cache or `readParts` (as the frames that brought
 * them, copied once, into the kernel's buffer), then the dirty bytes in
 * flight and buffered are laid over them (read-your-writes). Overlays are snapshotted BEFORE
 * the base read, so a flush completing meanwhile can never hide bytes from the reader.
 *
 * Changes made elsewhere (another mount, the CLI) to a file open here are noticed as NFS does,
 * from its attributes: a getattr that shows another size or mtime than this mount last knew
 * drops the inode's read-ahead windows and cached locations and adopts the size (`revalidate`),
 * unless this mount has a change of its own that the attributes may predate.
 */
import { DfsError, errnoOf } from '../common/errors';
import type { Logger } from '../common/logger';
import type { Config } from '../common/config';
import { CHUNK_SIZE_MAX, checkFileSize, fileBytesMax } from '../common/limits';
import { atimeDue, type TimePair } from '../common/relatime';
import type { Attr, DfsClientApi, UnsyncedChunk } from '../client/types';
import { DirtyExtents, overlayPieces } from './dirty-extents';
import { planFallocate } from './fallocate-plan';
import { ReadCache } from './read-cache';
import { copyParts, partsLength, sliceParts, type Parts } from '../common/byte-parts';
import { constants as os } from 'node:os';

export type MountLimits = Config['mount'];

/** Reads within this distance of where the last read ended still count as sequential. */
const SEQUENTIAL_SLACK_BYTES = 1024 * 1024;
const DEFAULT_CHUNK_SIZE_BYTES = 64 * 1024 * 1024;
/**
 * Inodes whose unsynced chunks are remembered; beyond this the oldest are forgotten (written
 * long before: the chunkservers' background sync made them durable, an fsync finds nothing).
 */
const UNSYNCED_INODES_MAX = 100_000;
/**
 * Bound of the sync at unmount per chunkserver: best effort (the chunkservers sync by
 * themselves within chunkserver.syncIntervalMs), so an unreachable one does not hold the
 * unmount for a whole data timeout.
 */
const UNMOUNT_SYNC_TIMEOUT_MS = 5000;
/** Shortest period of the write-back timer (a quarter of mount.writeBackMs). */
const WRITE_BACK_TICK_MS_MIN = 50;
/** Zeros of a punched or zeroed range go into the write buffer as views of one buffer this long. */
const ZERO_PIECE_BYTES = 1024 * 1024;

/** The state of one inode open in this mount. */
export class OpenInode {
  dirty = new DirtyExtents();
  /** The batch being written by the flush in flight (read overlay until it is committed). */
  inflight: DirtyExtents | null = null;
  flushInFlight = false;
  flushDone: Promise<void> = Promise.resolve();
  /** When the oldest of the `dirty` bytes was written (Date.now(); meaningless while it is empty). */
  dirtySinceMs = 0;
  /** The first failed flush: returned by every later write/flush/fsync/release. */
  error: unknown = null;
  handles = 0;
  /** The master's size as last seen (open, commit, truncate, a getattr showing a change elsewhere). */
  sizeBytes: number;
  /** The master's mtime as last seen with `sizeBytes` (`mtimeKey`). */
  mtime: string;
  /** `OpenFiles` change counter at this mount's last change of the inode (write, flush, truncate). */
  changedAtSeq = 0;
  readonly chunkSizeBytes: number;
  /** The master's chunk size of the file, 0 when the attributes did not say (then writeRange asks). */
  readonly knownChunkSizeBytes: number;
  /** The file's replication goal at open (1 when the attributes did not say). */
  readonly replication: number;

  constructor(readonly ino: number, attr: Attr) {
    this.sizeBytes = Number(attr.size);
    this.mtime = mtimeKey(attr);
    this.knownChunkSizeBytes = Number(attr.chunkSize) || 0;
    this.chunkSizeBytes = this.knownChunkSizeBytes || DEFAULT_CHUNK_SIZE_BYTES;
    this.replication = Number(attr.replication) || 1;
  }

  /** End of the bytes written locally and not yet committed (0 when none). */
  get localEnd(): number {
    return Math.max(this.dirty.end, this.inflight?.end ?? 0);
  }

  /** The size this mount sees: the master's plus local writes. */
  get localSize(): number {
    return Math.max(this.sizeBytes, this.localEnd);
  }

  get bufferedBytes(): number {
    return this.dirty.bytes + (this.inflight?.bytes ?? 0);
  }
}

export interface Handle {
  readonly fd: number;
  readonly file: OpenInode;
  readonly append: boolean;
  /** Opened for writing: only such handles report a failed flush on flush/fsync/close. */
  readonly writable: boolean;
  /** The path of its libfuse node: where it was opened, moved only by `OpenFiles.renamed`. */
  path: string;
  /** Where the last read ended: sequential detection for read-ahead. */
  nextReadOffset: number;
  /**
   * Reads in a row that continued the one before (an open counts as a read ending at 0):
   * read-ahead starts at two, so one random read that happens to land near the last one does
   * not fetch a whole window.
   */
  sequentialReads: number;
  /** The first write through this handle checked the setgid rule (fuse-ops.ts). */
  setgidChecked?: boolean;
  /** Mode and group of the file when the handle was opened. */
  readonly openMode: number;
  readonly openGid: number;
  /** The first read through this handle updates the file's atime (relatime.ts, judged at open). */
  atimeDue: boolean;
}

/** An Attr's mtime as one comparable value. */
function mtimeKey(attr: Attr): string {
  return `${attr.mtime?.sec ?? 0}.${attr.mtime?.nsec ?? 0}`;
}

function timePair(t: Attr['atime']): TimePair {
  return [Number(t?.sec ?? 0), t?.nsec ?? 0];
}

/** The errno-bearing error a failed flush turns into for the application. */
function dataError(e: unknown): DfsError {
  const errno = errnoOf(e);
  const code = errno === os.errno.ENOSPC ? 'ENOSPC' : errno === os.errno.EFBIG ? 'EFBIG' : errno === os.errno.EROFS ? 'EROFS' : 'EIO';
  return new DfsError(code, `write failed earlier: ${(e as Error)?.message ?? String(e)}`, { cause: e });
}

export class OpenFiles {
  private readonly handles = new Map<number, Handle>();
  private readonly inodes = new Map<number, OpenInode>();
  private nextFd = 1;
  readonly cache: ReadCache;
  /** Inode → chunks written with noSync and not synced since (handle → chunk). */
  private readonly unsynced = new Map<number, Map<number, UnsyncedChunk>>();
  /** The open handles by the path of their libfuse node (`otherInodeAt`). */
  private readonly byPath = new Map<string, Set<Handle>>();
  /** Counts this mount's changes of open inodes (OpenInode.changedAtSeq, `changeMark`). */
  private changeSeq = 0;
  private writeBackTimer: NodeJS.Timeout | undefined;
  /** `stop` was called: writes are refused. */
  private stopped = false;

  constructor(private readonly client: DfsClientApi, private readonly limits: MountLimits, private readonly log: Logger) {
    this.cache = new ReadCache(() => this.limits.cacheBytes - this.dirtyBytes());
    const ms = limits.writeBackMs;
    if (ms > 0) {
      this.writeBackTimer = setInterval(() => this.writeBack(Date.now() - ms), Math.max(WRITE_BACK_TICK_MS_MIN, ms / 4));
      this.writeBackTimer.unref();
    }
  }

  /**
   * Starts the flush of every open inode whose dirty bytes are older than `before` (the write-back
   * timer, as the kernel's for a local file system): what a process writes into a file it keeps
   * open (a log) reaches the replicas, and so other mounts and the CLI, within about
   * `mount.writeBackMs`, and a crash of this mount loses no more than that, instead of all that
   * waited in the buffer for it to fill or for the close.
   */
  writeBack(before: number): void {
    for (const f of this.inodes.values()) {
      if (!f.dirty.isEmpty && !f.flushInFlight && f.dirtySinceMs <= before) void this.startFlush(f);
    }
  }

  /**
   * The mount is going away: the write-back timer stops and every later write fails with EIO
   * (drainAll writes what was accepted before; a write accepted after it would be lost with the
   * process).
   */
  stop(): void {
    this.stopped = true;
    clearInterval(this.writeBackTimer);
    this.writeBackTimer = undefined;
  }

  /** Bytes buffered by every open inode (dirty + in flight). */
  dirtyBytes(): number {
    let n = 0;
    for (const f of this.inodes.values()) n += f.bufferedBytes;
    return n;
  }

  get openCount(): number {
    return this.handles.size;
  }

  inode(ino: number): OpenInode | undefined {
    return this.inodes.get(ino);
  }

  /** The size to report for an inode: the master's, or larger while local writes are pending. */
  reportedSize(attr: Attr): number {
    const f = this.inodes.get(Number(attr.ino));
    return f ? Math.max(Number(attr.size), f.localEnd) : Number(attr.size);
  }

  /** Registers a handle on an inode the caller already opened with `client.open`. */
  open(path: string, attr: Attr, flags: { append: boolean; writable: boolean }): Handle {
    const ino = Number(attr.ino);
    let f = this.inodes.get(ino);
    if (!f) this.inodes.set(ino, (f = new OpenInode(ino, attr)));
    else if (f.localEnd === 0) {
      f.sizeBytes = Number(attr.size);
      f.mtime = mtimeKey(attr);
    }
    f.handles++;
    while (this.handles.has(this.nextFd) || this.nextFd === 0) this.nextFd = (this.nextFd + 1) % 0x7fffffff;
    const h: Handle = {
      fd: this.nextFd++, file: f, append: flags.append, writable: flags.writable, path, nextReadOffset: 0, sequentialReads: 1,
      openMode: attr.mode, openGid: attr.gid,
      atimeDue: atimeDue(timePair(attr.atime), timePair(attr.mtime), timePair(attr.ctime), [Math.floor(Date.now() / 1000), 0]),
    };
    this.handles.set(h.fd, h);
    this.indexPath(h);
    return h;
  }

  /**
   * True when a handle of this mount is open at `path` on another inode than `ino`. libfuse 2
   * names its nodes by path: while that handle keeps its kernel inode alive, an open of `path`
   * gets the same kernel inode, and so the same page cache, for the file now at the name
   * (another mount or the CLI replaced it; a replacement through this mount hides the open
   * node first). A handle opened then must bypass that page cache (direct_io): its pages hold
   * the other file's bytes, and its own reads would put its bytes there for the old handles.
   */
  otherInodeAt(path: string, ino: number): boolean {
    for (const h of this.byPath.get(path) ?? []) if (h.file.ino !== ino) return true;
    return false;
  }

  /**
   * libfuse moved the node at `src` (a file, or a folder with everything under it) to `dest`
   * after a rename through this mount: the handles open there follow it (`otherInodeAt`).
   */
  renamed(src: string, dest: string): void {
    if (this.handles.size === 0) return;
    const under = src + '/';
    for (const h of this.handles.values()) {
      if (h.path !== src && !h.path.startsWith(under)) continue;
      this.unindexPath(h);
      h.path = dest + h.path.slice(src.length);
      this.indexPath(h);
    }
  }

  private indexPath(h: Handle): void {
    let set = this.byPath.get(h.path);
    if (!set) this.byPath.set(h.path, (set = new Set()));
    set.add(h);
  }

  private unindexPath(h: Handle): void {
    const set = this.byPath.get(h.path);
    if (!set) return;
    set.delete(h);
    if (set.size === 0) this.byPath.delete(h.path);
  }

  /** A value to pass to `revalidate` for attributes asked from now on. */
  changeMark(): number {
    return this.changeSeq;
  }

  /**
   * Attributes of `attr.ino` asked since `mark` (`changeMark`). When the inode is open here and
   * they show another size or mtime than this mount last knew, while this mount has no change
   * of its own to the inode that they could predate (writes buffered or in flight, a change
   * after `mark`), the file was changed elsewhere (another mount, the CLI): its read-ahead
   * windows and cached locations are dropped and its size adopted, so reads through the
   * descriptors open here see the change (an append: `tail -f`; a truncate) as NFS's
   * revalidation does. Returns whether it dropped them.
   */
  revalidate(attr: Attr, mark: number): boolean {
    const f = this.inodes.get(Number(attr.ino));
    if (!f || f.changedAtSeq > mark || !f.dirty.isEmpty || f.flushInFlight) return false;
    const size = Number(attr.size);
    const mtime = mtimeKey(attr);
    if (size === f.sizeBytes && mtime === f.mtime) return false;
    f.sizeBytes = size;
    f.mtime = mtime;
    this.cache.dropIno(f.ino);
    this.client.invalidate(f.ino);
    return true;
  }

  private changed(f: OpenInode): void {
    f.changedAtSeq = ++this.changeSeq;
  }

  /** The handle of a FUSE fh (EINVAL when unknown: the kernel never sends one). */
  get(fd: number): Handle {
    const h = this.handles.get(fd);
    if (!h) throw new DfsError('EINVAL', `unknown file handle ${fd}`);
    return h;
  }

  /** Closes a handle: drains its inode and releases the session's open of this handle. */
  async close(fd: number): Promise<void> {
    const h = this.get(fd);
    this.handles.delete(fd);
    this.unindexPath(h);
    const f = h.file;
    let failure: unknown = null;
    try {
      await this.drain(f, h.writable);
    } catch (e) {
      failure = e;
    }
    if (--f.handles === 0) {
      this.inodes.delete(f.ino);
      this.cache.forget(f.ino);
    }
    // every handle came with its own Open/Create in the session: one Release each
    await this.client.release(f.ino).catch((e) => this.log.warn({ ino: f.ino, err: (e as Error).message }, 'release failed'));
    if (failure) throw failure;
  }

  /** Buffers a write; returns the bytes accepted (all of them) or rejects with the sticky error. */
  async write(h: Handle, offset: number, data: Buffer, writepage = false): Promise<number> {
    const f = h.file;
    if (this.stopped) throw new DfsError('EIO', 'the mount is being unmounted: write refused');
    if (f.error) throw dataError(f.error);
    // An O_APPEND handle appends, except the kernel's write-back of mapped pages through it. The
    // master places each append (ReserveAppend): after the size, this mount's uncommitted end and
    // every append reserved before, by any mount, so appends from several mounts never overlap.
    let at = offset;
    if (h.append && !writepage) {
      at = await this.client.reserveAppend(f.ino, data.length, f.localSize);
      if (f.error) throw dataError(f.error); // a flush failed while the master answered
    }
    // past the largest file: EFBIG, a write across it is cut there (as a local file system does)
    const room = fileBytesMax(f.chunkSizeBytes) - at;
    if (room <= 0) throw new DfsError('EFBIG', `write at ${at}: past the largest file, ${fileBytesMax(f.chunkSizeBytes)} bytes`);
    if (data.length > room) data = data.subarray(0, room);
    if (f.dirty.isEmpty) f.dirtySinceMs = Date.now();
    f.dirty.add(at, Buffer.from(data)); // copy: `data` is the kernel's buffer, gone after the reply
    this.changed(f);
    this.cache.dropIno(f.ino);
    const [first, last] = f.dirty.chunkSpan(f.chunkSizeBytes);
    // A sequential writer that moved into the next chunk sends the finished one at once (the
    // replicas write it while the next fills); scattered writes stay buffered until the buffer
    // is full, then go as one chunk write per chunk (random writes over several chunks flushed
    // at nearly every write before: 156 IOPS in a 256 MiB file).
    const sequentialPastChunk = last > first && f.dirty.end - f.dirty.start === f.dirty.bytes;
    if (f.dirty.bytes >= this.limits.writeBufferBytes || sequentialPastChunk || this.dirtyBytes() > this.limits.cacheBytes) {
      await this.startFlush(f);
    }
    return data.length;
  }

  /** Flushes everything buffered for the inode and waits; rejects with the sticky error when `report`. */
  async drain(f: OpenInode, report = true): Promise<void> {
    while (f.flushInFlight || !f.dirty.isEmpty) {
      if (f.flushInFlight) await f.flushDone;
      else await this.startFlush(f);
    }
    if (f.error && report) throw dataError(f.error);
  }

  /** Drains the inode of a handle; a read-only handle is not failed by another handle's writes. */
  async drainHandle(h: Handle): Promise<void> {
    await this.drain(h.file, h.writable);
  }

  /** FUSE flush (every close of a descriptor): drained; durable too with `syncOnClose`. */
  async flushHandle(h: Handle): Promise<void> {
    await this.drainHandle(h);
    if (this.limits.syncOnClose && h.writable) await this.syncIno(h.file.ino);
  }

  /** fsync: drained, then every chunk this mount wrote to the inode without fsync is made durable. */
  async fsyncHandle(h: Handle): Promise<void> {
    await this.drainHandle(h);
    await this.syncIno(h.file.ino);
  }

  /** Chunks of an inode written without fsync and not synced since (tests, diagnostics). */
  unsyncedOf(ino: number): UnsyncedChunk[] {
    return [...(this.unsynced.get(ino)?.values() ?? [])];
  }

  private noteUnsynced(ino: number, chunks: UnsyncedChunk[]): void {
    if (chunks.length === 0) return;
    let byHandle = this.unsynced.get(ino);
    if (!byHandle) {
      if (this.unsynced.size >= UNSYNCED_INODES_MAX) this.unsynced.delete(this.unsynced.keys().next().value!);
      this.unsynced.set(ino, (byHandle = new Map()));
    }
    for (const c of chunks) byHandle.set(c.handle, c);
  }

  private async syncIno(ino: number): Promise<void> {
    const pending = this.unsynced.get(ino);
    if (!pending) return;
    this.unsynced.delete(ino);
    try {
      await this.client.syncChunks(ino, [...pending.values()]);
    } catch (e) {
      this.noteUnsynced(ino, [...pending.values()]); // still not durable: a later fsync tries again
      throw new DfsError('EIO', `fsync failed: ${(e as Error)?.message ?? String(e)}`, { cause: e });
    }
  }

  /**
   * Syncs everything this mount wrote without fsync, ignoring errors (unmount): one SyncChunks
   * per live chunkserver with every handle, not one round per file (thousands of small files).
   */
  async syncAll(): Promise<void> {
    const handles = [...this.unsynced.values()].flatMap((byHandle) => [...byHandle.keys()]);
    this.unsynced.clear();
    await this.client.syncEverywhere(handles, UNMOUNT_SYNC_TIMEOUT_MS).catch((e) => this.log.warn({ err: (e as Error)?.message }, 'sync at unmount failed: the chunkservers sync within chunkserver.syncIntervalMs'));
  }

  /** Drains every open inode, ignoring errors (unmount). */
  async drainAll(): Promise<void> {
    await Promise.all([...this.inodes.values()].map((f) => this.drain(f).catch(() => undefined)));
  }

  /** Inodes still open (released on unmount). */
  openInodes(): number[] {
    return [...this.inodes.keys()];
  }

  /** Truncates (or extends) an inode after draining this mount's pending writes to it. */
  async truncate(ino: number, sizeBytes: number): Promise<Attr> {
    const f = this.inodes.get(ino);
    if (f) checkFileSize(sizeBytes, f.chunkSizeBytes); // unopened: the master checks against the file's chunk size
    else if (sizeBytes > Number.MAX_SAFE_INTEGER) checkFileSize(sizeBytes, CHUNK_SIZE_MAX);
    if (f) await this.drain(f);
    const attr = await this.client.setAttr({ ino, size: sizeBytes });
    if (f) {
      f.sizeBytes = Number(attr.size);
      f.mtime = mtimeKey(attr);
      this.changed(f);
    }
    this.cache.dropIno(ino);
    return attr;
  }

  /**
   * fallocate(2) of an open inode (fallocate-plan.ts decides): ENOSPC when the cluster's free
   * space cannot hold the range at the file's replication; a punched or zeroed range is written
   * with zeros through the write buffer (so it overlays this mount's unflushed writes, which go
   * out first), chunk by chunk, skipping chunks the file does not hold (holes read as zeros
   * already); a growing size is set like a truncate. Resolves once every replica holds the zeros
   * and the master the size. Rejects with the inode's sticky error, or EINVAL/EFBIG/ENOTSUP.
   */
  async fallocate(h: Handle, mode: number, offset: number, length: number): Promise<void> {
    const f = h.file;
    if (f.error) throw dataError(f.error);
    const plan = planFallocate(mode, offset, length, f.localSize, fileBytesMax(f.chunkSizeBytes));
    if (plan.reserveBytes > 0) await this.checkRoom(f, plan.reserveBytes);
    if (plan.zeroTo > plan.zeroFrom) await this.zeroRange(f, plan.zeroFrom, plan.zeroTo);
    if (plan.growToBytes !== undefined && plan.growToBytes > f.localSize) await this.truncate(f.ino, plan.growToBytes);
  }

  /** ENOSPC when `bytes` more at the file's replication (capped by the live servers) exceed the cluster's free space. */
  private async checkRoom(f: OpenInode, bytes: number): Promise<void> {
    const st = await this.client.statFs();
    const copies = Math.min(f.replication, Number(st.liveServers) || f.replication);
    const free = Number(st.freeBytes);
    if (bytes * copies > free) {
      throw new DfsError('ENOSPC', `fallocate of ${bytes} bytes × ${copies} replicas: the cluster has ${free} bytes free`);
    }
  }

  /** Writes zeros over [from, to) of every chunk the file holds there (see fallocate), then drains. */
  private async zeroRange(f: OpenInode, from: number, to: number): Promise<void> {
    await this.drain(f);
    this.client.invalidate(f.ino); // the master knows every chunk this mount wrote: its locations are asked again
    const zeros = Buffer.alloc(Math.min(ZERO_PIECE_BYTES, to - from));
    const chunkBytes = f.chunkSizeBytes;
    for (let pos = from; pos < to;) {
      const index = Math.floor(pos / chunkBytes);
      const chunkEnd = Math.min(to, (index + 1) * chunkBytes);
      // a file of unknown chunk size is taken as holding every chunk (zeros written throughout)
      const stored = f.knownChunkSizeBytes === 0 || await this.client.chunkStored(f.ino, index);
      for (; stored && pos < chunkEnd; pos += Math.min(zeros.length, chunkEnd - pos)) {
        if (f.error) throw dataError(f.error);
        f.dirty.add(pos, zeros.subarray(0, Math.min(zeros.length, chunkEnd - pos)));
        if (f.dirty.bytes >= this.limits.writeBufferBytes) await this.startFlush(f);
      }
      pos = chunkEnd;
    }
    this.cache.dropIno(f.ino);
    await this.drain(f);
  }

  /** Starts a background flush of the dirty buffer once no other flush of the inode is in flight. */
  private async startFlush(f: OpenInode): Promise<void> {
    while (f.flushInFlight) await f.flushDone;
    if (f.dirty.isEmpty) return;
    const batch = f.dirty;
    f.dirty = new DirtyExtents();
    f.inflight = batch;
    f.flushInFlight = true;
    f.flushDone = this.runFlush(f, batch);
  }

  /** Writes one batch then commits its end; never rejects (failures become the sticky error). */
  private async runFlush(f: OpenInode, batch: DirtyExtents): Promise<void> {
    try {
      if (f.error) return; // the data after a failed flush is dropped, the error stays
      // one chunk write per chunk with all its runs (WriteHeader.ranges): one trip down the chain
      // per chunk, however scattered the extents are; no fsync (see the header)
      this.noteUnsynced(f.ino, await this.client.writeRanges(f.ino, batch.runs(), f.knownChunkSizeBytes, { noSync: true }));
      const attr = await this.client.commitWrite(f.ino, batch.end, Date.now());
      f.sizeBytes = Number(attr.size);
      f.mtime = mtimeKey(attr);
    } catch (e) {
      f.error ??= e;
      this.log.error({ ino: f.ino, err: (e as Error)?.message }, 'flush failed: later writes and close of this file will fail');
    } finally {
      f.inflight = null;
      f.flushInFlight = false;
      this.changed(f); // a getattr asked before the commit may arrive after it
      this.cache.dropIno(f.ino); // windows fetched while the batch was only an overlay are stale
    }
  }

  /** Reads into `target`; returns the byte count (short only at the end of file). */
  async read(h: Handle, offset: number, target: Buffer): Promise<number> {
    const f = h.file;
    const length = target.length;
    const inflight = f.inflight?.overlapping(offset, length) ?? [];
    const dirty = f.dirty.overlapping(offset, length);
    const localEnd = f.localEnd;
    let n = copyParts(await this.readBase(h, offset, length), target);
    const overlayEnd = Math.min(length, Math.max(0, localEnd - offset));
    if (overlayEnd > n) {
      target.fill(0, n, overlayEnd);
      n = overlayEnd;
    }
    overlayPieces(inflight, offset, target.subarray(0, n));
    overlayPieces(dirty, offset, target.subarray(0, n));
    h.nextReadOffset = offset + length;
    return n;
  }

  /** Bytes from the cache, a fetch in flight, a new read-ahead window, or one plain read. */
  private async readBase(h: Handle, offset: number, length: number): Promise<Parts> {
    const ino = h.file.ino;
    const hit = this.cache.lookup(ino, offset, length);
    if (hit) return this.served(h, offset, length, hit);
    const pending = this.cache.pendingAt(ino, offset);
    if (pending) {
      await pending;
      const again = this.cache.lookup(ino, offset, length);
      if (again) return this.served(h, offset, length, again);
    }
    const ra = this.limits.readAheadBytes;
    h.sequentialReads = Math.abs(offset - h.nextReadOffset) <= SEQUENTIAL_SLACK_BYTES ? h.sequentialReads + 1 : 0;
    // (measured: in a 256 MiB file, 1 random 4 KiB read in ~40 landed within the slack of the last
    // one and fetched a 4 MiB window, ~12% of a random-read run)
    const sequential = ra > 0 && h.sequentialReads >= 2;
    if (!sequential) return this.client.readParts(ino, offset, length);
    return sliceParts(await this.fetchWindow(ino, offset, Math.max(length, ra)), 0, length);
  }

  private served(h: Handle, offset: number, length: number, hit: { parts: Buffer[]; eof: boolean; segmentEnd: number }): Parts {
    const ra = this.limits.readAheadBytes;
    const ino = h.file.ino;
    const nearEnd = hit.segmentEnd - (offset + length) <= ra / 2;
    if (!hit.eof && nearEnd && !this.cache.pendingAt(ino, hit.segmentEnd) && !this.cache.lookup(ino, hit.segmentEnd, 1)) {
      this.fetchWindow(ino, hit.segmentEnd, ra).catch(() => undefined); // a failure surfaces on the real read
    }
    return hit.parts;
  }

  private fetchWindow(ino: number, offset: number, sizeBytes: number): Promise<Parts> {
    const generation = this.cache.generation(ino);
    const p = this.client.readParts(ino, offset, sizeBytes).then((parts) => {
      this.cache.insert(ino, generation, offset, parts, partsLength(parts) < sizeBytes);
      return parts;
    });
    this.cache.track(ino, offset, offset + sizeBytes, p);
    return p;
  }
}
