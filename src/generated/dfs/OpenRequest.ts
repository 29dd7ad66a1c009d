// Original file: /work/main/proto/dfs.proto


export interface OpenRequest {
  'path'?: (string);
  /**
   * registers an open handle of this session on the inode
   */
  'sessionId'?: (string);
}

export interface OpenRequest__Output {
  'path': (string);
  /**
   * registers an open handle of this session on the inode
   */
  'sessionId': (string);
}
