/** File and checksum helpers of the chunk store: full reads/writes, synced files, aligned verified reads. */
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { crc32c } from '../common/crc32c';
import { DfsError } from '../common/errors';
import { BLOCK_BYTES, CHUNK_BYTES_MAX, type ChunkMeta, firstBadBlock } from './chunk-meta';

export function checkRange(offsetBytes: number, lengthBytes: number): void {
  if (!Number.isSafeInteger(offsetBytes) || offsetBytes < 0 || !Number.isSafeInteger(lengthBytes) || lengthBytes < 0
    || offsetBytes + lengthBytes > CHUNK_BYTES_MAX) {
    throw new DfsError('EINVAL', `invalid range offset=${offsetBytes} length=${lengthBytes} (chunks hold at most ${CHUNK_BYTES_MAX} bytes)`);
  }
}

/** Continues `crcs` (valid for `atBytes`) with `data` appended at `atBytes`. */
export function appendCrcs(crcs: number[], atBytes: number, data: Buffer): void {
  let pos = atBytes;
  let i = 0;
  while (i < data.length) {
    const block = Math.floor(pos / BLOCK_BYTES);
    const inBlock = pos % BLOCK_BYTES;
    const n = Math.min(BLOCK_BYTES - inBlock, data.length - i);
    crcs[block] = crc32c(data.subarray(i, i + n), inBlock === 0 ? 0 : crcs[block]);
    i += n;
    pos += n;
  }
}

/** Reads the block-aligned span covering [from, to), verifies it, returns the [from, to) view. */
export async function readAligned(fh: FileHandle, from: number, to: number, meta: ChunkMeta): Promise<{ data: Buffer; badBlock: number }> {
  if (to <= from) return { data: Buffer.alloc(0), badBlock: -1 };
  const alignedStart = Math.floor(from / BLOCK_BYTES) * BLOCK_BYTES;
  const alignedEnd = Math.min(Math.ceil(to / BLOCK_BYTES) * BLOCK_BYTES, meta.lengthBytes);
  const buf = Buffer.allocUnsafe(alignedEnd - alignedStart);
  const got = await readFully(fh, buf, alignedStart);
  if (got !== buf.length) return { data: buf.subarray(0, 0), badBlock: Math.floor((alignedStart + got) / BLOCK_BYTES) };
  const badBlock = firstBadBlock(buf, alignedStart, meta.crcs);
  return { data: buf.subarray(from - alignedStart, to - alignedStart), badBlock };
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

export async function fsyncDir(dir: string): Promise<void> {
  const fh = await fsp.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
