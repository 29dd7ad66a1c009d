/**
 * Chunk replicas on the local disk: `DATA_DIR/chunks/<handle % 256, 2 hex>/<handle>.chunk`
 * holds the bytes, each 64 KiB block at its slot, raw or compressed (`chunkserver.compression`,
 * block-codec.ts), and `<handle>.meta` the version, length, one CRC32C per block over the
 * uncompressed bytes and how each block is stored (format in chunk-meta.ts).
 *
 * Invariants and fault model
 * - A handle that is not a positive safe integer is EINVAL before any path is built.
 * - Every mutation of one chunk (create, version change, write, delete, install) holds the
 *   chunk's lock, so writes are serialized and never interleave.
 * - Durability order: data fsync'd, THEN meta renamed over the old meta, directory fsync'd (the
 *   meta's temp file is written and fsync'd while the data fsync runs: nothing makes it visible
 *   before the rename, which waits for both). A crash in between leaves data that does not match its
 *   meta: detected on read (CHECKSUM_MISMATCH), never served, repaired from another replica.
 * - Reads decode and verify every 64 KiB block they touch; a block that does not decode is a
 *   checksum mismatch like any other. A mismatch that persists when re-read under the chunk's
 *   lock (so a concurrent write is not mistaken for corruption) marks the replica bad: it is
 *   not served again and is reported through `onBad`.
 * - Compression is invisible above the store: lengths, offsets and CRCs are those of the
 *   uncompressed data, so replicas compare equal whatever each one compressed, and chunks
 *   written raw (meta format 1, also by earlier versions) read as before.
 * - Edge blocks of a partial-block write are read and verified BEFORE they are overwritten, so
 *   a write never launders earlier corruption into a fresh checksum.
 * - A failed write (client gone, downstream failure) still writes the block it was gathering
 *   and persists a meta that matches the file, so the replica stays self-consistent (its
 *   content in that range is undefined, as in GFS); only a failed block write marks it bad.
 * - Any failure to open or read a replica's files (a file deleted, a meta that does not decode,
 *   a folder where a file should be, EACCES, EIO …) marks that replica bad, unless the replica
 *   was deleted meanwhile or the failure is the process's (EMFILE …, disk-errors.ts). The
 *   store's own file-system errors leave it as DISK_ERROR (ENOSPC when full), never as a bare
 *   errno a client would take for an answer about its path.
 * - Folders are only ever made one level below `chunks/`, which load() made: a data folder
 *   deleted behind the running server is not made again by a write or a copy (the server
 *   notices it is gone and stops, chunkserver.ts).
 * - A write committed without fsync (WriteHeader.no_sync: the mount's writes) leaves its chunk
 *   in `unsynced`: safe from a crash of this process (the bytes are in the page cache), not
 *   from a crash of the machine, until `syncChunks` (an application's fsync) fsyncs its data,
 *   meta and folder, or `syncAll` (every `chunkserver.syncIntervalMs`, and at stop) runs one
 *   syncfs over the data folder's file system. A machine crash before either leaves a meta that
 *   may not match its data: found on read or by the scrubber, as any corruption.
 */
