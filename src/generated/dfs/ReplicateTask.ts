// Original file: proto/dfs.proto

import type { ChunkReplica as _dfs_ChunkReplica, ChunkReplica__Output as _dfs_ChunkReplica__Output } from '../dfs/ChunkReplica';
import type { Long } from '@grpc/proto-loader';

export interface ReplicateTask {
  'handle'?: (number | string | Long);
  'version'?: (number | string | Long);
  /**
   * healthy replicas to copy from, in preference order
   */
  'sources'?: (_dfs_ChunkReplica)[];
}

export interface ReplicateTask__Output {
  'handle': (number);
  'version': (number);
  /**
   * healthy replicas to copy from, in preference order
   */
  'sources': (_dfs_ChunkReplica__Output)[];
}
