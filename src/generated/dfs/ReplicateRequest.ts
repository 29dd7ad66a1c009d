// Original file: proto/dfs.proto

import type { ReplicateTask as _dfs_ReplicateTask, ReplicateTask__Output as _dfs_ReplicateTask__Output } from '../dfs/ReplicateTask';

export interface ReplicateRequest {
  'task'?: (_dfs_ReplicateTask | null);
}

export interface ReplicateRequest__Output {
  'task': (_dfs_ReplicateTask__Output | null);
}
