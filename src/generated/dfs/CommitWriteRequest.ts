// Original file: proto/dfs.proto

import type { Timespec as _dfs_Timespec, Timespec__Output as _dfs_Timespec__Output } from '../dfs/Timespec';
import type { Long } from '@grpc/proto-loader';

export interface CommitWriteRequest {
  'ino'?: (number | string | Long);
  /**
   * size becomes max(size, min_size)
   */
  'minSize'?: (number | string | Long);
  /**
   * unset = now
   */
  'mtime'?: (_dfs_Timespec | null);
}

export interface CommitWriteRequest__Output {
  'ino': (number);
  /**
   * size becomes max(size, min_size)
   */
  'minSize': (number);
  /**
   * unset = now
   */
  'mtime': (_dfs_Timespec__Output | null);
}