import assert from 'node:assert/strict';
import { promises as fsp, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { crc32c } from '../common/crc32c';
import { DfsError, isDfsError } from '../common/errors';
import { logger, type Logger } from '../common/logger';
import { KeyLock } from './key-lock';
import { BLOCK_BYTES, CHUNK_BYTES_MAX, type ChunkMeta, blockCountOf, checkHandle, decodeMeta, encodeMeta, storedBytesOfMeta } from './chunk-meta';
import {
  type ChunkFile, INLINE_IO_BYTES_MAX, INLINE_READ_BYTES_MAX, checkRange, fsyncDir, fsyncFile, openChunkFile, readAligned, readBlock,
  syncFileSystem, writeBlocks, writeFileSynced, writeNewFile,
} from './chunk-file-io';
import { FileChunkWriter, type WriterSink } from './chunk-writer';
import { BlockAssembler, type WholeBlock } from './block-assembler';
import { COMPRESSION_OFF, encodeBlock, type CompressionPolicy } from './block-codec';
import { blamesReplica, diskError, isFsError } from './disk-errors';

export interface ChunkState {
  handle: number;
  version: number;
  lengthBytes: number;
  /** Failed verification here: never served, reported to the master. */
  bad: boolean;
}

export interface BadReplica {
  handle: number;
  reason: string;
}

/** What changed since the last `takeChanges()` (the incremental heartbeat report). */
export interface StoreChanges {
  changed: ChunkState[];
  removed: number[];
  bad: BadReplica[];
}

/** One write in progress on one chunk; holds the chunk's lock until commit() or abort(). */
export interface ChunkWriter {
  readonly handle: number;
  /** Appends the next bytes of the write (sequential: the i-th call continues where the last ended). */
  write(data: Buffer): Promise<void>;
  /**
   * Applies `setLengthBytes`, fsyncs data then meta; releases the lock. Returns the chunk length.
   * `sync` false: no fsync of data, meta or folder; the chunk joins the unsynced ones
   * (syncChunks, syncAll or a later synced write make it durable).
   */
  commit(setLengthBytes?: number, sync?: boolean): Promise<number>;
  /** Gives up: checksums are made consistent with what reached the disk; releases the lock. */
  abort(): Promise<void>;
  /** Ends the current (complete) range and continues the same write at a later range of the chunk. */
  nextRange?(offsetBytes: number, lengthBytes: number): Promise<void>;
}

/** The storage a chunkserver needs; a test can wrap or replace it to inject faults. */
export interface ChunkStore {
  readonly dataDir: string;
  /** Scans the data folder, removes temp and orphan files. Call once before anything else. */
  load(): Promise<void>;
  chunkPath(handle: number): string;
  get(handle: number): ChunkState | undefined;
  list(): ChunkState[];
  count(): number;
  /** Bytes of data held (uncompressed): what the replicas are worth to the cluster. */
  usedBytes(): number;
  /** Bytes the blocks take in the chunk files after compression (≤ usedBytes()). */
  storedBytes(): number;
  activeWrites(): number;
  /** An empty chunk at `version` (no I/O: its files come with its first write); OK when it exists at that version, EEXIST otherwise. */
  create(handle: number, version: number): Promise<ChunkState>;
  /** expected → version, persisted. CHUNK_NOT_FOUND, STALE_VERSION, CHECKSUM_MISMATCH (bad replica). */
  setVersion(handle: number, expectedVersion: number, version: number): Promise<ChunkState>;
  /** Takes the chunk's lock, checks the version, reads and verifies edge blocks. */
  openWriter(handle: number, version: number, offsetBytes: number, lengthBytes: number): Promise<ChunkWriter>;
  /** Verified bytes of [offset, min(offset+length, chunk length)), in pieces of at most `pieceBytes`. */
  read(handle: number, version: number, offsetBytes: number, lengthBytes: number, pieceBytes: number): AsyncGenerator<Buffer>;
  /** Writes a whole chunk at `version` from `source` into a temp file, then renames it into place. */
  install(handle: number, version: number, source: AsyncIterable<Buffer>): Promise<ChunkState>;
  /** Deletes the replica when its version ≤ maxVersion (0 = any). Returns whether it was deleted. */
  remove(handle: number, maxVersion: number): Promise<boolean>;
  markBad(handle: number, reason: string): void;
  takeChanges(): StoreChanges;
  /** Every replica currently marked bad. */
  badReplicas(): BadReplica[];
  /** Makes the no_sync writes of these chunks durable; resolves when they are (unknown handles: nothing to do). */
  syncChunks(handles: number[]): Promise<void>;
  /** Makes every no_sync write so far durable with one syncfs of the data folder's file system. */
  syncAll(): Promise<void>;
  /** Deletes again the files of removed replicas that could not be deleted then (FileChunkStore.removeLeftovers). */
  removeLeftovers(): Promise<void>;
  /** Chunks with writes not yet durable. */
  unsyncedCount(): number;
}

export interface FileChunkStoreOptions {
  dataDir: string;
  /** Called once when a replica is first marked bad. */
  onBad?: (bad: BadReplica) => void;
  /** How new blocks are stored (default: never compressed). Existing blocks are read either way. */
  compression?: CompressionPolicy;
  log?: Logger;
}

const TMP_MARK = '.tmp-';
const EMPTY = Buffer.alloc(0);

/** A failure met on a replica's files that may condemn it (failedFilesLocked decides). */
function condemns(e: unknown): boolean {
  return isFsError(e) || isDfsError(e, 'CHECKSUM_MISMATCH');
}

export class FileChunkStore implements ChunkStore, WriterSink {
  readonly dataDir: string;
  private readonly chunksDir: string;
  private readonly chunks = new Map<number, ChunkState>();
  /** Handle → bytes its blocks take in its `.chunk` file (storedBytesOfMeta). */
  private readonly storedBytesByHandle = new Map<number, number>();
  private readonly compression: CompressionPolicy;
  private readonly badReasons = new Map<number, string>();
  private readonly locks = new KeyLock<number>();
  /** Replicas removed from the inventory whose files could not be deleted (removeLeftovers). */
  private readonly leftovers = new Set<number>();
  /** Shard folders known to exist (made by ensureShardDir). */
  private readonly shardDirsMade = new Set<string>();
  private readonly changed = new Set<number>();
  private readonly removed = new Set<number>();
  private newBad: BadReplica[] = [];
  private writers = 0;
  /** Chunks created (Grant) whose files do not exist yet: empty, made by the first write. */
  private readonly unmade = new Set<number>();
  /** Chunks whose last writes were committed without fsync (WriteHeader.no_sync). */
  private readonly unsynced = new Set<number>();
  /** The syncAll in flight and the chunks it makes durable (a syncChunks of one of them waits for it). */
  private syncingAll: { handles: Set<number>; done: Promise<void> } | undefined;
  private readonly log: Logger;

  constructor(private readonly opts: FileChunkStoreOptions) {
    this.dataDir = opts.dataDir;
    this.chunksDir = join(opts.dataDir, 'chunks');
    this.log = opts.log ?? logger('chunk-store', { dataDir: opts.dataDir });
    this.compression = opts.compression ?? COMPRESSION_OFF;
  }

  chunkPath(handle: number): string {
    checkHandle(handle);
    return join(this.shardDir(handle), `${handle}.chunk`);
  }

  /**
   * Creates the shard folder of `handle` once per process (mkdir is a syscall per create
   * otherwise). Never `chunks/` itself: without it the data folder is gone (ENOENT).
   */
  private async ensureShardDir(handle: number): Promise<void> {
    const dir = this.shardDir(handle);
    if (this.shardDirsMade.has(dir)) return;
    await fsp.mkdir(dir).catch((e: NodeJS.ErrnoException) => { if (e.code !== 'EEXIST') throw e; });
    this.shardDirsMade.add(dir);
  }

  private shardDir(handle: number): string {
    return join(this.chunksDir, (handle % 256).toString(16).padStart(2, '0'));
  }

  metaPath(handle: number): string {
    return join(this.shardDir(handle), `${handle}.meta`);
  }

  // ------------------------------------------------------------------ inventory

  async load(): Promise<void> {
    await fsp.mkdir(this.chunksDir, { recursive: true });
    // An earlier process may have left no_sync writes in the page cache, and its list of them
    // died with it: make them durable now, so a SyncChunks that finds nothing listed is right.
    // If that fails, every chunk found is listed instead (each fsync'd at its next SyncChunks).
    const synced = await syncFileSystem(this.dataDir).then(() => true, (e) => {
      this.log.warn({ err: (e as Error).message }, 'syncfs at start failed: every chunk counts as not durable');
      return false;
    });
    for (const shard of await fsp.readdir(this.chunksDir, { withFileTypes: true })) {
      if (!/^[0-9a-f]{2}$/.test(shard.name)) continue;
      const dir = join(this.chunksDir, shard.name);
      if (!shard.isDirectory()) {
        this.log.warn({ path: dir }, 'not a folder of chunks: ignored');
        continue;
      }
      // only regular files can be chunk files; anything else someone put there is left alone
      const entries = await fsp.readdir(dir, { withFileTypes: true });
      for (const e of entries) if (!e.isFile()) this.log.warn({ path: join(dir, e.name) }, 'not a chunk file: ignored');
      const names = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
      for (const name of names) {
        const path = join(dir, name);
        if (name.includes(TMP_MARK)) {
          await fsp.rm(path, { force: true });
          continue;
        }
        const m = /^(\d+)\.(chunk|meta)$/.exec(name);
        const handle = m ? Number(m[1]) : NaN;
        if (!m || !Number.isSafeInteger(handle) || handle <= 0 || this.shardDir(handle) !== dir) continue;
        const twin = `${handle}.${m[2] === 'chunk' ? 'meta' : 'chunk'}`;
        if (!names.has(twin)) {
          // A create or install that did not finish: nothing was ever acknowledged from it.
          this.log.warn({ handle, file: name }, 'removing chunk file without its twin');
          await fsp.rm(path, { force: true });
          continue;
        }
        if (m[2] === 'meta') await this.loadOne(handle);
      }
    }
    if (!synced) for (const h of this.chunks.keys()) this.unsynced.add(h);
    this.log.info({ chunks: this.chunks.size }, 'chunk inventory loaded');
  }

  private async loadOne(handle: number): Promise<void> {
    let meta: ChunkMeta;
    try {
      meta = await this.readMeta(handle);
    } catch (e) {
      // Without a readable meta nothing in the chunk can be verified or even versioned.
      this.log.warn({ handle, err: (e as Error).message }, 'removing chunk with unreadable meta');
      await fsp.rm(this.chunkPath(handle), { force: true });
      await fsp.rm(this.metaPath(handle), { force: true });
      return;
    }
    const st: ChunkState = { handle, version: meta.version, lengthBytes: meta.lengthBytes, bad: false };
    this.chunks.set(handle, st);
    this.storedBytesByHandle.set(handle, storedBytesOfMeta(meta));
    const size = (await fsp.stat(this.chunkPath(handle))).size;
    if (size !== meta.lengthBytes) this.markBad(handle, `data file has ${size} bytes, meta says ${meta.lengthBytes}`);
  }

  get(handle: number): ChunkState | undefined {
    const st = this.chunks.get(handle);
    return st && { ...st };
  }

  list(): ChunkState[] {
    return [...this.chunks.values()].map((st) => ({ ...st }));
  }

  count(): number {
    return this.chunks.size;
  }

  usedBytes(): number {
    let sum = 0;
    for (const st of this.chunks.values()) sum += st.lengthBytes;
    return sum;
  }

  storedBytes(): number {
    let sum = 0;
    for (const n of this.storedBytesByHandle.values()) sum += n;
    return sum;
  }

  activeWrites(): number {
    return this.writers;
  }

  markBad(handle: number, reason: string): void {
    const st = this.chunks.get(handle);
    if (!st || st.bad) return;
    st.bad = true;
    this.badReasons.set(handle, reason);
    this.log.error({ handle, reason }, 'replica state GOOD -> BAD');
    const bad = { handle, reason };
    this.newBad.push(bad);
    this.opts.onBad?.(bad);
  }

  badReplicas(): BadReplica[] {
    return [...this.badReasons].map(([handle, reason]) => ({ handle, reason }));
  }

  takeChanges(): StoreChanges {
    const changed: ChunkState[] = [];
    for (const h of this.changed) {
      const st = this.chunks.get(h);
      if (st && !st.bad) changed.push({ ...st });
    }
    const out = { changed, removed: [...this.removed], bad: this.newBad };
    this.changed.clear();
    this.removed.clear();
    this.newBad = [];
    return out;
  }

  private touch(st: ChunkState): void {
    this.chunks.set(st.handle, st);
    this.changed.add(st.handle);
    this.removed.delete(st.handle);
  }

  private require(handle: number): ChunkState {
    checkHandle(handle);
    const st = this.chunks.get(handle);
    if (!st) throw new DfsError('CHUNK_NOT_FOUND', `chunk ${handle} not found`);
    return st;
  }

  private requireGood(handle: number, version: number): ChunkState {
    const st = this.require(handle);
    if (st.bad) throw new DfsError('CHECKSUM_MISMATCH', `replica of chunk ${handle} is bad: ${this.badReasons.get(handle)}`);
    if (st.version !== version) throw new DfsError('STALE_VERSION', `chunk ${handle} is at version ${st.version}, not ${version}`);
    return st;
  }

  // ------------------------------------------------------------------ meta files

  /** `inline`: read it on the event loop (for a small operation, chunk-file-io.ts). */
  private async readMeta(handle: number, inline = false): Promise<ChunkMeta> {
    const path = this.metaPath(handle);
    return decodeMeta(inline ? readFileSync(path) : await fsp.readFile(path), `meta of chunk ${handle}`);
  }

  /**
   * temp file, fsync, rename, directory fsync. `dataSynced` (the data file's fsync) runs in
   * parallel with the temp file's write and fsync; the rename waits for both, so the new meta
   * is never visible before the data it describes is durable. Without `sync`, the first meta of
   * an `unmade` chunk (none exists yet) is written under its own name in one call (writeNewFile).
   */
  private async writeMeta(handle: number, meta: ChunkMeta, dataSynced: Promise<void> = Promise.resolve(), sync = true): Promise<void> {
    const final = this.metaPath(handle);
    if (!sync && this.unmade.has(handle) && writeNewFile(final, encodeMeta(meta))) return;
    const tmp = `${final}${TMP_MARK}${randomBytes(4).toString('hex')}`;
    if (!sync) {
      // Still a temp file and a rename: a reader or a crash of this process never sees half a
      // meta. On the event loop: a few KiB into the page cache and a rename, no disk wait.
      try {
        writeFileSync(tmp, encodeMeta(meta));
        renameSync(tmp, final);
      } catch (e) {
        rmSync(tmp, { force: true }); // a failed write (ENOSPC) leaves no temp file behind until the next start
        throw e;
      }
      return;
    }
    try {
      await Promise.all([dataSynced, writeFileSynced(tmp, encodeMeta(meta))]);
      await fsp.rename(tmp, final);
    } catch (e) {
      await fsp.rm(tmp, { force: true }).catch(() => undefined);
      throw e;
    }
    await fsyncDir(this.shardDir(handle));
  }

  // ------------------------------------------------------------------ versions

  async create(handle: number, version: number): Promise<ChunkState> {
    checkHandle(handle);
    if (!Number.isSafeInteger(version) || version <= 0) throw new DfsError('EINVAL', `invalid version ${version}`);
    return this.locks.with(handle, async () => {
      const existing = this.chunks.get(handle);
      if (existing) {
        if (existing.version === version && !existing.bad) return { ...existing };
        throw new DfsError('EEXIST', `chunk ${handle} already exists at version ${existing.version}`);
      }
      // No I/O: the replica is empty, and its files are made by the first write (or version
      // change) that needs them (`unmade`). Creates are on the critical path of every new chunk
      // (a small file through the mount), and 3 replicas making 2 files each on one disk were
      // most of a GetLease. One lost to a restart before its first write is missing from the
      // next inventory, and the master treats it as any lost replica: nothing of it was ever
      // acknowledged as data.
      const st: ChunkState = { handle, version, lengthBytes: 0, bad: false };
      this.unmade.add(handle);
      this.touch(st);
      this.storedBytesByHandle.set(handle, 0);
      return { ...st };
    });
  }

  /** Makes the files of an `unmade` chunk (no temp files: load() removes a twinless or unreadable pair). */
  private async materialize(handle: number, version: number): Promise<void> {
    const writeBoth = (): Promise<unknown> => Promise.all([
      fsp.writeFile(this.chunkPath(handle), EMPTY),
      fsp.writeFile(this.metaPath(handle), encodeMeta({ version, lengthBytes: 0, crcs: [] })),
    ]);
    await this.ensureShardDir(handle);
    try {
      await writeBoth();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      this.shardDirsMade.delete(this.shardDir(handle)); // removed behind our back: make it again
      await this.ensureShardDir(handle);
      await writeBoth();
    }
    this.unmade.delete(handle);
  }

  async setVersion(handle: number, expectedVersion: number, version: number): Promise<ChunkState> {
    this.require(handle);
    return this.locks.with(handle, async () => {
      const st = this.require(handle);
      if (st.bad) throw new DfsError('CHECKSUM_MISMATCH', `replica of chunk ${handle} is bad`);
      if (st.version === version) return { ...st }; // a retried grant
      if (st.version !== expectedVersion || version < st.version) {
        throw new DfsError('STALE_VERSION', `chunk ${handle} is at version ${st.version}, expected ${expectedVersion}`);
      }
      let meta: ChunkMeta;
      try {
        if (this.unmade.has(handle)) await this.materialize(handle, st.version);
        meta = await this.readMeta(handle);
      } catch (e) {
        throw await this.failedFilesLocked(handle, e);
      }
      meta.version = version;
      await this.writeMeta(handle, meta).catch((e) => { throw diskError(e, `new version of chunk ${handle}`); });
      st.version = version;
      this.touch(st);
      return { ...st };
    });
  }

  // ------------------------------------------------------------------ writes

  async openWriter(handle: number, version: number, offsetBytes: number, lengthBytes: number): Promise<ChunkWriter> {
    this.requireGood(handle, version);
    checkRange(offsetBytes, lengthBytes);
    const release = await this.locks.acquire(handle);
    let fh: ChunkFile | undefined;
    const inline = lengthBytes <= INLINE_IO_BYTES_MAX;
    try {
      const st = this.requireGood(handle, version); // again: it may have changed while we waited
      let writer: FileChunkWriter;
      try {
        let meta: ChunkMeta;
        if (this.unmade.has(handle)) {
          // the first write of a new chunk makes its data file; its meta comes with the commit
          meta = { version: st.version, lengthBytes: 0, crcs: [] };
          fh = await this.createDataFile(handle, inline);
        } else {
          meta = await this.readMeta(handle, inline);
          fh = await openChunkFile(this.chunkPath(handle), 'r+', inline);
        }
        writer = await FileChunkWriter.open({
          store: this, st, meta, fh, offsetBytes, lengthBytes, compression: this.compression,
          readVerifiedBlock: (current, block) => this.readVerifiedBlock(fh!, st, current, block),
          done: () => { this.writers--; release(); },
        });
      } catch (e) {
        throw await this.failedFilesLocked(handle, e);
      }
      this.writers++;
      return writer;
    } catch (e) {
      await fh?.close().catch(() => undefined);
      release();
      throw e;
    }
  }

  /**
   * The data file of an `unmade` chunk, created. A shard folder removed behind our back is made
   * again once (its replicas are lost; each is found bad when used), never `chunks/` itself.
   */
  private async createDataFile(handle: number, inline: boolean): Promise<ChunkFile> {
    await this.ensureShardDir(handle);
    try {
      return await openChunkFile(this.chunkPath(handle), 'w+', inline);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      this.shardDirsMade.delete(this.shardDir(handle));
      await this.ensureShardDir(handle);
      return openChunkFile(this.chunkPath(handle), 'w+', inline);
    }
  }

  /**
   * The error to throw for `e`, met opening or reading the files of a replica, with the chunk's
   * lock held. A replica the inventory no longer lists was deleted meanwhile: CHUNK_NOT_FOUND,
   * no loss. Otherwise the replica is marked bad (reported: the master copies the chunk from
   * another replica and drops this one) when the failure is the replica's (blamesReplica):
   * - a file deleted behind the chunkserver's back: CHUNK_NOT_FOUND (a client tries the next
   *   replica), unless both files are there again (an install renamed them in: a plain failure);
   * - a meta that does not decode: its CHECKSUM_MISMATCH;
   * - any other errno (a folder where a file should be, EACCES, EPERM, EIO …): DISK_ERROR.
   * A failure of the process (EMFILE …) is DISK_ERROR and marks nothing.
   */
  private async failedFilesLocked(handle: number, e: unknown): Promise<unknown> {
    if (!condemns(e)) return e;
    if (!this.chunks.has(handle)) return new DfsError('CHUNK_NOT_FOUND', `chunk ${handle} is gone`);
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && !this.unmade.has(handle)) {
      const present = await Promise.all([this.chunkPath(handle), this.metaPath(handle)].map((f) => fsp.access(f).then(() => true, () => false)));
      if (present.every(Boolean)) return diskError(e, `chunk ${handle}`); // back already: a plain failure
      this.markBad(handle, `its ${present[0] ? 'meta' : 'data'} file is missing`);
      return new DfsError('CHUNK_NOT_FOUND', `chunk ${handle}: its ${present[0] ? 'meta' : 'data'} file is missing`);
    }
    const err = diskError(e, `chunk ${handle}`) as DfsError;
    if (blamesReplica(e)) this.markBad(handle, err.message);
    return err;
  }

  /** Reads block `block` as `meta` describes it, decoded and checked; marks the replica bad otherwise. */
  private async readVerifiedBlock(fh: ChunkFile, st: ChunkState, meta: ChunkMeta, block: number): Promise<Buffer> {
    const buf = await readBlock(fh, meta, block);
    if (!buf) {
      const reason = `block ${block} does not match its checksum`;
      this.markBad(st.handle, reason);
      throw new DfsError('CHECKSUM_MISMATCH', `chunk ${st.handle}: ${reason}`);
    }
    return buf;
  }

  /** Called by a writer when it finished: persists meta and updates the inventory. */
  async finishWrite(st: ChunkState, meta: ChunkMeta, dataSynced?: Promise<void>, sync = true): Promise<void> {
    await this.writeMeta(st.handle, meta, dataSynced, sync);
    this.unmade.delete(st.handle);
    // a synced write covers what earlier no_sync writes left (the data fsync is of the whole file)
    if (sync) this.unsynced.delete(st.handle);
    else this.unsynced.add(st.handle);
    st.lengthBytes = meta.lengthBytes;
    this.storedBytesByHandle.set(st.handle, storedBytesOfMeta(meta));
    this.touch(st);
  }

  // ------------------------------------------------------------------ durability of no_sync writes

  unsyncedCount(): number {
    return this.unsynced.size;
  }

  async syncChunks(handles: number[]): Promise<void> {
    for (const h of handles) checkHandle(h);
    await Promise.all([...new Set(handles)].map((h) => this.syncOne(h)));
  }

  private async syncOne(handle: number): Promise<void> {
    if (this.unsynced.has(handle)) {
      await this.locks.with(handle, async () => {
        if (!this.unsynced.delete(handle)) return; // a synced write or syncAll got there first
        try {
          await Promise.all([fsyncFile(this.chunkPath(handle)), fsyncFile(this.metaPath(handle))]);
          await fsyncDir(this.shardDir(handle)); // the names: create's and the meta's rename
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT' && !this.chunks.has(handle)) return; // deleted meanwhile
          this.unsynced.add(handle);
          throw new DfsError('EIO', `fsync of chunk ${handle} failed: ${(e as Error).message}`, { cause: e });
        }
      });
    }
    const all = this.syncingAll;
    if (all?.handles.has(handle)) await all.done;
  }

  async syncAll(): Promise<void> {
    while (this.syncingAll) await this.syncingAll.done.catch(() => undefined);
    if (this.unsynced.size === 0) return;
    // everything written before the syncfs starts is covered by it; later writes stay listed
    const handles = new Set(this.unsynced);
    this.unsynced.clear();
    const done = syncFileSystem(this.dataDir).catch((e) => {
      for (const h of handles) if (this.chunks.has(h)) this.unsynced.add(h);
      throw new DfsError('EIO', `syncfs of ${this.dataDir} failed: ${(e as Error).message}`, { cause: e });
    });
    const entry = { handles, done };
    this.syncingAll = entry;
    try {
      await done;
    } finally {
      if (this.syncingAll === entry) this.syncingAll = undefined;
    }
  }

  // ------------------------------------------------------------------ reads

  async *read(handle: number, version: number, offsetBytes: number, lengthBytes: number, pieceBytes: number): AsyncGenerator<Buffer> {
    this.requireGood(handle, version);
    checkRange(offsetBytes, lengthBytes);
    if (!(pieceBytes > 0)) throw new DfsError('EINVAL', `invalid piece size ${pieceBytes}`);
    if (this.unmade.has(handle)) return; // empty, no files yet
    const inline = lengthBytes <= INLINE_READ_BYTES_MAX;
    let meta: ChunkMeta;
    let fh: ChunkFile;
    try {
      meta = await this.readMeta(handle, inline);
      fh = await openChunkFile(this.chunkPath(handle), 'r', inline);
    } catch (e) {
      throw await this.locks.with(handle, () => this.failedFilesLocked(handle, e));
    }
    try {
      let pos = offsetBytes;
      let end = Math.min(offsetBytes + lengthBytes, meta.lengthBytes);
      while (pos < end) {
        const pieceEnd = Math.min(pos + pieceBytes, end);
        let got = await readAligned(fh, pos, pieceEnd, meta);
        if (got.badBlock >= 0) {
          // Re-read under the lock with fresh meta: a write may have been in flight.
          got = await this.locks.with(handle, async () => {
            this.requireGood(handle, version);
            meta = await this.readMeta(handle, inline);
            end = Math.min(end, meta.lengthBytes);
            return readAligned(fh, pos, Math.min(pieceEnd, end), meta);
          });
          if (got.badBlock >= 0) {
            const reason = `block ${got.badBlock} does not match its checksum`;
            this.markBad(handle, reason);
            throw new DfsError('CHECKSUM_MISMATCH', `chunk ${handle}: ${reason}`);
          }
        }
        if (got.data.length > 0) yield got.data;
        pos += got.data.length;
        if (got.data.length === 0) break;
      }
    } catch (e) {
      // a read that failed (EIO; a folder opened as the data file: EISDIR; a meta re-read that
      // does not decode) condemns the replica
      throw condemns(e) ? await this.locks.with(handle, () => this.failedFilesLocked(handle, e)) : e;
    } finally {
      await fh.close();
    }
  }

  // ------------------------------------------------------------------ replication and deletion

  async install(handle: number, version: number, source: AsyncIterable<Buffer>): Promise<ChunkState> {
    checkHandle(handle);
    return this.locks.with(handle, () => this.installLocked(handle, version, source).catch((e) => {
      throw diskError(e, `copy of chunk ${handle}`);
    }));
  }

  private async installLocked(handle: number, version: number, source: AsyncIterable<Buffer>): Promise<ChunkState> {
    this.shardDirsMade.delete(this.shardDir(handle)); // a copy is rare: its folder is made when it is missing
    await this.ensureShardDir(handle);
    const suffix = `${TMP_MARK}${randomBytes(4).toString('hex')}`;
    const tmpData = `${this.chunkPath(handle)}${suffix}`;
    const fh = await fsp.open(tmpData, 'w');
    const meta: Required<ChunkMeta> = { version, lengthBytes: 0, crcs: [], stored: [] };
    try {
      try {
        const blocks = new BlockAssembler(0);
        for await (const piece of source) {
          if (blocks.positionBytes + piece.length > CHUNK_BYTES_MAX) throw new DfsError('EFBIG', `chunk ${handle} exceeds ${CHUNK_BYTES_MAX} bytes`);
          await this.installBlocks(fh, meta, blocks.push(piece));
        }
        const last = blocks.unfinished();
        if (last) await this.installBlocks(fh, meta, [{ index: last.index, content: last.buffer.subarray(0, last.knownBytes) }]);
        await fh.truncate(meta.lengthBytes); // a compressed last block leaves it short
        await fh.sync();
      } finally {
        await fh.close();
      }
      // data first, then meta: a crash between the renames leaves a mismatch, never a silent error
      const tmpMeta = `${this.metaPath(handle)}${suffix}`;
      await writeFileSynced(tmpMeta, encodeMeta(meta));
      await fsp.rename(tmpData, this.chunkPath(handle));
      await fsp.rename(tmpMeta, this.metaPath(handle));
      await fsyncDir(this.shardDir(handle));
    } catch (e) {
      await fsp.rm(tmpData, { force: true }).catch(() => undefined);
      await fsp.rm(`${this.metaPath(handle)}${suffix}`, { force: true }).catch(() => undefined);
      throw e;
    }
    this.unmade.delete(handle);
    if (this.badReasons.delete(handle)) this.log.info({ handle }, 'replica state BAD -> GOOD (reinstalled)');
    const st: ChunkState = { handle, version, lengthBytes: meta.lengthBytes, bad: false };
    this.touch(st);
    this.storedBytesByHandle.set(handle, storedBytesOfMeta(meta));
    return { ...st };
  }

  /** Appends whole blocks (and at the end the partial last one) to a chunk being installed. */
  private async installBlocks(fh: ChunkFile, meta: Required<ChunkMeta>, blocks: WholeBlock[]): Promise<void> {
    if (blocks.length === 0) return;
    const writes = blocks.map((b) => ({ index: b.index, encoded: encodeBlock(b.content, this.compression) }));
    await writeBlocks(fh, writes);
    for (let i = 0; i < blocks.length; i++) {
      meta.crcs[blocks[i].index] = crc32c(blocks[i].content);
      meta.stored[blocks[i].index] = writes[i].encoded.word;
      meta.lengthBytes = blocks[i].index * BLOCK_BYTES + blocks[i].content.length;
    }
    assert.equal(meta.crcs.length, blockCountOf(meta.lengthBytes));
  }

  /**
   * Deletes again the files of replicas `remove` could not delete (a disk that was read-only for
   * a while): they had left the inventory, so nothing else would ever remove them before a
   * restart. A handle with a replica again (copied back since) is forgotten: its files are live.
   */
  async removeLeftovers(): Promise<void> {
    for (const handle of [...this.leftovers]) {
      await this.locks.with(handle, async () => {
        if (this.chunks.has(handle)) {
          this.leftovers.delete(handle);
          return;
        }
        try {
          for (const path of [this.metaPath(handle), this.chunkPath(handle)]) await fsp.rm(path, { force: true });
          this.leftovers.delete(handle);
          this.log.info({ handle }, 'left-over replica files deleted');
        } catch {
          // still refused: the next round tries again
        }
      });
    }
  }

  async remove(handle: number, maxVersion: number): Promise<boolean> {
    checkHandle(handle);
    return this.locks.with(handle, async () => {
      const st = this.chunks.get(handle);
      if (!st) return false;
      if (maxVersion !== 0 && st.version > maxVersion) return false;
      // A file that cannot be removed (a folder in its place, an immutable file) is left behind
      // and logged; the replica leaves the inventory anyway, as a bad or unwanted replica must
      // (the master would ask for the delete at every report). load() skips such leftovers.
      for (const path of [this.metaPath(handle), this.chunkPath(handle)]) {
        await fsp.rm(path, { force: true }).catch((e) => {
          this.leftovers.add(handle);
          this.log.error({ handle, path, err: (e as Error).message }, 'cannot delete a replica file: left on disk, tried again later');
        });
      }
      this.chunks.delete(handle);
      this.unsynced.delete(handle);
      this.unmade.delete(handle);
      this.storedBytesByHandle.delete(handle);
      this.badReasons.delete(handle);
      this.changed.delete(handle);
      this.removed.add(handle);
      this.log.info({ handle, version: st.version }, 'replica deleted');
      return true;
    });
  }
}
