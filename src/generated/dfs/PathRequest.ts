// Original file: proto/dfs.proto


export interface PathRequest {
  'path'?: (string);
}

export interface PathRequest__Output {
  'path': (string);
}
