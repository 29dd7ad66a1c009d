// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

export interface MetaResult {
  'id'?: (number | string | Long);
  /**
   * gRPC status code of the call; 0 = OK
   */
  'status'?: (number);
  /**
   * the reply message, encoded (status 0)
   */
  'reply'?: (Buffer | Uint8Array | string);
  /**
   * the error message (status != 0)
   */
  'details'?: (string);
  /**
   * the DfsError code, when the master sent one
   */
  'dfsCode'?: (string);
  /**
   * the error's other dfs-* metadata, as a unary call's trailers carry it (e.g. the
   * dfs-failed-server / dfs-failed-address of a failed WriteSmall chain)
   */
  'metadata'?: ({[key: string]: string});
}

export interface MetaResult__Output {
  'id': (number);
  /**
   * gRPC status code of the call; 0 = OK
   */
  'status': (number);
  /**
   * the reply message, encoded (status 0)
   */
  'reply': (Buffer);
  /**
   * the error message (status != 0)
   */
  'details': (string);
  /**
   * the DfsError code, when the master sent one
   */
  'dfsCode': (string);
  /**
   * the error's other dfs-* metadata, as a unary call's trailers carry it (e.g. the
   * dfs-failed-server / dfs-failed-address of a failed WriteSmall chain)
   */
  'metadata': ({[key: string]: string});
}
