// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A chunkserver whose data folder belongs to another cluster (a master on the wrong meta folder?).
 */
export interface RefusedServer {
  'serverId'?: (string);
  'address'?: (string);
  /**
   * of another cluster (WRONG_CLUSTER), or this cluster's
   */
  'clusterId'?: (string);
  'lastSeenUnixMs'?: (number | string | Long);
  /**
   * DUPLICATE_ID: the address of the running server with this id
   */
  'inUseBy'?: (string);
}

/**
 * A chunkserver whose data folder belongs to another cluster (a master on the wrong meta folder?).
 */
export interface RefusedServer__Output {
  'serverId': (string);
  'address': (string);
  /**
   * of another cluster (WRONG_CLUSTER), or this cluster's
   */
  'clusterId': (string);
  'lastSeenUnixMs': (number);
  /**
   * DUPLICATE_ID: the address of the running server with this id
   */
  'inUseBy': (string);
}
