// Original file: proto/dfs.proto

import type { WriteHeader as _dfs_WriteHeader, WriteHeader__Output as _dfs_WriteHeader__Output } from '../dfs/WriteHeader';

export interface WriteFrame {
  /**
   * first frame only
   */
  'header'?: (_dfs_WriteHeader | null);
  'data'?: (Buffer | Uint8Array | string);
  /**
   * CRC32C of data
   */
  'crc32c'?: (number);
}

export interface WriteFrame__Output {
  /**
   * first frame only
   */
  'header': (_dfs_WriteHeader__Output | null);
  'data': (Buffer);
  /**
   * CRC32C of data
   */
  'crc32c': (number);
}
