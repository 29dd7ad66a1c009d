// Original file: proto/dfs.proto

import type { Timespec as _dfs_Timespec, Timespec__Output as _dfs_Timespec__Output } from '../dfs/Timespec';
import type { Long } from '@grpc/proto-loader';

export interface SetAttrRequest {
  /**
   * used when ino == 0
   */
  'path'?: (string);
  'ino'?: (number | string | Long);
  'mode'?: (number);
  'uid'?: (number);
  'gid'?: (number);
  /**
   * truncate/extend; chunks past the end are released
   */
  'size'?: (number | string | Long);
  'atime'?: (_dfs_Timespec | null);
  'mtime'?: (_dfs_Timespec | null);
  'replication'?: (number);
  /**
   * utimensat(UTIME_NOW): the master's current time (instead of atime)
   */
  'atimeNow'?: (boolean);
  /**
   * the same for mtime
   */
  'mtimeNow'?: (boolean);
  /**
   * A read of the file (the mount's first read through an open): atime = now as relatime does
   * (when atime is not after mtime or ctime, or is a day old); ctime unchanged. Alone.
   */
  'accessed'?: (boolean);
  '_mode'?: "mode";
  '_uid'?: "uid";
  '_gid'?: "gid";
  '_size'?: "size";
  '_atime'?: "atime";
  '_mtime'?: "mtime";
  '_replication'?: "replication";
}

export interface SetAttrRequest__Output {
  /**
   * used when ino == 0
   */
  'path': (string);
  'ino': (number);
  'mode'?: (number);
  'uid'?: (number);
  'gid'?: (number);
  /**
   * truncate/extend; chunks past the end are released
   */
  'size'?: (number);
  'atime'?: (_dfs_Timespec__Output | null);
  'mtime'?: (_dfs_Timespec__Output | null);
  'replication'?: (number);
  /**
   * utimensat(UTIME_NOW): the master's current time (instead of atime)
   */
  'atimeNow': (boolean);
  /**
   * the same for mtime
   */
  'mtimeNow': (boolean);
  /**
   * A read of the file (the mount's first read through an open): atime = now as relatime does
   * (when atime is not after mtime or ctime, or is a day old); ctime unchanged. Alone.
   */
  'accessed': (boolean);
  '_mode'?: "mode";
  '_uid'?: "uid";
  '_gid'?: "gid";
  '_size'?: "size";
  '_atime'?: "atime";
  '_mtime'?: "mtime";
  '_replication'?: "replication";
}
