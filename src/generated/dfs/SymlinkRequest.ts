// Original file: proto/dfs.proto


export interface SymlinkRequest {
  'path'?: (string);
  'target'?: (string);
  'uid'?: (number);
  'gid'?: (number);
}

export interface SymlinkRequest__Output {
  'path': (string);
  'target': (string);
  'uid': (number);
  'gid': (number);
}
