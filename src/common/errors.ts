/**
 * One error type for the whole system. Code branches on `err.code`, never on a message.
 *
 * Codes that name a POSIX condition use the errno name, so the CLI and the FUSE bridge
 * translate them in one table (`errnoOf`), and gRPC carries them in one metadata key
 * (`dfs-code`, see src/common/rpc.ts).
 */
import { constants as os } from 'node:os';

export type DfsErrorCode =
  // namespace (POSIX)
  | 'ENOENT' | 'EEXIST' | 'ENOTDIR' | 'EISDIR' | 'ENOTEMPTY' | 'EINVAL' | 'ENAMETOOLONG'
  | 'EACCES' | 'EPERM' | 'ENOSPC' | 'EIO' | 'ETIMEDOUT' | 'EBUSY' | 'EFBIG' | 'ENOTSUP' | 'EXDEV'
  | 'EMLINK' | 'ENODATA' | 'ERANGE' | 'E2BIG' | 'EROFS' | 'ELOOP'
  // locks (EAGAIN is EWOULDBLOCK on Linux)
  | 'EAGAIN' | 'EDEADLK' | 'ENOLCK'
  // chunks and data path
  | 'CHUNK_NOT_FOUND' | 'STALE_VERSION' | 'CHECKSUM_MISMATCH' | 'LEASE_EXPIRED' | 'NOT_PRIMARY'
  | 'BAD_FRAME' | 'NO_SERVERS' | 'UPLOAD_NOT_FOUND' | 'NOT_REGISTERED' | 'WRONG_CLUSTER'
  | 'DUPLICATE_ID'
  // a chunkserver's own file system failed (its errno is in the message, never the code): EIO
  | 'DISK_ERROR'
  // transport and process
  | 'UNAVAILABLE' | 'CANCELLED' | 'BAD_CONFIG' | 'INTERNAL';

export class DfsError extends Error {
  readonly code: DfsErrorCode;
  constructor(code: DfsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'DfsError';
  }
}

export function isDfsError(e: unknown, code?: DfsErrorCode): e is DfsError {
  return e instanceof DfsError && (code === undefined || e.code === code);
}

/** Any thrown value as a DfsError (unknown errors become INTERNAL, Node fs errors keep their errno). */
export function asDfsError(e: unknown): DfsError {
  if (e instanceof DfsError) return e;
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err.code === 'string' && err.code in ERRNO) {
    return new DfsError(err.code as DfsErrorCode, err.message, { cause: e });
  }
  return new DfsError('INTERNAL', err?.message ?? String(e), { cause: e });
}

const ERRNO: Record<string, number> = {
  ENOENT: os.errno.ENOENT, EEXIST: os.errno.EEXIST, ENOTDIR: os.errno.ENOTDIR, EISDIR: os.errno.EISDIR,
  ENOTEMPTY: os.errno.ENOTEMPTY, EINVAL: os.errno.EINVAL, ENAMETOOLONG: os.errno.ENAMETOOLONG, ELOOP: os.errno.ELOOP,
  EACCES: os.errno.EACCES, EPERM: os.errno.EPERM, ENOSPC: os.errno.ENOSPC, EIO: os.errno.EIO,
  ETIMEDOUT: os.errno.ETIMEDOUT, EBUSY: os.errno.EBUSY, EFBIG: os.errno.EFBIG, ENOTSUP: os.errno.ENOTSUP,
  EXDEV: os.errno.EXDEV, EMLINK: os.errno.EMLINK, ENODATA: os.errno.ENODATA, ERANGE: os.errno.ERANGE,
  E2BIG: os.errno.E2BIG, EROFS: os.errno.EROFS, EAGAIN: os.errno.EAGAIN, EDEADLK: os.errno.EDEADLK, ENOLCK: os.errno.ENOLCK,
};

/** The positive errno a local file system would return for this error (EIO for data-path failures). */
export function errnoOf(e: unknown): number {
  const code = asDfsError(e).code;
  if (code in ERRNO) return ERRNO[code];
  if (code === 'NO_SERVERS') return os.errno.ENOSPC;
  if (code === 'UNAVAILABLE' || code === 'DISK_ERROR') return os.errno.EIO;
  if (code === 'UPLOAD_NOT_FOUND') return os.errno.ENOENT;
  return os.errno.EIO;
}

const MESSAGES: Partial<Record<DfsErrorCode, string>> = {
  ENOENT: 'No such file or directory', EEXIST: 'File exists', ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory', ENOTEMPTY: 'Directory not empty', EINVAL: 'Invalid argument',
  ENAMETOOLONG: 'File name too long', ELOOP: 'Too many levels of symbolic links', EACCES: 'Permission denied', EPERM: 'Operation not permitted',
  ENOSPC: 'No space left on device', EIO: 'Input/output error', ETIMEDOUT: 'Connection timed out',
  EBUSY: 'Device or resource busy', EFBIG: 'File too large', ENOTSUP: 'Operation not supported',
  EXDEV: 'Invalid cross-device link', DISK_ERROR: 'Input/output error', UNAVAILABLE: 'Service unavailable', WRONG_CLUSTER: 'Chunkserver of another cluster', DUPLICATE_ID: 'Chunkserver id in use', NO_SERVERS: 'No chunkservers available',
  CHECKSUM_MISMATCH: 'Checksum mismatch', EMLINK: 'Too many links', ENODATA: 'No data available',
  ERANGE: 'Numerical result out of range', E2BIG: 'Argument list too long', EROFS: 'Read-only file system',
  EAGAIN: 'Resource temporarily unavailable', EDEADLK: 'Resource deadlock avoided', ENOLCK: 'No locks available',
};

/** The strerror-like text of a code, as coreutils print it after the path. */
export function describeCode(code: DfsErrorCode): string {
  return MESSAGES[code] ?? code;
}
