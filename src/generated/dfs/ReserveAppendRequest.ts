// Original file: proto/dfs.proto

import type { Long } from '@grpc/proto-loader';

/**
 * An O_APPEND write through a mount: the master picks where it goes, after the committed
 * size, every earlier reservation of the file and `at_least` (the caller's own uncommitted end),
 * so appends from several mounts never overlap (GFS's record append, the offset chosen for the
 * client). The caller writes there, then commits with CommitWrite as any write.
 */
export interface ReserveAppendRequest {
  'ino'?: (number | string | Long);
  'length'?: (number | string | Long);
  'atLeast'?: (number | string | Long);
}

/**
 * An O_APPEND write through a mount: the master picks where it goes, after the committed
 * size, every earlier reservation of the file and `at_least` (the caller's own uncommitted end),
 * so appends from several mounts never overlap (GFS's record append, the offset chosen for the
 * client). The caller writes there, then commits with CommitWrite as any write.
 */
export interface ReserveAppendRequest__Output {
  'ino': (number);
  'length': (number);
  'atLeast': (number);
}
