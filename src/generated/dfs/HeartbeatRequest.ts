// Original file: proto/dfs.proto

import type { ChunkReport as _dfs_ChunkReport, ChunkReport__Output as _dfs_ChunkReport__Output } from '../dfs/ChunkReport';
import type { BadReplicaReport as _dfs_BadReplicaReport, BadReplicaReport__Output as _dfs_BadReplicaReport__Output } from '../dfs/BadReplicaReport';
import type { InventoryDigest as _dfs_InventoryDigest, InventoryDigest__Output as _dfs_InventoryDigest__Output } from '../dfs/InventoryDigest';
import type { Long } from '@grpc/proto-loader';

/**
 * chunkserver -> master, every heartbeatIntervalMs on one long-lived stream.
 */
export interface HeartbeatRequest {
  'serverId'?: (string);
  'capacityBytes'?: (number | string | Long);
  'usedBytes'?: (number | string | Long);
  'freeBytes'?: (number | string | Long);
  'activeWrites'?: (number);
  'chunkCount'?: (number | string | Long);
  /**
   * `chunks` is the complete inventory (sent in pages: see last_page)
   */
  'fullReport'?: (boolean);
  /**
   * the last page of a full report
   */
  'lastPage'?: (boolean);
  /**
   * full: all; incremental: added or changed since last heartbeat
   */
  'chunks'?: (_dfs_ChunkReport)[];
  /**
   * incremental: chunks deleted since last heartbeat
   */
  'removed'?: (number | string | Long)[];
  /**
   * replicas that failed verification here
   */
  'bad'?: (_dfs_BadReplicaReport)[];
  /**
   * Bloom filter of every handle held here (src/common/bloom.ts); absent = none
   */
  'digest'?: (_dfs_InventoryDigest | null);
  /**
   * RegisterRequest.instance_id of this process
   */
  'instanceId'?: (string);
}

/**
 * chunkserver -> master, every heartbeatIntervalMs on one long-lived stream.
 */
export interface HeartbeatRequest__Output {
  'serverId': (string);
  'capacityBytes': (number);
  'usedBytes': (number);
  'freeBytes': (number);
  'activeWrites': (number);
  'chunkCount': (number);
  /**
   * `chunks` is the complete inventory (sent in pages: see last_page)
   */
  'fullReport': (boolean);
  /**
   * the last page of a full report
   */
  'lastPage': (boolean);
  /**
   * full: all; incremental: added or changed since last heartbeat
   */
  'chunks': (_dfs_ChunkReport__Output)[];
  /**
   * incremental: chunks deleted since last heartbeat
   */
  'removed': (number)[];
  /**
   * replicas that failed verification here
   */
  'bad': (_dfs_BadReplicaReport__Output)[];
  /**
   * Bloom filter of every handle held here (src/common/bloom.ts); absent = none
   */
  'digest': (_dfs_InventoryDigest__Output | null);
  /**
   * RegisterRequest.instance_id of this process
   */
  'instanceId': (string);
}
