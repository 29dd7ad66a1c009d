// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A Bloom filter of a chunkserver's chunk handles: inventory drift between full reports, and
 * "which servers may hold chunk X" while locations are unknown.
 */
export interface InventoryDigest {
  'bits'?: (Buffer | Uint8Array | string);
  'hashes'?: (number);
  /**
   * handles added
   */
  'count'?: (number | string | Long);
}

/**
 * A Bloom filter of a chunkserver's chunk handles: inventory drift between full reports, and
 * "which servers may hold chunk X" while locations are unknown.
 */
export interface InventoryDigest__Output {
  'bits': (Buffer);
  'hashes': (number);
  /**
   * handles added
   */
  'count': (number);
}
