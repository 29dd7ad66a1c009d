// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

export interface ReleaseRequest {
  'ino'?: (number | string | Long);
  'sessionId'?: (string);
  /**
   * the client's last open of the inode ends and it never wrote under this handle, chunk 0 that
   * its Create took (CreateReply.first_lease); 0 = none. Given back when no one else can have
   * written it (the master's checks: ChunkManager.giveBackUnwrittenFirst)
   */
  'unwrittenHandle'?: (number | string | Long);
}

export interface ReleaseRequest__Output {
  'ino': (number);
  'sessionId': (string);
  /**
   * the client's last open of the inode ends and it never wrote under this handle, chunk 0 that
   * its Create took (CreateReply.first_lease); 0 = none. Given back when no one else can have
   * written it (the master's checks: ChunkManager.giveBackUnwrittenFirst)
   */
  'unwrittenHandle': (number);
}
