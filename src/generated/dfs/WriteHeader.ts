// Original file: /work/main/proto/dfs.proto

import type { ChunkReplica as _dfs_ChunkReplica, ChunkReplica__Output as _dfs_ChunkReplica__Output } from '../dfs/ChunkReplica';
import type { Long } from '@grpc/proto-loader';

export interface WriteHeader {
  'handle'?: (number | string | Long);
  /**
   * must equal the replica's version (STALE_VERSION otherwise)
   */
  'version'?: (number | string | Long);
  /**
   * where the data of the following frames starts in the chunk
   */
  'offset'?: (number | string | Long);
  /**
   * total data bytes that follow (sum of all frames' data)
   */
  'length'?: (number | string | Long);
  /**
   * replicas still to forward to, in order
   */
  'chain'?: (_dfs_ChunkReplica)[];
  /**
   * false: this server is the primary and checks its lease
   */
  'fromPrimary'?: (boolean);
  /**
   * after the data: truncate/extend the chunk to exactly this length
   */
  'setLength'?: (number | string | Long);
  /**
   * Acknowledge once the data and meta are written, without fsync: a later synced write of the
   * same chunk (whose fsyncs cover everything before it) makes them durable. The mount sends
   * every write of a flush but the last one per chunk this way.
   */
  'noSync'?: (boolean);
  '_setLength'?: "setLength";
}

export interface WriteHeader__Output {
  'handle': (number);
  /**
   * must equal the replica's version (STALE_VERSION otherwise)
   */
  'version': (number);
  /**
   * where the data of the following frames starts in the chunk
   */
  'offset': (number);
  /**
   * total data bytes that follow (sum of all frames' data)
   */
  'length': (number);
  /**
   * replicas still to forward to, in order
   */
  'chain': (_dfs_ChunkReplica__Output)[];
  /**
   * false: this server is the primary and checks its lease
   */
  'fromPrimary': (boolean);
  /**
   * after the data: truncate/extend the chunk to exactly this length
   */
  'setLength'?: (number);
  /**
   * Acknowledge once the data and meta are written, without fsync: a later synced write of the
   * same chunk (whose fsyncs cover everything before it) makes them durable. The mount sends
   * every write of a flush but the last one per chunk this way.
   */
  'noSync': (boolean);
  '_setLength'?: "setLength";
}
