// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

export interface MkdirRequest {
  'path'?: (string);
  'mode'?: (number);
  'uid'?: (number);
  'gid'?: (number);
  /**
   * mkdir -p: create missing parents, no error when it exists as a directory
   */
  'parents'?: (boolean);
  /**
   * As CreateRequest.create_token: the same mkdir sent again after a lost connection finds the
   * folder it made (until something is created in it) instead of failing with EEXIST.
   */
  'createToken'?: (number | string | Long);
}

export interface MkdirRequest__Output {
  'path': (string);
  'mode': (number);
  'uid': (number);
  'gid': (number);
  /**
   * mkdir -p: create missing parents, no error when it exists as a directory
   */
  'parents': (boolean);
  /**
   * As CreateRequest.create_token: the same mkdir sent again after a lost connection finds the
   * folder it made (until something is created in it) instead of failing with EEXIST.
   */
  'createToken': (number);
}
