// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

export interface ChunkStatReply {
  'handle'?: (number | string | Long);
  'version'?: (number | string | Long);
  'length'?: (number | string | Long);
}

export interface ChunkStatReply__Output {
  'handle': (number);
  'version': (number);
  'length': (number);
}
