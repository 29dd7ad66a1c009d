// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Makes the no_sync writes of these chunks on this replica durable (data, meta and folder
 * fsync'd); returns once they are. Handles this replica does not hold, or holds durably, cost
 * nothing (idempotent).
 */
export interface SyncChunksRequest {
  'handles'?: (number | string | Long)[];
}

/**
 * Makes the no_sync writes of these chunks on this replica durable (data, meta and folder
 * fsync'd); returns once they are. Handles this replica does not hold, or holds durably, cost
 * nothing (idempotent).
 */
export interface SyncChunksRequest__Output {
  'handles': (number)[];
}
