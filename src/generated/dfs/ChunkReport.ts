// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

export interface ChunkReport {
  'handle'?: (number | string | Long);
  'version'?: (number | string | Long);
  'length'?: (number | string | Long);
}

export interface ChunkReport__Output {
  'handle': (number);
  'version': (number);
  'length': (number);
}
