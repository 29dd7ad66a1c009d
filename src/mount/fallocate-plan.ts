/**
 * What fallocate(2) asks of a file, decided from its mode, range and size (pure: open-files.ts
 * applies the plan). dfs reserves no space ahead (a chunk is placed at its first write), so the
 * allocating modes are answered as a thin-provisioned local disk answers them: the call succeeds
 * when the cluster has the room now (ENOSPC when it has not), the size grows as asked, and the
 * range reads as zeros (a hole). Ranges made to read as zeros (punch, zero range) are written
 * with zeros by the caller, except where the file holds no chunk.
 *
 * Errors, as ext4 and the VFS give them, in their order: EINVAL for a negative offset or an empty range, EFBIG
 * past the largest file, ENOTSUP (EOPNOTSUPP) for a punch without FALLOC_FL_KEEP_SIZE, a punch
 * combined with a zero range, and every other mode bit (collapse, insert, unshare...).
 */
import { DfsError } from '../common/errors';

export const FALLOC_FL_KEEP_SIZE = 0x01;
export const FALLOC_FL_PUNCH_HOLE = 0x02;
export const FALLOC_FL_ZERO_RANGE = 0x10;
const KNOWN_MODE_BITS = FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE;

export interface FallocatePlan {
  /** Bytes the range may come to hold: checked against the cluster's free space (× replication). 0 = no check. */
  reserveBytes: number;
  /** Bytes [zeroFrom, zeroTo) must read as zeros afterwards (nothing when equal). */
  zeroFrom: number;
  zeroTo: number;
  /** The new size when the file grows (never below `sizeBytes`). */
  growToBytes?: number;
}

/**
 * The plan for fallocate(`mode`, `offset`, `length`) of a file `sizeBytes` long (the size this
 * mount sees, unflushed writes included) whose largest size is `fileBytesMax`.
 * Throws DfsError EINVAL, EFBIG or ENOTSUP (see the header).
 */
export function planFallocate(mode: number, offset: number, length: number, sizeBytes: number, fileBytesMax: number): FallocatePlan {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length <= 0) {
    throw new DfsError('EINVAL', `bad fallocate range: offset ${offset}, length ${length}`);
  }
  if ((mode & ~KNOWN_MODE_BITS) !== 0) throw new DfsError('ENOTSUP', `fallocate mode 0x${mode.toString(16)} is not supported`);
  const punch = (mode & FALLOC_FL_PUNCH_HOLE) !== 0;
  const zero = (mode & FALLOC_FL_ZERO_RANGE) !== 0;
  const keepSize = (mode & FALLOC_FL_KEEP_SIZE) !== 0;
  if (punch && (!keepSize || zero)) throw new DfsError('ENOTSUP', 'a punched hole needs FALLOC_FL_KEEP_SIZE alone');
  const end = offset + length;
  if (end > fileBytesMax) throw new DfsError('EFBIG', `fallocate to ${end}: past the largest file, ${fileBytesMax} bytes`);
  const growToBytes = !keepSize && end > sizeBytes ? end : undefined;
  if (!punch && !zero) return { reserveBytes: length, zeroFrom: 0, zeroTo: 0, growToBytes };
  // bytes past the end read as zeros already (and a growth adds a hole): only the file's own bytes are zeroed
  const zeroFrom = Math.min(offset, sizeBytes);
  const zeroTo = Math.min(end, sizeBytes);
  return { reserveBytes: zero ? length : 0, zeroFrom, zeroTo, growToBytes };
}
