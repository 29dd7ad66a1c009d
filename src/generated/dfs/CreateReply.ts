// Original file: proto/dfs.proto

import type { Attr as _dfs_Attr, Attr__Output as _dfs_Attr__Output } from '../dfs/Attr';
import type { ChunkLease as _dfs_ChunkLease, ChunkLease__Output as _dfs_ChunkLease__Output } from '../dfs/ChunkLease';

/**
 * The file, and the folder that holds it as the create left it (mtime, ctime): the mount caches
 * the folder, so the kernel's GETATTR of it after every create costs no Stat.
 */
export interface CreateReply {
  /**
   * the file created (or found, or emptied)
   */
  'attr'?: (_dfs_Attr | null);
  'parent'?: (_dfs_Attr | null);
  /**
   * with want_lease, when a chunk granted ahead was at hand: chunk 0's write lease
   */
  'firstLease'?: (_dfs_ChunkLease | null);
}

/**
 * The file, and the folder that holds it as the create left it (mtime, ctime): the mount caches
 * the folder, so the kernel's GETATTR of it after every create costs no Stat.
 */
export interface CreateReply__Output {
  /**
   * the file created (or found, or emptied)
   */
  'attr': (_dfs_Attr__Output | null);
  'parent': (_dfs_Attr__Output | null);
  /**
   * with want_lease, when a chunk granted ahead was at hand: chunk 0's write lease
   */
  'firstLease': (_dfs_ChunkLease__Output | null);
}
