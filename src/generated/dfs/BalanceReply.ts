// Original file: proto/dfs.proto

import type { BalanceServer as _dfs_BalanceServer, BalanceServer__Output as _dfs_BalanceServer__Output } from '../dfs/BalanceServer';

export interface BalanceReply {
  'balanced'?: (boolean);
  /**
   * copies scheduled by this call (the extra replica is trimmed after the copy)
   */
  'movesScheduled'?: (number);
  'movesInFlight'?: (number);
  'meanPct'?: (number | string);
  'servers'?: (_dfs_BalanceServer)[];
}

export interface BalanceReply__Output {
  'balanced': (boolean);
  /**
   * copies scheduled by this call (the extra replica is trimmed after the copy)
   */
  'movesScheduled': (number);
  'movesInFlight': (number);
  'meanPct': (number);
  'servers': (_dfs_BalanceServer__Output)[];
}
