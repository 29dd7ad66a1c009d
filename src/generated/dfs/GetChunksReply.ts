// Original file: proto/dfs.proto

import type { Attr as _dfs_Attr, Attr__Output as _dfs_Attr__Output } from '../dfs/Attr';
import type { ChunkInfo as _dfs_ChunkInfo, ChunkInfo__Output as _dfs_ChunkInfo__Output } from '../dfs/ChunkInfo';

export interface GetChunksReply {
  'attr'?: (_dfs_Attr | null);
  /**
   * holes (never-written chunks) are absent
   */
  'chunks'?: (_dfs_ChunkInfo)[];
}

export interface GetChunksReply__Output {
  'attr': (_dfs_Attr__Output | null);
  /**
   * holes (never-written chunks) are absent
   */
  'chunks': (_dfs_ChunkInfo__Output)[];
}
