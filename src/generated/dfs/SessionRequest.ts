// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

export interface SessionRequest {
  'sessionId'?: (string);
  /**
   * every inode the session holds open (re-sent so a restarted master relearns them)
   */
  'openInos'?: (number | string | Long)[];
}

export interface SessionRequest__Output {
  'sessionId': (string);
  /**
   * every inode the session holds open (re-sent so a restarted master relearns them)
   */
  'openInos': (number)[];
}
