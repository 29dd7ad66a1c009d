// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

export interface OpenRequest {
  'path'?: (string);
  /**
   * registers an open handle of this session on the inode
   */
  'sessionId'?: (string);
  /**
   * used when path is empty: an inode that may have no name left
   */
  'ino'?: (number | string | Long);
  /**
   * opened for writing: refused (EROFS) in a safe mode entered by hand
   */
  'writable'?: (boolean);
}

export interface OpenRequest__Output {
  'path': (string);
  /**
   * registers an open handle of this session on the inode
   */
  'sessionId': (string);
  /**
   * used when path is empty: an inode that may have no name left
   */
  'ino': (number);
  /**
   * opened for writing: refused (EROFS) in a safe mode entered by hand
   */
  'writable': (boolean);
}
