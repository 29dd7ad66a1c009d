// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

export interface BeginUploadReply {
  /**
   * a detached inode; collected if not committed before the upload expires
   */
  'ino'?: (number | string | Long);
  'chunkSize'?: (number | string | Long);
  'replication'?: (number);
  'uploadTimeoutMs'?: (number);
}

export interface BeginUploadReply__Output {
  /**
   * a detached inode; collected if not committed before the upload expires
   */
  'ino': (number);
  'chunkSize': (number);
  'replication': (number);
  'uploadTimeoutMs': (number);
}
