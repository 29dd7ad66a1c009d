/**
 * One streaming write into a chunk file, keeping the per-block CRC32Cs up to date as bytes
 * arrive. Created by the chunk store while it holds the chunk's lock; `done()` releases it.
 * Operations run one at a time in call order (an abort waits for an in-flight write).
 */
import type { FileHandle } from 'node:fs/promises';
import { crc32c } from '../common/crc32c';
import { DfsError, asDfsError } from '../common/errors';
import { BLOCK_BYTES, type ChunkMeta, blockCountOf, extendWithZeros } from './chunk-meta';
import { checkRange, readFully, writeFully } from './chunk-file-io';
import type { ChunkState, ChunkWriter } from './chunk-store';

/** What a writer needs from its store. */
export interface WriterSink {
  /**
   * Persists meta (temp file, fsync, rename) and updates the inventory. `dataSynced`: the data
   * file's fsync, already started; the new meta becomes visible only after it resolved.
   */
  finishWrite(st: ChunkState, meta: ChunkMeta, dataSynced?: Promise<void>): Promise<void>;
  markBad(handle: number, reason: string): void;
}

export interface WriterParts {
  store: WriterSink;
  st: ChunkState;
  meta: ChunkMeta;
  fh: FileHandle;
  offsetBytes: number;
  lengthBytes: number;
  readVerifiedBlock(block: number): Promise<Buffer>;
  done(): void;
}

/**
 * Checksums are maintained while the data streams: `running` is the CRC of the current block
 * up to `pos`. A write that starts inside a block continues the stored CRC (append) or starts
 * from the verified prefix read back from disk; one that ends inside existing data finishes the
 * block with the verified suffix read (before anything was overwritten) at open.
 */
/**
 * Bytes written between two background `datasync`s while a write streams in. The final fsync
 * before the ack is still done in full; the early ones only start the writeback of what is
 * already written, so that fsync finds little left and the disk works while frames arrive
 * (measured: the ack of a 64 MiB chunk waited for one large fsync at the end).
 */
export const EARLY_SYNC_BYTES = 8 * 1024 * 1024;

export class FileChunkWriter implements ChunkWriter {
  readonly handle: number;
  private pos: number;
  private running = 0;
  private crcs: number[];
  private readonly originalCrcs: number[];
  private readonly oldLengthBytes: number;
  private suffix: Buffer | undefined;
  private serial: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Bytes written since the last background datasync started. */
  private unsyncedBytes = 0;
  /** The background datasync in flight (never rejects: the final fsync reports errors). */
  private earlySync: Promise<void> = Promise.resolve();
  private earlySyncRunning = false;

  private constructor(private readonly p: WriterParts) {
    this.handle = p.st.handle;
    this.pos = p.offsetBytes;
    this.originalCrcs = p.meta.crcs.slice();
    this.crcs = p.meta.crcs.slice();
    this.oldLengthBytes = p.meta.lengthBytes;
  }

  static async open(p: WriterParts): Promise<FileChunkWriter> {
    const w = new FileChunkWriter(p);
    await w.prepareEdges();
    return w;
  }

  private async prepareEdges(): Promise<void> {
    const { offsetBytes: offset, lengthBytes: length } = this.p;
    if (length === 0) return;
    const oldLen = this.oldLengthBytes;
    if (offset > oldLen) extendWithZeros(this.crcs, oldLen, offset); // the gap reads as zeros
    const startBlock = Math.floor(offset / BLOCK_BYTES);
    let startOld: Buffer | undefined;
    if (offset % BLOCK_BYTES !== 0) {
      if (offset >= oldLen) {
        this.running = this.crcs[startBlock]; // append: continue the stored CRC, no read
      } else {
        startOld = await this.p.readVerifiedBlock(startBlock);
        this.running = crc32c(startOld.subarray(0, offset % BLOCK_BYTES));
      }
    }
    const end = offset + length;
    if (end % BLOCK_BYTES !== 0 && end < oldLen) {
      const endBlock = Math.floor(end / BLOCK_BYTES);
      const old = endBlock === startBlock && startOld ? startOld : await this.p.readVerifiedBlock(endBlock);
      this.suffix = old.subarray(end % BLOCK_BYTES);
    }
  }

