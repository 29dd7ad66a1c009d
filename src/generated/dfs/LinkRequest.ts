// Original file: proto/dfs.proto


export interface LinkRequest {
  /**
   * an existing non-directory
   */
  'src'?: (string);
  /**
   * the new name: EEXIST when it exists
   */
  'dst'?: (string);
}

export interface LinkRequest__Output {
  /**
   * an existing non-directory
   */
  'src': (string);
  /**
   * the new name: EEXIST when it exists
   */
  'dst': (string);
}
