// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

export interface ByteRange {
  'offset'?: (number | string | Long);
  'length'?: (number | string | Long);
}

export interface ByteRange__Output {
  'offset': (number);
  'length': (number);
}
