// Original file: proto/dfs.proto

import type { Attr as _dfs_Attr, Attr__Output as _dfs_Attr__Output } from '../dfs/Attr';

/**
 * The folder that held the deleted name, as the delete left it (mtime, ctime, nlink): the mount
 * caches it, so the kernel's GETATTR of the folder after every unlink of an `rm -r` costs no Stat.
 */
export interface DeleteReply {
  'parent'?: (_dfs_Attr | null);
}

/**
 * The folder that held the deleted name, as the delete left it (mtime, ctime, nlink): the mount
 * caches it, so the kernel's GETATTR of the folder after every unlink of an `rm -r` costs no Stat.
 */
export interface DeleteReply__Output {
  'parent': (_dfs_Attr__Output | null);
}
