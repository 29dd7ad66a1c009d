// Original file: proto/dfs.proto

import type { DeleteKind as _dfs_DeleteKind, DeleteKind__Output as _dfs_DeleteKind__Output } from '../dfs/DeleteKind';

export interface DeleteRequest {
  'path'?: (string);
  /**
   * rm -r
   */
  'recursive'?: (boolean);
  'kind'?: (_dfs_DeleteKind);
  /**
   * inodes open in live sessions survive as orphans until released
   */
  'sessionId'?: (string);
}

export interface DeleteRequest__Output {
  'path': (string);
  /**
   * rm -r
   */
  'recursive': (boolean);
  'kind': (_dfs_DeleteKind__Output);
  /**
   * inodes open in live sessions survive as orphans until released
   */
  'sessionId': (string);
}
