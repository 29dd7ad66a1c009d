/**
 * One streaming write into a chunk file. Created by the chunk store while it holds the chunk's
 * lock; `done()` releases it. Operations run one at a time in call order (an abort waits for an
 * in-flight write).
 *
 * The file is written in whole 64 KiB blocks, each at its fixed slot, raw or compressed
 * (block-codec.ts): arriving bytes are gathered per block (BlockAssembler), and a block goes
 * to disk, with its CRC32C over the uncompressed bytes, once it is complete. A write that
 * starts inside a block begins with that block's current bytes (read, decoded and verified at
 * open); the block where it ends inside existing data is completed with the old bytes after
 * it (also read and verified at open, BEFORE anything is overwritten, so a write never
 * launders earlier corruption into a fresh checksum).
 *
 * `work` always describes what the file holds: every block written so far, nothing of the
 * block still being gathered. A failed write (client gone, downstream failure) writes the
 * gathered part of its last block too (completed with the old bytes after it), then persists
 * `work`: the replica stays self-consistent, its content in the written range undefined as in
 * GFS. Only when a block write itself failed is the replica marked bad.
 */
import { crc32c } from '../common/crc32c';
import { DfsError, asDfsError } from '../common/errors';
import { BLOCK_BYTES, type ChunkMeta, blockBytesOf, blockCountOf, extendWithZeros, storedWordsOf } from './chunk-meta';
import { type ChunkFile, checkRange, writeBlocks, type BlockWrite } from './chunk-file-io';
import { STORED_RAW, encodeBlock, type CompressionPolicy } from './block-codec';
import { BlockAssembler, type WholeBlock } from './block-assembler';
import { takeVerifiedCrc } from './verified-crcs';
import type { ChunkState, ChunkWriter } from './chunk-store';

/** What a writer needs from its store. */
export interface WriterSink {
  /**
   * Persists meta (temp file, fsync, rename) and updates the inventory. `dataSynced`: the data
   * file's fsync, already started; the new meta becomes visible only after it resolved.
   * `sync` false: the same without any fsync (temp file, rename).
   */
  finishWrite(st: ChunkState, meta: ChunkMeta, dataSynced?: Promise<void>, sync?: boolean): Promise<void>;
  markBad(handle: number, reason: string): void;
}

export interface WriterParts {
  store: WriterSink;
  st: ChunkState;
  meta: ChunkMeta;
  fh: ChunkFile;
  offsetBytes: number;
  lengthBytes: number;
  compression: CompressionPolicy;
  /** Block `block` as `meta` describes it, decoded; CHECKSUM_MISMATCH (replica marked bad) when damaged. */
  readVerifiedBlock(meta: ChunkMeta, block: number): Promise<Buffer>;
  done(): void;
}

/**
 * Bytes written between two background `datasync`s while a write streams in. The final fsync
 * before the ack is still done in full; the early ones only start the writeback of what is
 * already written, so that fsync finds little left and the disk works while frames arrive
 * (measured: the ack of a 64 MiB chunk waited for one large fsync at the end).
 */
export const EARLY_SYNC_BYTES = 8 * 1024 * 1024;

type WorkMeta = Required<ChunkMeta>;

export class FileChunkWriter implements ChunkWriter {
  readonly handle: number;
  private readonly work: WorkMeta;
  private blocks: BlockAssembler;
  /** The range being written: from the open, then from each nextRange(). */
  private rangeOffset: number;
  private rangeLength: number;
  /** Old content of the edge blocks of the range, read and verified when it began. */
  private edges = new Map<number, Buffer>();
  /** Something reached the file: a failed write must then persist a meta that matches it. */
  private touched = false;
  /** A block write failed: nobody knows what the file holds. */
  private writeError: DfsError | undefined;
  /** The unfinished last block was written (commit, or repair). */
  private lastBlockWritten = false;
  /**
   * Size of the data file as far as this writer made it. A compressed last block leaves it
   * below `work.lengthBytes` until a truncate fixes it (before any read of the file, at the end).
   */
  private fileBytes: number;
  private serial: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Bytes written since the last background datasync started. */
  private unsyncedBytes = 0;
  /** The background datasync in flight (never rejects: the final fsync reports errors). */
  private earlySync: Promise<void> = Promise.resolve();
  private earlySyncRunning = false;

