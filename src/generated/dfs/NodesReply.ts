// Original file: proto/dfs.proto

import type { NodeInfo as _dfs_NodeInfo, NodeInfo__Output as _dfs_NodeInfo__Output } from '../dfs/NodeInfo';

export interface NodesReply {
  'nodes'?: (_dfs_NodeInfo)[];
}

export interface NodesReply__Output {
  'nodes': (_dfs_NodeInfo__Output)[];
}
