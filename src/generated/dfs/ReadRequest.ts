// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

export interface ReadRequest {
  'handle'?: (number | string | Long);
  'version'?: (number | string | Long);
  'offset'?: (number | string | Long);
  /**
   * bytes wanted; fewer come back at the end of the chunk
   */
  'length'?: (number | string | Long);
}

export interface ReadRequest__Output {
  'handle': (number);
  'version': (number);
  'offset': (number);
  /**
   * bytes wanted; fewer come back at the end of the chunk
   */
  'length': (number);
}
