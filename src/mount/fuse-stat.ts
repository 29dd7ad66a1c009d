/**
 * Pure conversions between the master's attributes and what the FUSE binding hands to libfuse
 * (native/fuse-binding.ts: times as {sec, nsec}, sizes and inode numbers 64-bit).
 */
import type { FuseStat, FuseStatFs, FuseTimespec } from './native/fuse-binding';
import type { Attr, StatFs } from '../client/types';

const TYPE_BITS: Record<string, number> = {
  REGULAR: 0o100000, DIRECTORY: 0o040000, SYMLINK: 0o120000, FIFO: 0o010000,
  CHAR_DEVICE: 0o020000, BLOCK_DEVICE: 0o060000, SOCKET: 0o140000,
};

/** Preferred I/O size reported to programs (cp sizes its buffer from it): one FUSE write. */
export const BLKSIZE_BYTES = 131072;
export const NAME_MAX_BYTES = 255;

export const O_ACCMODE = 0o3;
export const O_WRONLY = 0o1;
export const O_RDWR = 0o2;
export const O_EXCL = 0o200;
export const O_TRUNC = 0o1000;
export const O_APPEND = 0o2000;

export function isWritable(flags: number): boolean {
  const acc = flags & O_ACCMODE;
  return acc === O_WRONLY || acc === O_RDWR;
}

/** The master's Timespec (sec may arrive as a Long-like value) as plain numbers; none = the epoch. */
export function fuseTime(t: { sec: unknown; nsec: number } | null | undefined): FuseTimespec {
  return t ? { sec: Number(t.sec), nsec: Number(t.nsec) } : { sec: 0, nsec: 0 };
}

/**
 * 512-byte blocks of a file (st_blocks, what `du` adds up). A regular file: the bytes the master
 * says its chunks hold (`storedBytes`: holes count nothing), plus this mount's unflushed growth
 * past the master's size, at most the size; from a master that does not say, the size. Others:
 * their size.
 */
export function blocksOf(attr: Attr, sizeBytes: number): number {
  if (attr.type !== 'REGULAR' || attr.storedBytes === undefined || attr.storedBytes === null) return Math.ceil(sizeBytes / 512);
  const stored = Number(attr.storedBytes) + Math.max(0, sizeBytes - Number(attr.size));
  return Math.ceil(Math.min(stored, sizeBytes) / 512);
}

/** The stat of an inode; `sizeBytes` overrides the master's size (local writes not yet flushed). */
export function attrToStat(attr: Attr, sizeBytes: number = Number(attr.size)): FuseStat {
  const typeBits = TYPE_BITS[String(attr.type)] ?? TYPE_BITS.REGULAR;
  const size = attr.type === 'DIRECTORY' && sizeBytes === 0 ? 4096 : sizeBytes;
  return {
    mode: typeBits | (attr.mode & 0o7777),
    uid: attr.uid,
    gid: attr.gid,
    size,
    nlink: attr.nlink || 1,
    ino: Number(attr.ino),
    rdev: attr.rdev ?? 0,
    blksize: BLKSIZE_BYTES,
    blocks: blocksOf(attr, size),
    atime: fuseTime(attr.atime),
    mtime: fuseTime(attr.mtime),
    ctime: fuseTime(attr.ctime),
  };
}

/** statvfs from the cluster totals; the fragment size grows so block counts fit in 32 bits. */
export function statFsToFuse(st: StatFs): FuseStatFs {
  let frsize = 4096;
  const capacity = Number(st.capacityBytes);
  while (capacity / frsize > 0xffffffff) frsize *= 2;
  const blocks = Math.floor(capacity / frsize);
  const free = Math.min(blocks, Math.floor(Number(st.freeBytes) / frsize));
  const files = Math.min(Number(st.files), 0xffffffff);
  const ffree = 0xffffffff - files;
  return {
    bsize: frsize, frsize, blocks, bfree: free, bavail: free, files: 0xffffffff,
    ffree, favail: ffree, fsid: 0, flag: 0, namemax: NAME_MAX_BYTES,
  };
}
