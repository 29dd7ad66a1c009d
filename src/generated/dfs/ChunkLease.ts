// Original file: proto/dfs.proto

import type { ChunkInfo as _dfs_ChunkInfo, ChunkInfo__Output as _dfs_ChunkInfo__Output } from '../dfs/ChunkInfo';

export interface ChunkLease {
  'chunk'?: (_dfs_ChunkInfo | null);
  /**
   * replicas[0] is the primary; the rest are secondaries, in chain order
   */
  'primaryServerId'?: (string);
  /**
   * valid for this long after the reply was received (minus a margin)
   */
  'leaseDurationMs'?: (number);
}

export interface ChunkLease__Output {
  'chunk': (_dfs_ChunkInfo__Output | null);
  /**
   * replicas[0] is the primary; the rest are secondaries, in chain order
   */
  'primaryServerId': (string);
  /**
   * valid for this long after the reply was received (minus a margin)
   */
  'leaseDurationMs': (number);
}
