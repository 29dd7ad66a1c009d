/**
 * File and checksum helpers of the chunk store: full reads/writes, synced files, aligned
 * verified reads that decode compressed blocks, block writes at their slots.
 */
import { execFile } from 'node:child_process';
import { closeSync, fdatasync, fsync, ftruncateSync, openSync, promises as fsp, readSync, writeSync, writevSync } from 'node:fs';
import { promisify } from 'node:util';
import { DfsError } from '../common/errors';
import { BLOCK_BYTES, CHUNK_BYTES_MAX, type ChunkMeta, blockBytesOf, firstBadBlock } from './chunk-meta';
import { STORED_RAW, decodeBlock, storedBytesOf, type EncodedBlock } from './block-codec';
import { rememberReadCrc } from './verified-crcs';

const execFileAsync = promisify(execFile);
/** A syncfs that takes longer than this is reported as failed (the disk is in trouble). */
const SYNCFS_TIMEOUT_MS = 120_000;

/**
 * The calls the store makes on a chunk's data file. Node's FileHandle has them all (each one a
 * trip through libuv's thread pool); InlineFile makes them on the event loop.
 */
export interface ChunkFile {
  writev(buffers: Buffer[], position: number): Promise<{ bytesWritten: number }>;
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  write(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesWritten: number }>;
  truncate(lengthBytes: number): Promise<void>;
  sync(): Promise<void>;
  datasync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Writes, reads and truncates of at most this many bytes in all are made on the event loop
 * (InlineFile), not through the thread pool: a small write into the page cache takes
 * microseconds, while each thread-pool trip costs two wake-ups, and a busy machine delays each
 * by up to milliseconds. A small file's write made seven such trips in a row on every replica
 * (open, write, truncate, the meta's open, write, close and rename, then the close).
 */
export const INLINE_IO_BYTES_MAX = 256 * 1024;

/**
 * Reads asked for at most this many bytes are made on the event loop. A read may miss the page
 * cache, and then the loop waits for the disk (one read of at most two 64 KiB blocks here, the
 * verified span around the range) while the thread pool would have overlapped it with other
 * requests: only the small random reads, whose wake-ups cost more than the read, go inline.
 */
export const INLINE_READ_BYTES_MAX = 64 * 1024;

/**
 * A chunk file whose reads, writes, truncates and close are synchronous calls on the event loop
 * (errors still come back as rejections); its fsyncs go to the thread pool, as they wait for
 * the disk. Only for the small operations of INLINE_IO_BYTES_MAX and INLINE_READ_BYTES_MAX.
 */
export class InlineFile implements ChunkFile {
  private fd: number;

  private constructor(fd: number) {
    this.fd = fd;
  }

  /** Opens `path` with `flags` ('w+', 'r+', 'r', 'w'), synchronously. */
  static open(path: string, flags: string): InlineFile {
    return new InlineFile(openSync(path, flags));
  }

  async writev(buffers: Buffer[], position: number): Promise<{ bytesWritten: number }> {
    return { bytesWritten: writevSync(this.live(), buffers, position) };
  }

  async read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }> {
    return { bytesRead: readSync(this.live(), buffer, offset, length, position) };
  }

  async write(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesWritten: number }> {
    return { bytesWritten: writeSync(this.live(), buffer, offset, length, position) };
  }

  async truncate(lengthBytes: number): Promise<void> {
    ftruncateSync(this.live(), lengthBytes);
  }

  sync(): Promise<void> {
    return this.flush(fsync);
  }

  datasync(): Promise<void> {
    return this.flush(fdatasync);
  }

  async close(): Promise<void> {
    const fd = this.live();
    this.fd = -1;
    closeSync(fd);
  }

  private flush(how: typeof fsync): Promise<void> {
    return new Promise((resolve, reject) => {
      try {
        how(this.live(), (e) => (e ? reject(e) : resolve()));
      } catch (e) {
        reject(e);
      }
    });
  }

  private live(): number {
    if (this.fd < 0) throw Object.assign(new Error('file closed'), { code: 'EBADF' });
    return this.fd;
  }
}

/**
 * Creates `path` holding `data` with one write, on the event loop; false when `path` exists
 * (nothing written). For the first meta of a chunk without fsync: no old meta to keep whole, so
 * no temp file and rename (measured on ext4 here: 0.23-0.42 ms per temp file and rename, 0.09
 * ms per file written in place). A crash of the process leaves the file whole (one write of a
 * few KiB); a power loss may leave it short, and load() removes a chunk whose meta is unreadable:
 * the data of an unsynced write is not promised to survive one.
 */
export function writeNewFile(path: string, data: Buffer): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    let done = 0;
    while (done < data.length) done += writeSync(fd, data, done, data.length - done, done);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Opens a chunk file: an InlineFile for a small operation (`inline`), else node's FileHandle. */
export async function openChunkFile(path: string, flags: string, inline: boolean): Promise<ChunkFile> {
  return inline ? InlineFile.open(path, flags) : fsp.open(path, flags);
}

export function checkRange(offsetBytes: number, lengthBytes: number): void {
  if (!Number.isSafeInteger(offsetBytes) || offsetBytes < 0 || !Number.isSafeInteger(lengthBytes) || lengthBytes < 0
    || offsetBytes + lengthBytes > CHUNK_BYTES_MAX) {
    throw new DfsError('EINVAL', `invalid range offset=${offsetBytes} length=${lengthBytes} (chunks hold at most ${CHUNK_BYTES_MAX} bytes)`);
  }
}

/**
 * Reads the block-aligned span covering [from, to) in one read, decodes compressed blocks in
 * place (their slots' compressed prefixes; the rest of a slot is a hole or stale, overwritten),
 * verifies every block against its CRC, returns the [from, to) view. `badBlock` is the first
 * block that is short, does not decode or does not match (-1 = all good); `data` is meaningless
 * then.
 */
export async function readAligned(fh: ChunkFile, from: number, to: number, meta: ChunkMeta): Promise<{ data: Buffer; badBlock: number }> {
  if (to <= from) return { data: Buffer.alloc(0), badBlock: -1 };
  const alignedStart = Math.floor(from / BLOCK_BYTES) * BLOCK_BYTES;
  const alignedEnd = Math.min(Math.ceil(to / BLOCK_BYTES) * BLOCK_BYTES, meta.lengthBytes);
  const buf = Buffer.allocUnsafe(alignedEnd - alignedStart);
  const got = await readFully(fh, buf, alignedStart);
  if (got !== buf.length) return { data: buf.subarray(0, 0), badBlock: Math.floor((alignedStart + got) / BLOCK_BYTES) };
  if (meta.stored) {
    for (let at = 0; at < buf.length; at += BLOCK_BYTES) {
      const block = (alignedStart + at) / BLOCK_BYTES;
      const word = meta.stored[block];
      if (word === STORED_RAW) continue;
      const logical = blockBytesOf(meta.lengthBytes, block);
      const data = decodeBlock(buf.subarray(at, at + storedBytesOf(word, logical)), word, logical);
      if (!data) return { data: buf.subarray(0, 0), badBlock: block };
      data.copy(buf, at);
    }
  }
  const badBlock = firstBadBlock(buf, alignedStart, meta.crcs);
  const data = buf.subarray(from - alignedStart, to - alignedStart);
  if (badBlock < 0) rememberReadCrc(data, from, to, meta.crcs, meta.lengthBytes);
  return { data, badBlock };
}

/** Block `block` decoded and verified against `meta`, or undefined when it is damaged. */
export async function readBlock(fh: ChunkFile, meta: ChunkMeta, block: number): Promise<Buffer | undefined> {
  const start = block * BLOCK_BYTES;
  const got = await readAligned(fh, start, start + blockBytesOf(meta.lengthBytes, block), meta);
  return got.badBlock >= 0 ? undefined : got.data;
}

/** One block ready for its slot. */
export interface BlockWrite {
  index: number;
  encoded: EncodedBlock;
  /**
   * Raw blocks only: write just data[fromBytes, toBytes) (defaults 0 and data.length), for a
   * caller that knows the rest of the slot already holds these bytes.
   */
  fromBytes?: number;
  toBytes?: number;
}

/**
 * Writes each block at its slot (index * BLOCK_BYTES), runs of consecutive raw blocks with one
 * writev. Returns the bytes written. `blocks` is in index order.
 */
export async function writeBlocks(fh: ChunkFile, blocks: BlockWrite[]): Promise<number> {
  const part = (b: BlockWrite): Buffer => (b.encoded.word === STORED_RAW
    ? b.encoded.data.subarray(b.fromBytes ?? 0, b.toBytes ?? b.encoded.data.length) : b.encoded.data);
  const joins = (prev: BlockWrite, next: BlockWrite): boolean => next.encoded.word === STORED_RAW && next.index === prev.index + 1
    && (prev.toBytes ?? prev.encoded.data.length) === BLOCK_BYTES && prev.encoded.data.length === BLOCK_BYTES && (next.fromBytes ?? 0) === 0;
  let written = 0;
  for (let i = 0; i < blocks.length;) {
    const first = blocks[i];
    const raw = first.encoded.word === STORED_RAW;
    let j = i + 1;
    if (raw) while (j < blocks.length && joins(blocks[j - 1], blocks[j])) j++;
    const parts = blocks.slice(i, j).map(part);
    await writevFully(fh, parts, first.index * BLOCK_BYTES + (raw ? first.fromBytes ?? 0 : 0));
    for (const p of parts) written += p.length;
    i = j;
  }
  return written;
}

async function writevFully(fh: ChunkFile, parts: Buffer[], position: number): Promise<void> {
  if (parts.length === 1) return writeFully(fh, parts[0], position);
  let pending = parts.slice();
  let pos = position;
  while (pending.length > 0) {
    let { bytesWritten } = await fh.writev(pending, pos);
    pos += bytesWritten;
    // A short writev (rare on regular files): drop what went out and go on with the rest.
    while (pending.length > 0 && bytesWritten >= pending[0].length) bytesWritten -= pending.shift()!.length;
    if (pending.length > 0 && bytesWritten > 0) pending = [pending[0].subarray(bytesWritten), ...pending.slice(1)];
  }
}

export async function readFully(fh: ChunkFile, buf: Buffer, position: number): Promise<number> {
  let done = 0;
  while (done < buf.length) {
    const { bytesRead } = await fh.read(buf, done, buf.length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}

export async function writeFully(fh: ChunkFile, buf: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const { bytesWritten } = await fh.write(buf, done, buf.length - done, position + done);
    done += bytesWritten;
  }
}

export async function writeFileSynced(path: string, data: Buffer): Promise<void> {
  const fh = await fsp.open(path, 'w');
  try {
    await writeFully(fh, data, 0);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** fsync of a file or folder by name (opened read-only: fsync needs no write access). */
export async function fsyncFile(path: string): Promise<void> {
  const fh = await fsp.open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * syncfs(2) of the file system holding `path`, through coreutils' `sync -f` (Node has no
 * binding): one call makes every write on it durable, however many files they touched.
 */
export async function syncFileSystem(path: string): Promise<void> {
  await execFileAsync('sync', ['-f', path], { timeout: SYNCFS_TIMEOUT_MS });
}

/** fsync of a folder: makes the names created, renamed or removed in it durable. */
export const fsyncDir = fsyncFile;
