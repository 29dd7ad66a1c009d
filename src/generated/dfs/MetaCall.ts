// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

/**
 * One call of a unary Master method, multiplexed with others on the stream of Master.Calls
 * (as Hadoop IPC multiplexes calls on one connection): on grpc-js a unary call costs about
 * 300 µs of CPU across both ends, a message on an open stream about 25 µs.
 */
export interface MetaCall {
  /**
   * chosen by the client, unique among its calls in flight on the stream
   */
  'id'?: (number | string | Long);
  /**
   * a unary Master method, e.g. "Stat"
   */
  'method'?: (string);
  /**
   * that method's request message, encoded
   */
  'request'?: (Buffer | Uint8Array | string);
}

/**
 * One call of a unary Master method, multiplexed with others on the stream of Master.Calls
 * (as Hadoop IPC multiplexes calls on one connection): on grpc-js a unary call costs about
 * 300 µs of CPU across both ends, a message on an open stream about 25 µs.
 */
export interface MetaCall__Output {
  /**
   * chosen by the client, unique among its calls in flight on the stream
   */
  'id': (number);
  /**
   * a unary Master method, e.g. "Stat"
   */
  'method': (string);
  /**
   * that method's request message, encoded
   */
  'request': (Buffer);
}
