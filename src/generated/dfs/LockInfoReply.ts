// Original file: proto/dfs.proto

import type { LockKind as _dfs_LockKind, LockKind__Output as _dfs_LockKind__Output } from '../dfs/LockKind';
import type { LockType as _dfs_LockType, LockType__Output as _dfs_LockType__Output } from '../dfs/LockType';
import type { Long } from '@grpc/proto-loader';

/**
 * GetLock (F_GETLK): the first held lock of another owner the request conflicts with.
 */
export interface LockInfoReply {
  /**
   * false: the request could be granted now (F_UNLCK)
   */
  'conflict'?: (boolean);
  'kind'?: (_dfs_LockKind);
  'type'?: (_dfs_LockType);
  'start'?: (number | string | Long);
  /**
   * 0 = to the end of file
   */
  'length'?: (number | string | Long);
  /**
   * of the holder, as its mount reported it (a pid on another machine)
   */
  'pid'?: (number);
}

/**
 * GetLock (F_GETLK): the first held lock of another owner the request conflicts with.
 */
export interface LockInfoReply__Output {
  /**
   * false: the request could be granted now (F_UNLCK)
   */
  'conflict': (boolean);
  'kind': (_dfs_LockKind__Output);
  'type': (_dfs_LockType__Output);
  'start': (number);
  /**
   * 0 = to the end of file
   */
  'length': (number);
  /**
   * of the holder, as its mount reported it (a pid on another machine)
   */
  'pid': (number);
}
