// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

export interface CommitUploadRequest {
  'ino'?: (number | string | Long);
  'path'?: (string);
  'size'?: (number | string | Long);
  'sha256'?: (Buffer | Uint8Array | string);
  'overwrite'?: (boolean);
}

export interface CommitUploadRequest__Output {
  'ino': (number);
  'path': (string);
  'size': (number);
  'sha256': (Buffer);
  'overwrite': (boolean);
}
