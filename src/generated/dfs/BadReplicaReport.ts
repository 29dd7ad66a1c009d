// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

export interface BadReplicaReport {
  'handle'?: (number | string | Long);
  'serverId'?: (string);
  'reason'?: (string);
}

export interface BadReplicaReport__Output {
  'handle': (number);
  'serverId': (string);
  'reason': (string);
}
