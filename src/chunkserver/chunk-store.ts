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
 */
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { crc32c } from '../common/crc32c';
import { DfsError } from '../common/errors';
import { logger, type Logger } from '../common/logger';
import { KeyLock } from './key-lock';
import { BLOCK_BYTES, CHUNK_BYTES_MAX, type ChunkMeta, blockCountOf, checkHandle, decodeMeta, encodeMeta, storedBytesOfMeta } from './chunk-meta';
import { checkRange, fsyncDir, readAligned, readBlock, writeBlocks, writeFileSynced } from './chunk-file-io';
import { FileChunkWriter, type WriterSink } from './chunk-writer';
import { BlockAssembler, type WholeBlock } from './block-assembler';
import { COMPRESSION_OFF, encodeBlock, type CompressionPolicy } from './block-codec';

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
  /** Applies `setLengthBytes`, fsyncs data then meta; releases the lock. Returns the chunk length. */
  /** `sync` false: no fsync of data, meta or folder (a later synced write of the chunk makes all durable). */
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
  /** An empty chunk at `version`; OK when it exists at that version, EEXIST otherwise. */
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

export class FileChunkStore implements ChunkStore, WriterSink {
  readonly dataDir: string;
  private readonly chunksDir: string;
  private readonly chunks = new Map<number, ChunkState>();
  /** Handle → bytes its blocks take in its `.chunk` file (storedBytesOfMeta). */
  private readonly storedBytesByHandle = new Map<number, number>();
  private readonly compression: CompressionPolicy;
  private readonly badReasons = new Map<number, string>();
  private readonly locks = new KeyLock<number>();
  /** Shard folders known to exist (made by ensureShardDir). */
  private readonly shardDirsMade = new Set<string>();
  private readonly changed = new Set<number>();
  private readonly removed = new Set<number>();
  private newBad: BadReplica[] = [];
  private writers = 0;
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

  /** Creates the shard folder of `handle` once per process (mkdir is a syscall per create otherwise). */
  private async ensureShardDir(handle: number): Promise<void> {
    const dir = this.shardDir(handle);
    if (this.shardDirsMade.has(dir)) return;
    await fsp.mkdir(dir, { recursive: true });
    this.shardDirsMade.add(dir);
  }

  private shardDir(handle: number): string {
    return join(this.chunksDir, (handle % 256).toString(16).padStart(2, '0'));
  }

  private metaPath(handle: number): string {
    return join(this.shardDir(handle), `${handle}.meta`);
  }

  // ------------------------------------------------------------------ inventory

