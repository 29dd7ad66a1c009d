// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

/**
 * master -> replica: the new version (and lease) of a chunk, sent before a lease is granted.
 */
export interface GrantRequest {
  'handle'?: (number | string | Long);
  /**
   * the new version
   */
  'version'?: (number | string | Long);
  /**
   * the replica must be at this version (0 with create)
   */
  'expectedVersion'?: (number | string | Long);
  /**
   * create an empty chunk at `version`
   */
  'create'?: (boolean);
  /**
   * this replica is the primary until the lease ends
   */
  'primary'?: (boolean);
  'leaseDurationMs'?: (number);
}

/**
 * master -> replica: the new version (and lease) of a chunk, sent before a lease is granted.
 */
export interface GrantRequest__Output {
  'handle': (number);
  /**
   * the new version
   */
  'version': (number);
  /**
   * the replica must be at this version (0 with create)
   */
  'expectedVersion': (number);
  /**
   * create an empty chunk at `version`
   */
  'create': (boolean);
  /**
   * this replica is the primary until the lease ends
   */
  'primary': (boolean);
  'leaseDurationMs': (number);
}
