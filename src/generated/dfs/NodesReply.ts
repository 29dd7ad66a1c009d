// Original file: proto/dfs.proto

import type { NodeInfo as _dfs_NodeInfo, NodeInfo__Output as _dfs_NodeInfo__Output } from '../dfs/NodeInfo';
import type { RefusedServer as _dfs_RefusedServer, RefusedServer__Output as _dfs_RefusedServer__Output } from '../dfs/RefusedServer';

export interface NodesReply {
  'nodes'?: (_dfs_NodeInfo)[];
  /**
   * this master's
   */
  'clusterId'?: (string);
  /**
   * chunkservers of another cluster that tried to register lately
   */
  'refused'?: (_dfs_RefusedServer)[];
}

export interface NodesReply__Output {
  'nodes': (_dfs_NodeInfo__Output)[];
  /**
   * this master's
   */
  'clusterId': (string);
  /**
   * chunkservers of another cluster that tried to register lately
   */
  'refused': (_dfs_RefusedServer__Output)[];
}
