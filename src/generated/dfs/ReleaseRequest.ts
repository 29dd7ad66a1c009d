// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

export interface ReleaseRequest {
  'ino'?: (number | string | Long);
  'sessionId'?: (string);
}

export interface ReleaseRequest__Output {
  'ino': (number);
  'sessionId': (string);
}
