// Original file: proto/dfs.proto

export const LockKind = {
  LOCK_KIND_UNSPECIFIED: 'LOCK_KIND_UNSPECIFIED',
  /**
   * flock(2): whole file, one lock per open file description
   */
  LOCK_FLOCK: 'LOCK_FLOCK',
  /**
   * fcntl(2) F_SETLK/F_SETLKW/F_GETLK: byte ranges per lock owner
   */
  LOCK_POSIX: 'LOCK_POSIX',
} as const;

export type LockKind =
  | 'LOCK_KIND_UNSPECIFIED'
  | 0
  /**
   * flock(2): whole file, one lock per open file description
   */
  | 'LOCK_FLOCK'
  | 1
  /**
   * fcntl(2) F_SETLK/F_SETLKW/F_GETLK: byte ranges per lock owner
   */
  | 'LOCK_POSIX'
  | 2

export type LockKind__Output = typeof LockKind[keyof typeof LockKind]
