// Original file: proto/dfs.proto


export interface RenameRequest {
  'src'?: (string);
  'dst'?: (string);
  /**
   * RENAME_NOREPLACE: EEXIST when dst exists
   */
  'noReplace'?: (boolean);
  'sessionId'?: (string);
}

export interface RenameRequest__Output {
  'src': (string);
  'dst': (string);
  /**
   * RENAME_NOREPLACE: EEXIST when dst exists
   */
  'noReplace': (boolean);
  'sessionId': (string);
}
