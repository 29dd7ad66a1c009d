/**
 * Vocabulary of cluster-wide file locks (issue 7), shared by the master's lock table, the
 * client library and the mount's FUSE adapter.
 *
 * - FLOCK: flock(2) locks, whole file, one per open file description (the owner).
 * - POSIX: fcntl(2) record locks, byte ranges per lock owner (fi->lock_owner: a process's
 *   files_struct, so every thread of a process shares them).
 * Both are held by the master in memory per mount session; FLOCK and POSIX locks never
 * conflict with each other (as on Linux).
 */

export type LockKind = 'FLOCK' | 'POSIX';
/** READ = shared (flock LOCK_SH, fcntl F_RDLCK), WRITE = exclusive (LOCK_EX, F_WRLCK). */
export type LockMode = 'READ' | 'WRITE';
export type LockType = LockMode | 'UNLOCK';

/** End of a POSIX range that runs to the end of the file and beyond (l_len 0). */
export const TO_EOF = Number.POSITIVE_INFINITY;

/**
 * Longest a blocking Lock call waits on the master before it replies `acquired: false` and the
 * client calls again: no RPC waits for ever, and the waiter of a client that died is dropped
 * within this bound (or at once when its call is cancelled). It is also how long an interrupted
 * waiter in a mount (signal, kill) takes to answer EINTR: the mount checks between two calls.
 */
export const LOCK_WAIT_MS_MAX = 2_000;

/** A lock request as the client library takes it. */
export interface LockSpec {
  kind: LockKind;
  ino: number;
  /** flock: the open file description; POSIX: the lock owner. Unique within one mount session. */
  owner: string;
  type: LockType;
  /** POSIX: first byte (default 0); ignored for FLOCK. */
  start?: number;
  /** POSIX: bytes, 0 = to the end of file (default 0); ignored for FLOCK. */
  length?: number;
  /** The locking process, reported to others by getLock. */
  pid?: number;
  /** 0 (default): fail with EAGAIN on a conflict; else wait up to this long (≤ LOCK_WAIT_MS_MAX). */
  waitMs?: number;
}

/** A lock someone holds, as getLock reports it (F_GETLK). */
export interface LockInfo {
  kind: LockKind;
  type: LockMode;
  start: number;
  /** 0 = to the end of file. */
  length: number;
  pid: number;
}
