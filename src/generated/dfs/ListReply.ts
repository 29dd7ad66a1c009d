// Original file: proto/dfs.proto

import type { DirEntry as _dfs_DirEntry, DirEntry__Output as _dfs_DirEntry__Output } from '../dfs/DirEntry';
import type { Attr as _dfs_Attr, Attr__Output as _dfs_Attr__Output } from '../dfs/Attr';

export interface ListReply {
  'entries'?: (_dfs_DirEntry)[];
  /**
   * no entries after the last one returned
   */
  'eof'?: (boolean);
  /**
   * attributes of the listed directory
   */
  'dir'?: (_dfs_Attr | null);
}

export interface ListReply__Output {
  'entries': (_dfs_DirEntry__Output)[];
  /**
   * no entries after the last one returned
   */
  'eof': (boolean);
  /**
   * attributes of the listed directory
   */
  'dir': (_dfs_Attr__Output | null);
}
