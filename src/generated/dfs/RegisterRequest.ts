// Original file: /work/main/proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

export interface RegisterRequest {
  'serverId'?: (string);
  'address'?: (string);
  'capacityBytes'?: (number | string | Long);
  'usedBytes'?: (number | string | Long);
  'freeBytes'?: (number | string | Long);
}

export interface RegisterRequest__Output {
  'serverId': (string);
  'address': (string);
  'capacityBytes': (number);
  'usedBytes': (number);
  'freeBytes': (number);
}
