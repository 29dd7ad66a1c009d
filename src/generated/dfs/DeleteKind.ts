// Original file: proto/dfs.proto

export const DeleteKind = {
  /**
   * file, or directory (empty unless recursive)
   */
  ANY: 'ANY',
  /**
   * unlink(2): EISDIR on a directory
   */
  FILE_ONLY: 'FILE_ONLY',
  /**
   * rmdir(2): ENOTDIR on a file, ENOTEMPTY unless empty
   */
  DIR_ONLY: 'DIR_ONLY',
} as const;

export type DeleteKind =
  /**
   * file, or directory (empty unless recursive)
   */
  | 'ANY'
  | 0
  /**
   * unlink(2): EISDIR on a directory
   */
  | 'FILE_ONLY'
  | 1
  /**
   * rmdir(2): ENOTDIR on a file, ENOTEMPTY unless empty
   */
  | 'DIR_ONLY'
  | 2

export type DeleteKind__Output = typeof DeleteKind[keyof typeof DeleteKind]
