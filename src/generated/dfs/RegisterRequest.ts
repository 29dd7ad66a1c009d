// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

export interface RegisterRequest {
  'serverId'?: (string);
  'address'?: (string);
  'capacityBytes'?: (number | string | Long);
  'usedBytes'?: (number | string | Long);
  'freeBytes'?: (number | string | Long);
  /**
   * The cluster whose master this server registered with first (DATA_DIR/cluster-id); empty
   * for a data folder that never registered. A master of another cluster refuses it.
   */
  'clusterId'?: (string);
}

export interface RegisterRequest__Output {
  'serverId': (string);
  'address': (string);
  'capacityBytes': (number);
  'usedBytes': (number);
  'freeBytes': (number);
  /**
   * The cluster whose master this server registered with first (DATA_DIR/cluster-id); empty
   * for a data folder that never registered. A master of another cluster refuses it.
   */
  'clusterId': (string);
}