  private constructor(private readonly p: WriterParts, prefix: Buffer | undefined) {
    this.handle = p.st.handle;
    this.work = { version: p.meta.version, lengthBytes: p.meta.lengthBytes, crcs: p.meta.crcs.slice(), stored: storedWordsOf(p.meta) };
    this.blocks = new BlockAssembler(p.offsetBytes, prefix);
    this.rangeOffset = p.offsetBytes;
    this.rangeLength = p.lengthBytes;
    this.fileBytes = p.meta.lengthBytes;
  }

  /** Reads and verifies the edge blocks (CHECKSUM_MISMATCH when one is damaged). */
  static async open(p: WriterParts): Promise<FileChunkWriter> {
    const edges = new Map<number, Buffer>();
    const old = async (block: number): Promise<Buffer> => {
      let got = edges.get(block);
      if (!got) edges.set(block, got = await p.readVerifiedBlock(p.meta, block));
      return got;
    };
    const { offsetBytes: offset, lengthBytes: length, meta } = p;
    let prefix: Buffer | undefined;
    if (length > 0) {
      // The first block begins with what is there now (zeros past the end).
      if (offset % BLOCK_BYTES !== 0 && offset - (offset % BLOCK_BYTES) < meta.lengthBytes) prefix = await old(Math.floor(offset / BLOCK_BYTES));
      const end = offset + length;
      if (end % BLOCK_BYTES !== 0 && end < meta.lengthBytes) await old(Math.floor(end / BLOCK_BYTES));
    }
    const w = new FileChunkWriter(p, prefix);
    for (const [block, data] of edges) w.edges.set(block, data);
    return w;
  }

