// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Ask for the write lease of chunk `index` of `ino`, allocating the chunk if it does not exist.
 */
export interface LeaseRequest {
  'ino'?: (number | string | Long);
  'index'?: (number);
  /**
   * replicas the client failed to write to: replaced by the master
   */
  'excludeServerIds'?: (string)[];
  /**
   * the primary refused the lease last handed out (expired, restarted): grant a new one
   */
  'leaseRefused'?: (boolean);
  /**
   * The chunk the client's write just failed on, where this client got its lease from one
   * GetLease and no write under it was acknowledged: if that lease was handed out to no one
   * else and is the chunk's first (version 1), the master replaces the chunk with a new one
   * rather than outwait the lease of a primary in exclude_server_ids. 0 = no such claim.
   */
  'unwrittenHandle'?: (number | string | Long);
}

/**
 * Ask for the write lease of chunk `index` of `ino`, allocating the chunk if it does not exist.
 */
export interface LeaseRequest__Output {
  'ino': (number);
  'index': (number);
  /**
   * replicas the client failed to write to: replaced by the master
   */
  'excludeServerIds': (string)[];
  /**
   * the primary refused the lease last handed out (expired, restarted): grant a new one
   */
  'leaseRefused': (boolean);
  /**
   * The chunk the client's write just failed on, where this client got its lease from one
   * GetLease and no write under it was acknowledged: if that lease was handed out to no one
   * else and is the chunk's first (version 1), the master replaces the chunk with a new one
   * rather than outwait the lease of a primary in exclude_server_ids. 0 = no such claim.
   */
  'unwrittenHandle': (number);
}
