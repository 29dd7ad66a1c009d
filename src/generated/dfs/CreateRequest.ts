// Original file: proto/dfs.proto

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
  /**
   * The caller writes the file at once (the mount's create): an empty file takes a new chunk
   * granted ahead as chunk 0 in the same commit, its lease in CreateReply.first_lease (needs
   * session_id: the last close of a file that stayed empty gives the chunk back).
   */
  'wantLease'?: (boolean);
  /**
   * An exclusive create's id (random, non-zero): the file keeps it until its first write, so the
   * same create sent again after a lost connection (the master restarted meanwhile) finds its
   * own file instead of failing with EEXIST.
   */
  'createToken'?: (number | string | Long);
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
  /**
   * The caller writes the file at once (the mount's create): an empty file takes a new chunk
   * granted ahead as chunk 0 in the same commit, its lease in CreateReply.first_lease (needs
   * session_id: the last close of a file that stayed empty gives the chunk back).
   */
  'wantLease': (boolean);
  /**
   * An exclusive create's id (random, non-zero): the file keeps it until its first write, so the
   * same create sent again after a lost connection (the master restarted meanwhile) finds its
   * own file instead of failing with EEXIST.
   */
  'createToken': (number);
}
