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

export function toAttr(ino: number, rec: InodeRec, defaults: AttrDefaults): Attr {
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
    chunkSize: rec.chunkSize || defaults.chunkSizeBytes,
    replication: rec.replication || defaults.replication,
    symlinkTarget: rec.target ?? '',
    rdev: rec.rdev ?? 0,
    sha256: rec.sha256 ? Buffer.from(rec.sha256) : Buffer.alloc(0),
    chunkCount: rec.chunks.length,
  };
}
