// Original file: proto/dfs.proto


export interface ChunkReplica {
  'serverId'?: (string);
  /**
   * host:port of the chunkserver's gRPC service
   */
  'address'?: (string);
}

export interface ChunkReplica__Output {
  'serverId': (string);
  /**
   * host:port of the chunkserver's gRPC service
   */
  'address': (string);
}