  async load(): Promise<void> {
    await fsp.mkdir(this.chunksDir, { recursive: true });
    for (const shard of await fsp.readdir(this.chunksDir)) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      const dir = join(this.chunksDir, shard);
      const names = new Set(await fsp.readdir(dir));
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

  private async readMeta(handle: number): Promise<ChunkMeta> {
    return decodeMeta(await fsp.readFile(this.metaPath(handle)), `meta of chunk ${handle}`);
  }

  /**
   * temp file, fsync, rename, directory fsync. `dataSynced` (the data file's fsync) runs in
   * parallel with the temp file's write and fsync; the rename waits for both, so the new meta
   * is never visible before the data it describes is durable.
   */
  private async writeMeta(handle: number, meta: ChunkMeta, dataSynced: Promise<void> = Promise.resolve(), sync = true): Promise<void> {
    const final = this.metaPath(handle);
    const tmp = `${final}${TMP_MARK}${randomBytes(4).toString('hex')}`;
    if (!sync) {
      // still a temp file and a rename: a reader or a crash of this process never sees half a meta
      await fsp.writeFile(tmp, encodeMeta(meta));
      await fsp.rename(tmp, final);
      return;
    }
    await Promise.all([dataSynced, writeFileSynced(tmp, encodeMeta(meta))]);
    await fsp.rename(tmp, final);
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
      // Both files are new and unknown to the master until this Grant is answered, so no temp
      // file: an unfinished create leaves a twinless or unreadable meta that load() removes.
      // No fsync: an empty replica holds no data, and the first write fsyncs the data, the meta
      // and the folder (both names). One lost to a power cut before that write is missing from
      // the next inventory, and the master treats it as any lost replica (small files: the
      // create is on the critical path of every new chunk, and 2 fsyncs × 3 replicas on one disk
      // were most of it).
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
      const st: ChunkState = { handle, version, lengthBytes: 0, bad: false };
      this.touch(st);
      this.storedBytesByHandle.set(handle, 0);
      return { ...st };
    });
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
      const meta = await this.readMeta(handle);
      meta.version = version;
      await this.writeMeta(handle, meta);
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
    let fh: FileHandle | undefined;
    try {
      const st = this.requireGood(handle, version); // again: it may have changed while we waited
      const meta = await this.readMeta(handle);
      fh = await fsp.open(this.chunkPath(handle), 'r+');
      const writer = await FileChunkWriter.open({
        store: this, st, meta, fh, offsetBytes, lengthBytes, compression: this.compression,
        readVerifiedBlock: (current, block) => this.readVerifiedBlock(fh!, st, current, block),
        done: () => { this.writers--; release(); },
      });
      this.writers++;
      return writer;
    } catch (e) {
      await fh?.close().catch(() => undefined);
      release();
      throw e;
    }
  }

  /** Reads block `block` as `meta` describes it, decoded and checked; marks the replica bad otherwise. */
  private async readVerifiedBlock(fh: FileHandle, st: ChunkState, meta: ChunkMeta, block: number): Promise<Buffer> {
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
    st.lengthBytes = meta.lengthBytes;
    this.storedBytesByHandle.set(st.handle, storedBytesOfMeta(meta));
    this.touch(st);
  }

  // ------------------------------------------------------------------ reads

  async *read(handle: number, version: number, offsetBytes: number, lengthBytes: number, pieceBytes: number): AsyncGenerator<Buffer> {
    this.requireGood(handle, version);
    checkRange(offsetBytes, lengthBytes);
    if (!(pieceBytes > 0)) throw new DfsError('EINVAL', `invalid piece size ${pieceBytes}`);
    let meta = await this.readMeta(handle);
    const fh = await fsp.open(this.chunkPath(handle), 'r');
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
            meta = await this.readMeta(handle);
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
    } finally {
      await fh.close();
    }
  }

  // ------------------------------------------------------------------ replication and deletion

  async install(handle: number, version: number, source: AsyncIterable<Buffer>): Promise<ChunkState> {
    checkHandle(handle);
    return this.locks.with(handle, async () => {
      await fsp.mkdir(this.shardDir(handle), { recursive: true });
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
        await fsp.rm(tmpData, { force: true });
        await fsp.rm(`${this.metaPath(handle)}${suffix}`, { force: true });
        throw e;
      }
      if (this.badReasons.delete(handle)) this.log.info({ handle }, 'replica state BAD -> GOOD (reinstalled)');
      const st: ChunkState = { handle, version, lengthBytes: meta.lengthBytes, bad: false };
      this.touch(st);
      this.storedBytesByHandle.set(handle, storedBytesOfMeta(meta));
      return { ...st };
    });
  }

  /** Appends whole blocks (and at the end the partial last one) to a chunk being installed. */
  private async installBlocks(fh: FileHandle, meta: Required<ChunkMeta>, blocks: WholeBlock[]): Promise<void> {
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

  async remove(handle: number, maxVersion: number): Promise<boolean> {
    checkHandle(handle);
    return this.locks.with(handle, async () => {
      const st = this.chunks.get(handle);
      if (!st) return false;
      if (maxVersion !== 0 && st.version > maxVersion) return false;
      await fsp.rm(this.metaPath(handle), { force: true });
      await fsp.rm(this.chunkPath(handle), { force: true });
      this.chunks.delete(handle);
      this.storedBytesByHandle.delete(handle);
      this.badReasons.delete(handle);
      this.changed.delete(handle);
      this.removed.add(handle);
      this.log.info({ handle, version: st.version }, 'replica deleted');
      return true;
    });
  }
}
