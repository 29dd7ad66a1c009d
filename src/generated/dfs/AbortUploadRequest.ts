// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

export interface AbortUploadRequest {
  'ino'?: (number | string | Long);
}

export interface AbortUploadRequest__Output {
  'ino': (number);
}
