// Original file: proto/dfs.proto

import type { Attr as _dfs_Attr, Attr__Output as _dfs_Attr__Output } from '../dfs/Attr';

export interface DirEntry {
  'name'?: (string);
  'attr'?: (_dfs_Attr | null);
}

export interface DirEntry__Output {
  'name': (string);
  'attr': (_dfs_Attr__Output | null);
}
