// Original file: proto/dfs.proto


export interface LockReply {
  /**
   * false: the wait ended without the lock; call again to keep waiting
   */
  'acquired'?: (boolean);
}

export interface LockReply__Output {
  /**
   * false: the wait ended without the lock; call again to keep waiting
   */
  'acquired': (boolean);
}
