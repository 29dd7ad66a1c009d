// Original file: /work/main/proto/dfs.proto

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
}
