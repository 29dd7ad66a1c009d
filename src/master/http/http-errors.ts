/**
 * DfsError codes as HTTP statuses (the one place the HTTP layer translates them) and the JSON
 * error body `{ "error": CODE, "message": TEXT }`.
 */
import type { ServerResponse } from 'node:http';
import { asDfsError, type DfsErrorCode } from '../../common/errors';

const STATUS_OF: Partial<Record<DfsErrorCode, number>> = {
  ENOENT: 404, CHUNK_NOT_FOUND: 404, UPLOAD_NOT_FOUND: 404,
  EEXIST: 409, ENOTDIR: 409, EISDIR: 409, ENOTEMPTY: 409, EBUSY: 409,
  EINVAL: 400, ENAMETOOLONG: 414, BAD_FRAME: 400,
  EACCES: 403, EPERM: 403, EROFS: 403, // WebHDFS answers safe mode's refusals with 403
  ENOSPC: 507, EFBIG: 413, NO_SERVERS: 503, UNAVAILABLE: 503, ETIMEDOUT: 504,
  CHECKSUM_MISMATCH: 502, EIO: 502, ENOTSUP: 501, CANCELLED: 499,
};

export function httpStatusOf(code: DfsErrorCode): number {
  return STATUS_OF[code] ?? 500;
}

/** Sends the error as JSON when nothing was sent yet; otherwise cuts the connection (a truncated body must not look complete). */
export function sendError(res: ServerResponse, e: unknown): number {
  const err = asDfsError(e);
  const status = httpStatusOf(err.code);
  if (res.headersSent) {
    res.destroy(err);
    return status;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ error: err.code, message: err.message }) + '\n');
  return status;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body) + '\n');
}
