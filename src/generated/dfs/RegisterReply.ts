// Original file: proto/dfs.proto


export interface RegisterReply {
  'heartbeatIntervalMs'?: (number);
  /**
   * the master's cluster, made with its namespace
   */
  'clusterId'?: (string);
}

export interface RegisterReply__Output {
  'heartbeatIntervalMs': (number);
  /**
   * the master's cluster, made with its namespace
   */
  'clusterId': (string);
}
