// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

export interface Timespec {
  'sec'?: (number | string | Long);
  'nsec'?: (number);
}

export interface Timespec__Output {
  'sec': (number);
  'nsec': (number);
}
