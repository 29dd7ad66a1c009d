// Original file: /work/main/proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

export interface CreateRequest {
  'path'?: (string);
  'mode'?: (number);
  'uid'?: (number);
  'gid'?: (number);
  /**
   * O_EXCL: EEXIST when the path exists
   */
  'exclusive'?: (boolean);
  /**
   * O_TRUNC: an existing regular file is emptied
   */
  'truncate'?: (boolean);
  /**
   * 0 = inherit from parent / config
   */
  'chunkSize'?: (number | string | Long);
  /**
   * 0 = inherit from parent / config
   */
  'replication'?: (number);
  /**
   * mount session: the new file counts as open by it
   */
  'sessionId'?: (string);
}

export interface CreateRequest__Output {
  'path': (string);
  'mode': (number);
  'uid': (number);
  'gid': (number);
  /**
   * O_EXCL: EEXIST when the path exists
   */
  'exclusive': (boolean);
  /**
   * O_TRUNC: an existing regular file is emptied
   */
  'truncate': (boolean);
  /**
   * 0 = inherit from parent / config
   */
  'chunkSize': (number);
  /**
   * 0 = inherit from parent / config
   */
  'replication': (number);
  /**
   * mount session: the new file counts as open by it
   */
  'sessionId': (string);
}
