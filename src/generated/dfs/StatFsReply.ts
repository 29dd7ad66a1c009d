// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

export interface StatFsReply {
  'capacityBytes'?: (number | string | Long);
  'usedBytes'?: (number | string | Long);
  'freeBytes'?: (number | string | Long);
  /**
   * inodes in the namespace
   */
  'files'?: (number | string | Long);
  'chunks'?: (number | string | Long);
  'liveServers'?: (number);
  /**
   * the master is in safe mode (no re-replication or deletion)
   */
  'safeMode'?: (boolean);
}

export interface StatFsReply__Output {
  'capacityBytes': (number);
  'usedBytes': (number);
  'freeBytes': (number);
  /**
   * inodes in the namespace
   */
  'files': (number);
  'chunks': (number);
  'liveServers': (number);
  /**
   * the master is in safe mode (no re-replication or deletion)
   */
  'safeMode': (boolean);
}
