// Original file: proto/dfs.proto

import type { ServerState as _dfs_ServerState, ServerState__Output as _dfs_ServerState__Output } from '../dfs/ServerState';
import type { Long } from '@grpc/proto-loader';

export interface NodeInfo {
  'serverId'?: (string);
  'address'?: (string);
  'state'?: (_dfs_ServerState);
  'capacityBytes'?: (number | string | Long);
  'usedBytes'?: (number | string | Long);
  'freeBytes'?: (number | string | Long);
  'chunkCount'?: (number | string | Long);
  'lastHeartbeatUnixMs'?: (number | string | Long);
  'activeWrites'?: (number);
  /**
   * DECOMMISSIONING: chunks on it still below their goal elsewhere
   */
  'replicasToMove'?: (number | string | Long);
  /**
   * The master cannot connect to `address` (a wrong --advertise, a firewall): it heartbeats but
   * gets no new chunks or copies until a later probe connects.
   */
  'unreachable'?: (boolean);
}

export interface NodeInfo__Output {
  'serverId': (string);
  'address': (string);
  'state': (_dfs_ServerState__Output);
  'capacityBytes': (number);
  'usedBytes': (number);
  'freeBytes': (number);
  'chunkCount': (number);
  'lastHeartbeatUnixMs': (number);
  'activeWrites': (number);
  /**
   * DECOMMISSIONING: chunks on it still below their goal elsewhere
   */
  'replicasToMove': (number);
  /**
   * The master cannot connect to `address` (a wrong --advertise, a firewall): it heartbeats but
   * gets no new chunks or copies until a later probe connects.
   */
  'unreachable': (boolean);
}
