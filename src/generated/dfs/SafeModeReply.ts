// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

export interface SafeModeReply {
  'on'?: (boolean);
  /**
   * entered by an operator (does not leave by itself)
   */
  'manual'?: (boolean);
  'chunksTotal'?: (number | string | Long);
  /**
   * chunks with at least one reported replica
   */
  'chunksReported'?: (number | string | Long);
  /**
   * fraction of chunks_total needed to leave
   */
  'threshold'?: (number | string);
  /**
   * until the timeout forces it off (automatic safe mode)
   */
  'remainingMs'?: (number | string | Long);
}

export interface SafeModeReply__Output {
  'on': (boolean);
  /**
   * entered by an operator (does not leave by itself)
   */
  'manual': (boolean);
  'chunksTotal': (number);
  /**
   * chunks with at least one reported replica
   */
  'chunksReported': (number);
  /**
   * fraction of chunks_total needed to leave
   */
  'threshold': (number);
  /**
   * until the timeout forces it off (automatic safe mode)
   */
  'remainingMs': (number);
}
