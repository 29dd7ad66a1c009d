// Original file: proto/dfs.proto

import type { FileType as _dfs_FileType, FileType__Output as _dfs_FileType__Output } from '../dfs/FileType';
import type { Timespec as _dfs_Timespec, Timespec__Output as _dfs_Timespec__Output } from '../dfs/Timespec';
import type { Long } from '@grpc/proto-loader';

/**
 * The attributes of one inode.
 */
export interface Attr {
  'ino'?: (number | string | Long);
  'type'?: (_dfs_FileType);
  /**
   * permission bits only (07777)
   */
  'mode'?: (number);
  'uid'?: (number);
  'gid'?: (number);
  'size'?: (number | string | Long);
  'nlink'?: (number);
  'atime'?: (_dfs_Timespec | null);
  'mtime'?: (_dfs_Timespec | null);
  'ctime'?: (_dfs_Timespec | null);
  /**
   * bytes per chunk of this file (directories: the default for new children)
   */
  'chunkSize'?: (number | string | Long);
  /**
   * replica goal of this file (directories: the default for new children)
   */
  'replication'?: (number);
  'symlinkTarget'?: (string);
  'rdev'?: (number);
  /**
   * SHA-256 of the whole content, set by a streaming upload; empty once modified in place
   */
  'sha256'?: (Buffer | Uint8Array | string);
  /**
   * number of chunk slots (holes included)
   */
  'chunkCount'?: (number | string | Long);
  /**
   * files: bytes in the chunks the file holds, each counted whole up to the size (holes count
   * nothing): the mount's st_blocks. Absent from a master that predates it.
   */
  'storedBytes'?: (number | string | Long);
  '_storedBytes'?: "storedBytes";
}

/**
 * The attributes of one inode.
 */
export interface Attr__Output {
  'ino': (number);
  'type': (_dfs_FileType__Output);
  /**
   * permission bits only (07777)
   */
  'mode': (number);
  'uid': (number);
  'gid': (number);
  'size': (number);
  'nlink': (number);
  'atime': (_dfs_Timespec__Output | null);
  'mtime': (_dfs_Timespec__Output | null);
  'ctime': (_dfs_Timespec__Output | null);
  /**
   * bytes per chunk of this file (directories: the default for new children)
   */
  'chunkSize': (number);
  /**
   * replica goal of this file (directories: the default for new children)
   */
  'replication': (number);
  'symlinkTarget': (string);
  'rdev': (number);
  /**
   * SHA-256 of the whole content, set by a streaming upload; empty once modified in place
   */
  'sha256': (Buffer);
  /**
   * number of chunk slots (holes included)
   */
  'chunkCount': (number);
  /**
   * files: bytes in the chunks the file holds, each counted whole up to the size (holes count
   * nothing): the mount's st_blocks. Absent from a master that predates it.
   */
  'storedBytes'?: (number);
  '_storedBytes'?: "storedBytes";
}
