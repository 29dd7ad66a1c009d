// Original file: proto/dfs.proto


export interface XattrRequest {
  'path'?: (string);
  /**
   * "namespace.name" (user., trusted., security.); at most 255 bytes
   */
  'name'?: (string);
}

export interface XattrRequest__Output {
  'path': (string);
  /**
   * "namespace.name" (user., trusted., security.); at most 255 bytes
   */
  'name': (string);
}
