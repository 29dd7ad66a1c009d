/** Conversion of inode records to wire `Attr`s, and time helpers. */
import type { Attr } from '../generated/dfs/Attr';
import type { Timespec } from '../generated/dfs/Timespec';
import type { InodeRec, Ts } from './meta-store';

export function tsOfMs(ms: number): Ts {
  const sec = Math.floor(ms / 1000);
  return [sec, Math.round((ms - sec * 1000) * 1e6)];
}

export function tsOfWire(t: { sec?: unknown; nsec?: number } | null | undefined, fallback: Ts): Ts {
  if (!t) return fallback;
  return [Number(t.sec ?? 0), Number(t.nsec ?? 0)];
}

export function wireTs(t: Ts): Timespec {
  return { sec: t[0], nsec: t[1] };
}

export interface AttrDefaults { chunkSizeBytes: number; replication: number }

/**
 * Bytes of a file held in chunks: every chunk it holds counts whole, up to the size; a hole
 * counts nothing (so a file made by `truncate -s 1G` holds 0). One pass over the chunk list of
 * the record in hand (decoded anyway), no other read. 0 for anything but a regular file.
 */
export function storedBytesOf(rec: InodeRec, chunkSizeBytes: number): number {
  if (rec.type !== 'REGULAR' || rec.size === 0) return 0;
  let held = 0;
  const slots = Math.min(rec.chunks.length, Math.ceil(rec.size / chunkSizeBytes));
  for (let i = 0; i < slots; i++) if (rec.chunks[i] !== 0) held++;
  // only the last slot can be cut by the size
  const lastCut = slots > 0 && rec.chunks[slots - 1] !== 0 ? slots * chunkSizeBytes - rec.size : 0;
  return held * chunkSizeBytes - Math.max(0, lastCut);
}

export function toAttr(ino: number, rec: InodeRec, defaults: AttrDefaults): Attr {
  const chunkSize = rec.chunkSize || defaults.chunkSizeBytes;
  return {
    ino,
    type: rec.type,
    mode: rec.mode & 0o7777,
    uid: rec.uid,
    gid: rec.gid,
    size: rec.size,
    nlink: rec.nlink,
    atime: wireTs(rec.atime),
    mtime: wireTs(rec.mtime),
    ctime: wireTs(rec.ctime),
    chunkSize,
    replication: rec.replication || defaults.replication,
    symlinkTarget: rec.target ?? '',
    rdev: rec.rdev ?? 0,
    sha256: rec.sha256 ? Buffer.from(rec.sha256) : Buffer.alloc(0),
    chunkCount: rec.chunks.length,
    storedBytes: storedBytesOf(rec, chunkSize),
  };
}
