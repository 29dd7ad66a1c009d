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
  /**
   * Drawn at each start of the chunkserver process: while one process of an id is registered
   * and heartbeating, another process with the same id is refused (DUPLICATE_ID), and
   * heartbeats of a process that is not the registered one are answered `reregister`.
   */
  'instanceId'?: (string);
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
  /**
   * Drawn at each start of the chunkserver process: while one process of an id is registered
   * and heartbeating, another process with the same id is refused (DUPLICATE_ID), and
   * heartbeats of a process that is not the registered one are answered `reregister`.
   */
  'instanceId': (string);
}