  private queue<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.serial.then(fn, fn);
    this.serial = next.catch(() => undefined);
    return next;
  }

  write(data: Buffer): Promise<void> {
    return this.queue(async () => {
      if (this.closed) throw new DfsError('INTERNAL', 'write after the writer closed');
      if (this.blocks.positionBytes + data.length > this.rangeOffset + this.rangeLength) {
        throw new DfsError('BAD_FRAME', `more data than the announced ${this.rangeLength} bytes`);
      }
      const whole = this.blocks.push(data);
      if (whole.length > 0) await this.putBlocks(whole);
    });
  }

  /**
   * Encodes and writes consecutive blocks, then records them in `work`. A block past the end
   * first extends the chunk with zeros up to it.
   */
  private async putBlocks(blocks: WholeBlock[]): Promise<void> {
    const start = blocks[0].index * BLOCK_BYTES;
    if (start > this.work.lengthBytes) await this.extendTo(start);
    const writes = blocks.map((b): BlockWrite => {
      const encoded = encodeBlock(b.content, this.p.compression);
      // A raw block over a raw block: only the new bytes go out, the others are on disk already.
      const patch = encoded.word === STORED_RAW && b.index < this.work.stored.length && this.work.stored[b.index] === STORED_RAW;
      return patch ? { index: b.index, encoded, fromBytes: b.fromBytes, toBytes: b.toBytes } : { index: b.index, encoded };
    });
    const crcs = blocks.map((b) => takeVerifiedCrc(b.content) ?? crc32c(b.content));
    this.touched = true;
    let written: number;
    try {
      written = await writeBlocks(this.p.fh, writes);
    } catch (e) {
      this.writeError = asDfsError(e);
      throw e;
    }
    for (let i = 0; i < blocks.length; i++) {
      const { index, content } = blocks[i];
      const w = writes[i];
      this.fileBytes = Math.max(this.fileBytes, index * BLOCK_BYTES + (w.encoded.word === STORED_RAW ? w.toBytes ?? w.encoded.data.length : w.encoded.data.length));
      this.work.crcs[index] = crcs[i];
      this.work.stored[index] = writes[i].encoded.word;
      this.work.lengthBytes = Math.max(this.work.lengthBytes, index * BLOCK_BYTES + content.length);
    }
    this.startEarlySync(written);
  }

  /**
   * Grows the chunk to `target` bytes of zeros. Raw blocks need no I/O (the gap is a hole that
   * reads as zeros, the CRCs are computed); a compressed last block is rewritten padded.
   */
  private async extendTo(target: number): Promise<void> {
    const w = this.work;
    const last = Math.floor(w.lengthBytes / BLOCK_BYTES);
    if (w.lengthBytes % BLOCK_BYTES !== 0 && w.stored[last] !== STORED_RAW) {
      const padded = Buffer.alloc(Math.min(BLOCK_BYTES, target - last * BLOCK_BYTES));
      (await this.readCurrentBlock(last)).copy(padded);
      await this.putBlocks([{ index: last, content: padded }]);
    }
    if (target <= w.lengthBytes) return;
    extendWithZeros(w.crcs, w.lengthBytes, target);
    for (let b = w.stored.length; b < w.crcs.length; b++) w.stored[b] = STORED_RAW;
    w.lengthBytes = target;
  }

  /** Writes the unfinished block, completed with the old bytes after the written part. */
  private async putLastBlock(): Promise<void> {
    const last = this.blocks.unfinished();
    this.lastBlockWritten = true;
    if (!last) return;
    const oldBytes = blockBytesOf(this.work.lengthBytes, last.index);
    if (oldBytes > last.knownBytes) {
      const old = this.edges.get(last.index) ?? await this.readCurrentBlock(last.index);
      old.copy(last.buffer, last.knownBytes, last.knownBytes, oldBytes);
    }
    await this.putBlocks([{
      index: last.index, content: last.buffer.subarray(0, Math.max(oldBytes, last.knownBytes)), fromBytes: last.fromBytes, toBytes: last.knownBytes,
    }]);
  }

  /** Block `block` as the file holds it now, decoded and verified (CHECKSUM_MISMATCH otherwise). */
  private async readCurrentBlock(block: number): Promise<Buffer> {
    if (this.fileBytes < this.work.lengthBytes) await this.fitFileLength();
    return this.p.readVerifiedBlock(this.work, block);
  }

  /** The data file gets the chunk's length: compressed slots and zero gaps leave it short, a set_length cut long. */
  private async fitFileLength(): Promise<void> {
    await this.p.fh.truncate(this.work.lengthBytes);
    this.fileBytes = this.work.lengthBytes;
  }

  /** Starts a background datasync every EARLY_SYNC_BYTES written, one at a time. */
  private startEarlySync(writtenBytes: number): void {
    this.unsyncedBytes += writtenBytes;
    if (this.unsyncedBytes < EARLY_SYNC_BYTES || this.earlySyncRunning) return;
    this.unsyncedBytes = 0;
    this.earlySyncRunning = true;
    this.earlySync = this.p.fh.datasync().catch(() => undefined).finally(() => { this.earlySyncRunning = false; });
  }

  /**
   * Ends the current range (its unfinished last block is written) and goes on at another range
   * of the chunk, after it, in the same write: one lock, one open file and one meta update for
   * all ranges (WriteHeader.ranges). Must follow a complete range.
   */
  nextRange(offsetBytes: number, lengthBytes: number): Promise<void> {
    return this.queue(async () => {
      if (this.closed) throw new DfsError('INTERNAL', 'nextRange after the writer closed');
      checkRange(offsetBytes, lengthBytes);
      const end = this.rangeOffset + this.rangeLength;
      if (this.blocks.positionBytes !== end) throw new DfsError('BAD_FRAME', `range ended after ${this.blocks.positionBytes - this.rangeOffset} of ${this.rangeLength} bytes`);
      if (offsetBytes < end) throw new DfsError('EINVAL', `range at ${offsetBytes} overlaps or precedes the one ending at ${end}`);
      if (this.rangeLength > 0) await this.putLastBlock();
      // the new range's edge blocks as the file holds them now (earlier ranges included)
      const edges = new Map<number, Buffer>();
      let prefix: Buffer | undefined;
      if (lengthBytes > 0) {
        const first = Math.floor(offsetBytes / BLOCK_BYTES);
        if (offsetBytes % BLOCK_BYTES !== 0 && first * BLOCK_BYTES < this.work.lengthBytes) edges.set(first, prefix = await this.readCurrentBlock(first));
        const rangeEnd = offsetBytes + lengthBytes;
        const last = Math.floor(rangeEnd / BLOCK_BYTES);
        if (rangeEnd % BLOCK_BYTES !== 0 && rangeEnd < this.work.lengthBytes && !edges.has(last)) edges.set(last, await this.readCurrentBlock(last));
      }
      this.edges = edges;
      this.blocks = new BlockAssembler(offsetBytes, prefix);
      this.rangeOffset = offsetBytes;
      this.rangeLength = lengthBytes;
      this.lastBlockWritten = false;
    });
  }

  commit(setLengthBytes?: number, sync = true): Promise<number> {
    return this.queue(async () => {
      if (this.closed) throw new DfsError('INTERNAL', 'commit after the writer closed');
      const offset = this.rangeOffset;
      const length = this.rangeLength;
      try {
        const pos = this.blocks.positionBytes;
        if (pos !== offset + length) throw new DfsError('BAD_FRAME', `write ended after ${pos - offset} of ${length} bytes`);
        if (length > 0) await this.putLastBlock();
        if (setLengthBytes !== undefined && setLengthBytes !== this.work.lengthBytes) {
          checkRange(setLengthBytes, 0);
          await this.setLength(setLengthBytes);
        }
        await this.fitFileLength();
        if (sync) await this.p.store.finishWrite(this.p.st, this.work, this.earlySync.then(() => this.p.fh.sync()));
        else await this.p.store.finishWrite(this.p.st, this.work, undefined, false);
        return this.work.lengthBytes;
      } catch (e) {
        await this.repair();
        throw e;
      } finally {
        await this.close();
      }
    });
  }

  private async setLength(target: number): Promise<void> {
    const w = this.work;
    this.touched = true;
    if (target > w.lengthBytes) return this.extendTo(target);
    const block = Math.floor(target / BLOCK_BYTES);
    const keep = target % BLOCK_BYTES;
    if (keep !== 0) {
      // The new last block: verified as it is now, then cut (a raw one by the truncate alone).
      const cut = (await this.readCurrentBlock(block)).subarray(0, keep);
      if (w.stored[block] !== STORED_RAW) {
        const encoded = encodeBlock(Buffer.from(cut), this.p.compression);
        await writeBlocks(this.p.fh, [{ index: block, encoded }]).catch((e) => { this.writeError = asDfsError(e); throw e; });
        w.stored[block] = encoded.word;
      }
      w.crcs[block] = crc32c(cut);
    }
    w.crcs.length = w.stored.length = blockCountOf(target);
    w.lengthBytes = target;
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

  /** Makes the meta match what is on disk after a failed write; marks the replica bad if even that fails. */
  private async repair(): Promise<void> {
    try {
      if (this.writeError) throw this.writeError;
      if (!this.lastBlockWritten && this.blocks.positionBytes > this.rangeOffset) await this.putLastBlock();
      if (!this.touched) return; // nothing reached the disk
      await this.fitFileLength();
      await this.p.fh.sync();
      await this.p.store.finishWrite(this.p.st, this.work);
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
