// Original file: proto/dfs.proto

import type { FileType as _dfs_FileType, FileType__Output as _dfs_FileType__Output } from '../dfs/FileType';

export interface MknodRequest {
  'path'?: (string);
  /**
   * FIFO, CHAR_DEVICE, BLOCK_DEVICE, SOCKET (REGULAR: an empty file)
   */
  'type'?: (_dfs_FileType);
  /**
   * permission bits (07777)
   */
  'mode'?: (number);
  'uid'?: (number);
  'gid'?: (number);
  /**
   * device number (Linux dev_t encoding) of device nodes
   */
  'rdev'?: (number);
}

export interface MknodRequest__Output {
  'path': (string);
  /**
   * FIFO, CHAR_DEVICE, BLOCK_DEVICE, SOCKET (REGULAR: an empty file)
   */
  'type': (_dfs_FileType__Output);
  /**
   * permission bits (07777)
   */
  'mode': (number);
  'uid': (number);
  'gid': (number);
  /**
   * device number (Linux dev_t encoding) of device nodes
   */
  'rdev': (number);
}
