// Original file: proto/dfs.proto

import type { ChunkProblem as _dfs_ChunkProblem, ChunkProblem__Output as _dfs_ChunkProblem__Output } from '../dfs/ChunkProblem';
import type { Long } from '@grpc/proto-loader';

export interface FsckProblem {
  'problem'?: (_dfs_ChunkProblem);
  /**
   * the file the chunk belongs to
   */
  'path'?: (string);
  'index'?: (number);
  'handle'?: (number | string | Long);
  /**
   * live replicas on in-service servers
   */
  'replicas'?: (number);
  'goal'?: (number);
  /**
   * where the live replicas are
   */
  'serverIds'?: (string)[];
}

export interface FsckProblem__Output {
  'problem': (_dfs_ChunkProblem__Output);
  /**
   * the file the chunk belongs to
   */
  'path': (string);
  'index': (number);
  'handle': (number);
  /**
   * live replicas on in-service servers
   */
  'replicas': (number);
  'goal': (number);
  /**
   * where the live replicas are
   */
  'serverIds': (string)[];
}
