// Original file: /work/main/proto/dfs.proto


export interface SessionReply {
  'sessionTimeoutMs'?: (number);
}

export interface SessionReply__Output {
  'sessionTimeoutMs': (number);
}
