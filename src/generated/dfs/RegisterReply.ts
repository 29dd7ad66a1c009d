// Original file: /work/main/proto/dfs.proto


export interface RegisterReply {
  'heartbeatIntervalMs'?: (number);
}

export interface RegisterReply__Output {
  'heartbeatIntervalMs': (number);
}
