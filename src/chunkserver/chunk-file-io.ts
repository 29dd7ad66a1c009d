/**
 * File and checksum helpers of the chunk store: full reads/writes, synced files, aligned
 * verified reads that decode compressed blocks, block writes at their slots.
 */
import { execFile } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import { DfsError } from '../common/errors';
import { BLOCK_BYTES, CHUNK_BYTES_MAX, type ChunkMeta, blockBytesOf, firstBadBlock } from './chunk-meta';
import { STORED_RAW, decodeBlock, storedBytesOf, type EncodedBlock } from './block-codec';
import { rememberReadCrc } from './verified-crcs';

const execFileAsync = promisify(execFile);
/** A syncfs that takes longer than this is reported as failed (the disk is in trouble). */
const SYNCFS_TIMEOUT_MS = 120_000;

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
export async function readAligned(fh: FileHandle, from: number, to: number, meta: ChunkMeta): Promise<{ data: Buffer; badBlock: number }> {
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
export async function readBlock(fh: FileHandle, meta: ChunkMeta, block: number): Promise<Buffer | undefined> {
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
export async function writeBlocks(fh: FileHandle, blocks: BlockWrite[]): Promise<number> {
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

async function writevFully(fh: FileHandle, parts: Buffer[], position: number): Promise<void> {
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

export async function readFully(fh: FileHandle, buf: Buffer, position: number): Promise<number> {
  let done = 0;
  while (done < buf.length) {
    const { bytesRead } = await fh.read(buf, done, buf.length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}

export async function writeFully(fh: FileHandle, buf: Buffer, position: number): Promise<void> {
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
