// Original file: proto/dfs.proto


export interface SessionReply {
  'sessionTimeoutMs'?: (number);
}

export interface SessionReply__Output {
  'sessionTimeoutMs': (number);
}
