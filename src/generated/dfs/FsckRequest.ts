// Original file: proto/dfs.proto


export interface FsckRequest {
  /**
   * subtree to check ("" or "/" = everything)
   */
  'path'?: (string);
  /**
   * problem chunks listed at most (0 = server default); totals always complete
   */
  'problemsMax'?: (number);
}

export interface FsckRequest__Output {
  /**
   * subtree to check ("" or "/" = everything)
   */
  'path': (string);
  /**
   * problem chunks listed at most (0 = server default); totals always complete
   */
  'problemsMax': (number);
}
