// Original file: proto/dfs.proto

import type { ChunkReplica as _dfs_ChunkReplica, ChunkReplica__Output as _dfs_ChunkReplica__Output } from '../dfs/ChunkReplica';
import type { ByteRange as _dfs_ByteRange, ByteRange__Output as _dfs_ByteRange__Output } from '../dfs/ByteRange';
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
   * Several ranges of the chunk in one write (a flush of scattered extents): the frames carry
   * their data one after the other, in this order (ascending, not overlapping, none empty);
   * `offset` is ranges[0].offset and `length` the sum of their lengths. Each range is written
   * as one write of its own; only the last one is fsync'd, which covers them all.
   * Empty: the single range (offset, length).
   */
  'ranges'?: (_dfs_ByteRange)[];
  /**
   * Commit without fsync (data and meta written, meta by temp file + rename): the replica holds
   * the bytes in the OS page cache, safe from a crash of the chunkserver process but not of the
   * machine, until SyncChunks, a later synced write of the chunk, or the chunkserver's
   * background sync (chunkserver.syncIntervalMs) makes them durable. The mount's writes; an
   * application's fsync turns into SyncChunks.
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
   * Several ranges of the chunk in one write (a flush of scattered extents): the frames carry
   * their data one after the other, in this order (ascending, not overlapping, none empty);
   * `offset` is ranges[0].offset and `length` the sum of their lengths. Each range is written
   * as one write of its own; only the last one is fsync'd, which covers them all.
   * Empty: the single range (offset, length).
   */
  'ranges': (_dfs_ByteRange__Output)[];
  /**
   * Commit without fsync (data and meta written, meta by temp file + rename): the replica holds
   * the bytes in the OS page cache, safe from a crash of the chunkserver process but not of the
   * machine, until SyncChunks, a later synced write of the chunk, or the chunkserver's
   * background sync (chunkserver.syncIntervalMs) makes them durable. The mount's writes; an
   * application's fsync turns into SyncChunks.
   */
  'noSync': (boolean);
  '_setLength'?: "setLength";
}
