// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A chunkserver whose data folder belongs to another cluster (a master on the wrong meta folder?).
 */
export interface RefusedServer {
  'serverId'?: (string);
  'address'?: (string);
  'clusterId'?: (string);
  'lastSeenUnixMs'?: (number | string | Long);
}

/**
 * A chunkserver whose data folder belongs to another cluster (a master on the wrong meta folder?).
 */
export interface RefusedServer__Output {
  'serverId': (string);
  'address': (string);
  'clusterId': (string);
  'lastSeenUnixMs': (number);
}
