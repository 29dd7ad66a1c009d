// Original file: /work/main/proto/dfs.proto


export interface MkdirRequest {
  'path'?: (string);
  'mode'?: (number);
  'uid'?: (number);
  'gid'?: (number);
  /**
   * mkdir -p: create missing parents, no error when it exists as a directory
   */
  'parents'?: (boolean);
}

export interface MkdirRequest__Output {
  'path': (string);
  'mode': (number);
  'uid': (number);
  'gid': (number);
  /**
   * mkdir -p: create missing parents, no error when it exists as a directory
   */
  'parents': (boolean);
}
