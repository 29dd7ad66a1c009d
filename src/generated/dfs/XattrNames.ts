// Original file: proto/dfs.proto


export interface XattrNames {
  /**
   * sorted bytewise
   */
  'names'?: (string)[];
}

export interface XattrNames__Output {
  /**
   * sorted bytewise
   */
  'names': (string)[];
}
