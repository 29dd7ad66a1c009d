// Original file: proto/dfs.proto

import type { FsckProblem as _dfs_FsckProblem, FsckProblem__Output as _dfs_FsckProblem__Output } from '../dfs/FsckProblem';
import type { Long } from '@grpc/proto-loader';

export interface FsckReply {
  'files'?: (number | string | Long);
  'directories'?: (number | string | Long);
  'bytes'?: (number | string | Long);
  'chunks'?: (number | string | Long);
  'underReplicated'?: (number | string | Long);
  'overReplicated'?: (number | string | Long);
  'misReplicated'?: (number | string | Long);
  'corrupt'?: (number | string | Long);
  'missing'?: (number | string | Long);
  /**
   * total in-service replicas of the checked chunks (decommissioning or decommissioned servers not counted)
   */
  'replicas'?: (number | string | Long);
  /**
   * at most problems_max, most severe first
   */
  'problems'?: (_dfs_FsckProblem)[];
  /**
   * more problems than listed
   */
  'truncated'?: (boolean);
  'safeMode'?: (boolean);
  'liveServers'?: (number);
  'decommissioningServers'?: (number);
  /**
   * re-replication tasks in flight
   */
  'pendingCopies'?: (number | string | Long);
}

export interface FsckReply__Output {
  'files': (number);
  'directories': (number);
  'bytes': (number);
  'chunks': (number);
  'underReplicated': (number);
  'overReplicated': (number);
  'misReplicated': (number);
  'corrupt': (number);
  'missing': (number);
  /**
   * total in-service replicas of the checked chunks (decommissioning or decommissioned servers not counted)
   */
  'replicas': (number);
  /**
   * at most problems_max, most severe first
   */
  'problems': (_dfs_FsckProblem__Output)[];
  /**
   * more problems than listed
   */
  'truncated': (boolean);
  'safeMode': (boolean);
  'liveServers': (number);
  'decommissioningServers': (number);
  /**
   * re-replication tasks in flight
   */
  'pendingCopies': (number);
}
