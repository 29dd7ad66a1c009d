// Original file: proto/dfs.proto

import type { ChunkReplica as _dfs_ChunkReplica, ChunkReplica__Output as _dfs_ChunkReplica__Output } from '../dfs/ChunkReplica';
import type { Long } from '@grpc/proto-loader';

export interface ChunkInfo {
  /**
   * position in the file
   */
  'index'?: (number);
  'handle'?: (number | string | Long);
  'version'?: (number | string | Long);
  /**
   * live, up-to-date replicas; nearest/least loaded first
   */
  'replicas'?: (_dfs_ChunkReplica)[];
}

export interface ChunkInfo__Output {
  /**
   * position in the file
   */
  'index': (number);
  'handle': (number);
  'version': (number);
  /**
   * live, up-to-date replicas; nearest/least loaded first
   */
  'replicas': (_dfs_ChunkReplica__Output)[];
}
