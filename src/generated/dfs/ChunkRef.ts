// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

export interface ChunkRef {
  'handle'?: (number | string | Long);
  'version'?: (number | string | Long);
}

export interface ChunkRef__Output {
  'handle': (number);
  'version': (number);
}
