// Original file: proto/dfs.proto

export const LockType = {
  LOCK_TYPE_UNSPECIFIED: 'LOCK_TYPE_UNSPECIFIED',
  /**
   * shared: LOCK_SH, F_RDLCK
   */
  LOCK_READ: 'LOCK_READ',
  /**
   * exclusive: LOCK_EX, F_WRLCK
   */
  LOCK_WRITE: 'LOCK_WRITE',
  /**
   * LOCK_UN, F_UNLCK (Lock only)
   */
  LOCK_UNLOCK: 'LOCK_UNLOCK',
} as const;

export type LockType =
  | 'LOCK_TYPE_UNSPECIFIED'
  | 0
  /**
   * shared: LOCK_SH, F_RDLCK
   */
  | 'LOCK_READ'
  | 1
  /**
   * exclusive: LOCK_EX, F_WRLCK
   */
  | 'LOCK_WRITE'
  | 2
  /**
   * LOCK_UN, F_UNLCK (Lock only)
   */
  | 'LOCK_UNLOCK'
  | 3

export type LockType__Output = typeof LockType[keyof typeof LockType]
