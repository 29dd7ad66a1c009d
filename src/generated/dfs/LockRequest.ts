// Original file: proto/dfs.proto

import type { LockKind as _dfs_LockKind, LockKind__Output as _dfs_LockKind__Output } from '../dfs/LockKind';
import type { LockType as _dfs_LockType, LockType__Output as _dfs_LockType__Output } from '../dfs/LockType';
import type { Long } from '@grpc/proto-loader';

export interface LockRequest {
  /**
   * the mount's session (required): its locks go with it
   */
  'sessionId'?: (string);
  'ino'?: (number | string | Long);
  'kind'?: (_dfs_LockKind);
  /**
   * flock: the open file description; POSIX: fi->lock_owner (decimal); unique within the session
   */
  'owner'?: (string);
  'type'?: (_dfs_LockType);
  /**
   * POSIX: first byte (flock: ignored)
   */
  'start'?: (number | string | Long);
  /**
   * POSIX: bytes, 0 = to the end of file and beyond (flock: ignored)
   */
  'length'?: (number | string | Long);
  /**
   * the locking process, reported by GetLock
   */
  'pid'?: (number);
  /**
   * 0: EAGAIN on a conflict; else wait up to this long (the master caps it at 10 s), then acquired = false
   */
  'waitMs'?: (number);
}

export interface LockRequest__Output {
  /**
   * the mount's session (required): its locks go with it
   */
  'sessionId': (string);
  'ino': (number);
  'kind': (_dfs_LockKind__Output);
  /**
   * flock: the open file description; POSIX: fi->lock_owner (decimal); unique within the session
   */
  'owner': (string);
  'type': (_dfs_LockType__Output);
  /**
   * POSIX: first byte (flock: ignored)
   */
  'start': (number);
  /**
   * POSIX: bytes, 0 = to the end of file and beyond (flock: ignored)
   */
  'length': (number);
  /**
   * the locking process, reported by GetLock
   */
  'pid': (number);
  /**
   * 0: EAGAIN on a conflict; else wait up to this long (the master caps it at 10 s), then acquired = false
   */
  'waitMs': (number);
}
