// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

export interface GetChunksRequest {
  'ino'?: (number | string | Long);
  'firstIndex'?: (number);
  /**
   * 0 = all from first_index (capped by the server)
   */
  'count'?: (number);
}

export interface GetChunksRequest__Output {
  'ino': (number);
  'firstIndex': (number);
  /**
   * 0 = all from first_index (capped by the server)
   */
  'count': (number);
}
