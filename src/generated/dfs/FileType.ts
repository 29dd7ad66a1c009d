// Original file: proto/dfs.proto

export const FileType = {
  FILE_TYPE_UNSPECIFIED: 'FILE_TYPE_UNSPECIFIED',
  REGULAR: 'REGULAR',
  DIRECTORY: 'DIRECTORY',
  SYMLINK: 'SYMLINK',
  FIFO: 'FIFO',
  CHAR_DEVICE: 'CHAR_DEVICE',
  BLOCK_DEVICE: 'BLOCK_DEVICE',
  SOCKET: 'SOCKET',
} as const;

export type FileType =
  | 'FILE_TYPE_UNSPECIFIED'
  | 0
  | 'REGULAR'
  | 1
  | 'DIRECTORY'
  | 2
  | 'SYMLINK'
  | 3
  | 'FIFO'
  | 4
  | 'CHAR_DEVICE'
  | 5
  | 'BLOCK_DEVICE'
  | 6
  | 'SOCKET'
  | 7

export type FileType__Output = typeof FileType[keyof typeof FileType]
