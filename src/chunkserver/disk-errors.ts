/**
 * This chunkserver's own file-system failures, as the errors it reports.
 *
 * An errno met on the chunkserver's disk (ENOENT, EPERM, EACCES, EISDIR, ENOTDIR, EROFS, EIO …)
 * is about its data folder, never about a path of the user's. Left to `asDfsError`, it kept its
 * errno as its code, and the client took a namespace answer from it: a final error ("dfs: cannot
 * put '/x': Operation not permitted"), where the write should have gone on without this server
 * (found by black-box testing: `chattr +i` on one chunkserver's shard folders failed every put,
 * a deleted data folder failed creates with "No such file or directory"). So they travel as
 * DISK_ERROR (EIO through FUSE, retried by the client without the server that names itself).
 * ENOSPC (and EDQUOT) keep their meaning: a full server, which the client also avoids.
 */
import { DfsError } from '../common/errors';

/** Node's error of a failed system call (not a DfsError, not a bug in our code). */
export function isFsError(e: unknown): e is NodeJS.ErrnoException {
  if (e instanceof DfsError || !(e instanceof Error)) return false;
  const err = e as NodeJS.ErrnoException;
  return typeof err.code === 'string' && (typeof err.syscall === 'string' || /^E[A-Z]+$/.test(err.code));
}

/**
 * Errnos of the process or the machine, not of a replica's files: they fail the operation but
 * never make a replica bad (a chunkserver out of file descriptors would otherwise condemn every
 * replica it touched).
 */
const PROCESS_ERRNOS = new Set(['EMFILE', 'ENFILE', 'ENOMEM', 'EAGAIN', 'EINTR', 'ENOSPC', 'EDQUOT']);

/** A file-system error of the process or the machine (PROCESS_ERRNOS), not of the files it names. */
export function isProcessFailure(e: unknown): boolean {
  return isFsError(e) && PROCESS_ERRNOS.has(e.code!);
}

/** Whether `e`, met reading or opening a replica's files, says something about that replica. */
export function blamesReplica(e: unknown): boolean {
  if (e instanceof DfsError) return e.code === 'CHECKSUM_MISMATCH' || (e.code === 'DISK_ERROR' && !isProcessFailure(e.cause));
  return isFsError(e) && !isProcessFailure(e);
}

/**
 * `e` as the error this chunkserver reports: a file-system failure becomes DISK_ERROR (ENOSPC
 * when the disk is full) with `what` and the errno's message; anything else is returned as is.
 */
export function diskError(e: unknown, what: string): unknown {
  if (!isFsError(e)) return e;
  const code = e.code === 'ENOSPC' || e.code === 'EDQUOT' ? 'ENOSPC' : 'DISK_ERROR';
  return new DfsError(code, `${what}: ${e.message}`, { cause: e });
}
