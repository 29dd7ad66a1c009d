// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

export interface GrantReply {
  'length'?: (number | string | Long);
}

export interface GrantReply__Output {
  'length': (number);
}