  private queue<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.serial.then(fn, fn);
    this.serial = next.catch(() => undefined);
    return next;
  }

  write(data: Buffer): Promise<void> {
    return this.queue(async () => {
      if (this.closed) throw new DfsError('INTERNAL', 'write after the writer closed');
      if (this.pos + data.length > this.p.offsetBytes + this.p.lengthBytes) {
        throw new DfsError('BAD_FRAME', `more data than the announced ${this.p.lengthBytes} bytes`);
      }
      await writeFully(this.p.fh, data, this.pos);
      this.startEarlySync(data.length);
      let i = 0;
      while (i < data.length) {
        const inBlock = this.pos % BLOCK_BYTES;
        const n = Math.min(BLOCK_BYTES - inBlock, data.length - i);
        if (inBlock === 0) this.running = 0;
        this.running = crc32c(data.subarray(i, i + n), this.running);
        i += n;
        this.pos += n;
        if (this.pos % BLOCK_BYTES === 0) this.crcs[this.pos / BLOCK_BYTES - 1] = this.running;
      }
    });
  }

  /** Starts a background datasync every EARLY_SYNC_BYTES written, one at a time. */
  private startEarlySync(writtenBytes: number): void {
    this.unsyncedBytes += writtenBytes;
    if (this.unsyncedBytes < EARLY_SYNC_BYTES || this.earlySyncRunning) return;
    this.unsyncedBytes = 0;
    this.earlySyncRunning = true;
    this.earlySync = this.p.fh.datasync().catch(() => undefined).finally(() => { this.earlySyncRunning = false; });
  }

  commit(setLengthBytes?: number): Promise<number> {
    return this.queue(async () => {
      if (this.closed) throw new DfsError('INTERNAL', 'commit after the writer closed');
      const { offsetBytes: offset, lengthBytes: length } = this.p;
      try {
        if (this.pos !== offset + length) throw new DfsError('BAD_FRAME', `write ended after ${this.pos - offset} of ${length} bytes`);
        if (length > 0 && this.pos % BLOCK_BYTES !== 0) {
          if (this.suffix) this.running = crc32c(this.suffix, this.running);
          this.crcs[Math.floor(this.pos / BLOCK_BYTES)] = this.running;
        }
        let newLen = length > 0 ? Math.max(this.oldLengthBytes, offset + length) : this.oldLengthBytes;
        this.crcs.length = blockCountOf(newLen);
        if (setLengthBytes !== undefined && setLengthBytes !== newLen) {
          checkRange(setLengthBytes, 0);
          await this.applySetLength(newLen, setLengthBytes);
          newLen = setLengthBytes;
        }
        await this.p.store.finishWrite(this.p.st, { version: this.p.st.version, lengthBytes: newLen, crcs: this.crcs }, this.earlySync.then(() => this.p.fh.sync()));
        return newLen;
      } catch (e) {
        await this.repair();
        throw e;
      } finally {
        await this.close();
      }
    });
  }

  private async applySetLength(curLen: number, target: number): Promise<void> {
    if (target > curLen) {
      extendWithZeros(this.crcs, curLen, target);
    } else if (target % BLOCK_BYTES !== 0) {
      // The new last block: verify it as it is now, then checksum its kept prefix.
      const block = Math.floor(target / BLOCK_BYTES);
      const meta = { version: this.p.st.version, lengthBytes: curLen, crcs: this.crcs };
      const buf = Buffer.alloc(Math.min(BLOCK_BYTES, curLen - block * BLOCK_BYTES));
      const got = await readFully(this.p.fh, buf, block * BLOCK_BYTES);
      if (got !== buf.length || crc32c(buf) !== meta.crcs[block]) {
        throw new DfsError('CHECKSUM_MISMATCH', `chunk ${this.handle}: block ${block} does not match its checksum`);
      }
      this.crcs[block] = crc32c(buf.subarray(0, target % BLOCK_BYTES));
    }
    this.crcs.length = blockCountOf(target);
    await this.p.fh.truncate(target);
  }

  abort(): Promise<void> {
    return this.queue(async () => {
      if (this.closed) return;
      try {
        await this.repair();
      } finally {
        await this.close();
      }
    });
  }

  /** Makes the meta match what is on disk after a partial write; marks the replica bad if even that fails. */
  private async repair(): Promise<void> {
    try {
      const size = (await this.p.fh.stat()).size;
      if (size === this.oldLengthBytes && this.pos === this.p.offsetBytes) return; // nothing reached the disk
      const crcs = this.originalCrcs.slice(0, blockCountOf(size));
      const first = Math.floor(Math.min(this.p.offsetBytes, this.oldLengthBytes) / BLOCK_BYTES);
      for (let block = first; block < blockCountOf(size); block++) {
        const buf = Buffer.alloc(Math.min(BLOCK_BYTES, size - block * BLOCK_BYTES));
        await readFully(this.p.fh, buf, block * BLOCK_BYTES);
        crcs[block] = crc32c(buf);
      }
      await this.p.fh.sync();
      await this.p.store.finishWrite(this.p.st, { version: this.p.st.version, lengthBytes: size, crcs });
    } catch (e) {
      this.p.store.markBad(this.handle, `could not recover from a failed write: ${asDfsError(e).message}`);
    }
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.earlySync;
      await this.p.fh.close();
    } finally {
      this.p.done();
    }
  }
}

