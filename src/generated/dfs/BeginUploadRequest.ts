// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

export interface BeginUploadRequest {
  /**
   * where CommitUpload will link the file; checked now (parent must exist)
   */
  'path'?: (string);
  'mode'?: (number);
  /**
   * 0 = inherit
   */
  'chunkSize'?: (number | string | Long);
  /**
   * 0 = inherit
   */
  'replication'?: (number);
  /**
   * false: EEXIST when path exists now or at commit
   */
  'overwrite'?: (boolean);
  'uid'?: (number);
  'gid'?: (number);
}

export interface BeginUploadRequest__Output {
  /**
   * where CommitUpload will link the file; checked now (parent must exist)
   */
  'path': (string);
  'mode': (number);
  /**
   * 0 = inherit
   */
  'chunkSize': (number);
  /**
   * 0 = inherit
   */
  'replication': (number);
  /**
   * false: EEXIST when path exists now or at commit
   */
  'overwrite': (boolean);
  'uid': (number);
  'gid': (number);
}
