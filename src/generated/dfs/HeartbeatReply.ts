// Original file: proto/dfs.proto

import type { ChunkRef as _dfs_ChunkRef, ChunkRef__Output as _dfs_ChunkRef__Output } from '../dfs/ChunkRef';
import type { ReplicateTask as _dfs_ReplicateTask, ReplicateTask__Output as _dfs_ReplicateTask__Output } from '../dfs/ReplicateTask';

/**
 * master -> chunkserver, as replies on the heartbeat stream.
 */
export interface HeartbeatReply {
  /**
   * the master does not know this server: Register again
   */
  'reregister'?: (boolean);
  'sendFullReport'?: (boolean);
  /**
   * garbage or stale: delete (version 0 = any version)
   */
  'deleteChunks'?: (_dfs_ChunkRef)[];
  /**
   * make a copy of these chunks here
   */
  'replicate'?: (_dfs_ReplicateTask)[];
}

/**
 * master -> chunkserver, as replies on the heartbeat stream.
 */
export interface HeartbeatReply__Output {
  /**
   * the master does not know this server: Register again
   */
  'reregister': (boolean);
  'sendFullReport': (boolean);
  /**
   * garbage or stale: delete (version 0 = any version)
   */
  'deleteChunks': (_dfs_ChunkRef__Output)[];
  /**
   * make a copy of these chunks here
   */
  'replicate': (_dfs_ReplicateTask__Output)[];
}
