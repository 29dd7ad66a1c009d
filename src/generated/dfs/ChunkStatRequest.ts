// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

export interface ChunkStatRequest {
  'handle'?: (number | string | Long);
}

export interface ChunkStatRequest__Output {
  'handle': (number);
}
