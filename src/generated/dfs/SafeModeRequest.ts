// Original file: proto/dfs.proto

import type { SafeModeAction as _dfs_SafeModeAction, SafeModeAction__Output as _dfs_SafeModeAction__Output } from '../dfs/SafeModeAction';

export interface SafeModeRequest {
  'action'?: (_dfs_SafeModeAction);
}

export interface SafeModeRequest__Output {
  'action': (_dfs_SafeModeAction__Output);
}
