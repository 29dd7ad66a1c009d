// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

export interface ReserveAppendReply {
  'offset'?: (number | string | Long);
}

export interface ReserveAppendReply__Output {
  'offset': (number);
}
