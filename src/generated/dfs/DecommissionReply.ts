// Original file: proto/dfs.proto

import type { NodeInfo as _dfs_NodeInfo, NodeInfo__Output as _dfs_NodeInfo__Output } from '../dfs/NodeInfo';

export interface DecommissionReply {
  'node'?: (_dfs_NodeInfo | null);
}

export interface DecommissionReply__Output {
  'node': (_dfs_NodeInfo__Output | null);
}
