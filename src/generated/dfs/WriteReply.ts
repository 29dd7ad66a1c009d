// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

export interface WriteReply {
  /**
   * length of the chunk after the write
   */
  'chunkLength'?: (number | string | Long);
  /**
   * this server plus every one down the chain
   */
  'replicasWritten'?: (number);
}

export interface WriteReply__Output {
  /**
   * length of the chunk after the write
   */
  'chunkLength': (number);
  /**
   * this server plus every one down the chain
   */
  'replicasWritten': (number);
}
