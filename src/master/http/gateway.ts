/**
 * The HTTP gateway: `GET/HEAD/PUT/DELETE /fs/<path>` streamed through the client library, so
 * `curl -T file http://HOST:7080/fs/dir/file` uploads and `curl http://HOST:7080/fs/dir/file`
 * downloads.
 *
 * - PUT streams the request body into DfsClient.put (Content-Length as the size hint): memory
 *   stays at the client's bound (client.parallelChunks × cluster chunk size), whatever the
 *   body size. Missing parent folders are created (as an object store would). Query:
 *   `replication=N`, `chunkSize=BYTES`, `overwrite=false`. 201 with the new file's size and
 *   SHA-256; the file is visible only once complete.
 * - GET of a file streams it, verified against its SHA-256: its last piece is held back until
 *   the whole file matched, and a mismatch (or any failure) cuts the connection short of the
 *   Content-Length, so a client never takes a bad body as complete; a Range header is served with 206 in
 *   pieces of RANGE_PIECE_BYTES, waiting for 'drain'. GET of a folder returns its listing as JSON.
 * - DELETE removes a file or an empty folder, as rm and rmdir (a folder and all in it with
 *   `recursive=true`; a non-empty one without is ENOTEMPTY); 204.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { DfsError } from '../../common/errors';
import { chunkSizeProblem, replicationProblem } from '../../common/limits';
import { normalizePath, parentOf } from '../../common/paths';
import type { DfsClient } from '../../client/dfs-client';
import type { Attr } from '../../client/types';
import { parseRange } from './byte-range';
import { sendError, sendJson } from './http-errors';
import type { MasterMetrics } from './master-metrics';

export const GATEWAY_PREFIX = '/fs';
/** Bytes read per readRange call of a ranged GET. */
export const RANGE_PIECE_BYTES = 4 * 1024 * 1024;
/** Entries in the JSON listing of a folder GET. */
export const LISTING_ENTRIES_MAX = 1_000;

/** `/fs/a%20b/c` → `/a b/c`; EINVAL for a bad escape or path. */
export function gatewayPath(urlPath: string): string {
  const rest = urlPath.slice(GATEWAY_PREFIX.length) || '/';
  let decoded: string;
  try {
    decoded = rest.split('/').map((part) => {
      const name = decodeURIComponent(part);
      // an escaped slash would become a separator: no name holds one
      if (name.includes('/')) throw new DfsError('EINVAL', `a name cannot hold "/" (escaped in ${rest})`);
      return name;
    }).join('/');
  } catch (e) {
    if (e instanceof DfsError) throw e;
    throw new DfsError('EINVAL', `bad escape in path: ${rest}`);
  }
  return normalizePath(decoded);
}

/**
 * Resolves once `res` can take more ('drain'), or once it closed (the caller then sees
 * `res.destroyed`); every listener it added is gone when it resolves (a slow client waits
 * here once per buffer).
 */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * The body of a verified download: writes the headers with the first bytes (so a file that
 * cannot be read at all is answered with a proper error status), then every buffer but the
 * last one, which release() sends once the whole file verified. A write after the client went
 * away fails the download (CANCELLED); it never emits 'error' into nobody's hands.
 */
class HoldLast extends Writable {
  private held: Buffer | undefined;

  constructor(private readonly res: ServerResponse, private readonly writeHead: () => void) {
    super();
    // a failed write destroys this stream with the error; the download learns it from write()
    // and its drain wait (download.ts), so the 'error' event itself needs no one (and must not crash)
    this.on('error', () => {});
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    const previous = this.held;
    this.held = chunk;
    this.forward(previous).then(() => done(), done);
  }

  async release(): Promise<void> {
    const last = this.held;
    this.held = undefined;
    if (!this.res.headersSent) this.writeHead(); // an empty file
    await this.forward(last);
  }

  private async forward(data: Buffer | undefined): Promise<void> {
    if (!data) return;
    if (this.res.destroyed) throw new DfsError('CANCELLED', 'client went away');
    if (!this.res.headersSent) this.writeHead();
    if (!this.res.write(data)) await drainedOrClosed(this.res);
  }
}

function boolParam(q: URLSearchParams, name: string, dflt: boolean): boolean {
  const v = q.get(name);
  if (v === null) return dflt;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new DfsError('EINVAL', `bad ${name}: ${v} (expected true or false)`);
}

/**
 * A layout parameter of a PUT (chunkSize, replication): absent or empty = the folder's or the
 * cluster's; anything else must pass `problemOf` (src/common/limits.ts), else EINVAL saying what
 * is expected (0 is no "default" here: `dfs put --chunk-size 0` is refused alike).
 */
function layoutParam(q: URLSearchParams, name: string, problemOf: (n: number) => string | undefined): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  const problem = Number.isSafeInteger(n) ? problemOf(n) : 'a positive integer';
  if (problem) throw new DfsError('EINVAL', `bad ${name}: ${v} (expected ${problem})`);
  return n;
}

export class Gateway {
  constructor(private readonly client: DfsClient, private readonly metrics: MasterMetrics) {}

  /** Serves one /fs request; returns the status sent. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<number> {
    try {
      const path = gatewayPath(url.pathname);
      // a trailing slash names a folder, as in a local path: a file there is ENOTDIR
      const folderOnly = url.pathname.length > GATEWAY_PREFIX.length + 1 && url.pathname.endsWith('/');
      switch (req.method) {
        case 'GET': case 'HEAD': return await this.get(req, res, path, url.searchParams, folderOnly);
        case 'PUT': return await this.put(req, res, path, url.searchParams);
        case 'DELETE': return await this.remove(res, path, url.searchParams, folderOnly);
        default:
          res.setHeader('allow', 'GET, HEAD, PUT, DELETE');
          sendJson(res, 405, { error: 'METHOD_NOT_ALLOWED', message: `${req.method} is not served on /fs (GET, HEAD, PUT, DELETE)` });
          return 405;
      }
    } catch (e) {
      if (req.method === 'PUT' && !req.complete) req.resume();
      return sendError(res, e);
    }
  }

  private async put(req: IncomingMessage, res: ServerResponse, path: string, q: URLSearchParams): Promise<number> {
    if (path === '/') throw new DfsError('EISDIR', 'cannot PUT the root');
    const length = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
    const sizeHint = length !== undefined && Number.isSafeInteger(length) && length >= 0 ? length : undefined;
    const opts = {
      replication: layoutParam(q, 'replication', replicationProblem), chunkSizeBytes: layoutParam(q, 'chunkSize', chunkSizeProblem),
      overwrite: boolParam(q, 'overwrite', true),
    };
    const [parent] = parentOf(path);
    if (parent !== '/') {
      await this.client.mkdir(parent, { parents: true }).catch((e: unknown) => {
        // the folder's name is taken by a file: the new file's path is what is wrong
        if (e instanceof DfsError && e.code === 'EEXIST') throw new DfsError('ENOTDIR', `not a directory: ${parent}`);
        throw e;
      });
    }
    const attr = await this.client.put(req, path, { ...opts, sizeHint });
    this.metrics.gatewayWritten(attr.size);
    sendJson(res, 201, { path, size: attr.size, sha256: Buffer.from(attr.sha256).toString('hex') });
    return 201;
  }

  private async remove(res: ServerResponse, path: string, q: URLSearchParams, folderOnly = false): Promise<number> {
    if (path === '/') throw new DfsError('EPERM', 'refusing to remove the root');
    const recursive = boolParam(q, 'recursive', false);
    if (folderOnly && (await this.client.stat(path)).type !== 'DIRECTORY') throw new DfsError('ENOTDIR', `${path}: not a folder`);
    await this.client.delete(path, { recursive, kind: 'ANY' });
    res.writeHead(204).end();
    return 204;
  }

  private async get(req: IncomingMessage, res: ServerResponse, path: string, q: URLSearchParams, folderOnly = false): Promise<number> {
    const attr = await this.client.stat(path);
    if (attr.type === 'DIRECTORY') return this.listing(res, path, q);
    if (folderOnly) throw new DfsError('ENOTDIR', `${path}: not a folder`);
    if (attr.type !== 'REGULAR') throw new DfsError('EINVAL', `${path}: not a regular file`);
    const headers: Record<string, string | number> = {
      'content-type': 'application/octet-stream', 'accept-ranges': 'bytes',
      'last-modified': new Date(Number(attr.mtime?.sec ?? 0) * 1000).toUTCString(),
    };
    if (attr.sha256.length > 0) headers.etag = `"${Buffer.from(attr.sha256).toString('hex')}"`;
    const range = parseRange(req.headers.range, attr.size);
    if (range.kind === 'unsatisfiable') {
      res.setHeader('content-range', `bytes */${attr.size}`);
      sendJson(res, 416, { error: 'RANGE_NOT_SATISFIABLE', message: `the range asks past the end of the ${attr.size}-byte file` });
      return 416;
    }
    if (range.kind === 'none') {
      const writeHead = (): void => { res.writeHead(200, { ...headers, 'content-length': attr.size }); };
      if (req.method === 'HEAD') { writeHead(); res.end(); return 200; }
      const body = new HoldLast(res, writeHead);
      await this.client.get(path, body);
      await body.release();
      res.end();
      this.metrics.gatewayRead(attr.size);
      return 200;
    }
    const length = range.end - range.start + 1;
    const writeHead = (): void => {
      res.writeHead(206, { ...headers, 'content-length': length, 'content-range': `bytes ${range.start}-${range.end}/${attr.size}` });
    };
    if (req.method === 'HEAD') { writeHead(); res.end(); return 206; }
    await this.sendRange(res, attr, range.start, length, writeHead);
    res.end();
    return 206;
  }

  /**
   * Streams [start, start+length) in pieces, honouring back-pressure; the headers go with the
   * first piece, so a range that cannot be read is answered with its error status.
   */
  private async sendRange(res: ServerResponse, attr: Attr, start: number, length: number, writeHead: () => void): Promise<void> {
    this.client.invalidate(attr.ino);
    for (let at = start; at < start + length;) {
      const piece = await this.client.readRange(attr.ino, at, Math.min(RANGE_PIECE_BYTES, start + length - at));
      if (piece.length === 0) throw new DfsError('EIO', 'file shrank while it was read');
      at += piece.length;
      this.metrics.gatewayRead(piece.length);
      if (res.destroyed) throw new DfsError('CANCELLED', 'client went away');
      if (!res.headersSent) writeHead();
      if (!res.write(piece)) await drainedOrClosed(res);
    }
  }

  private async listing(res: ServerResponse, path: string, q: URLSearchParams): Promise<number> {
    const page = await this.client.list(path, { startAfter: q.get('startAfter') ?? '', limit: LISTING_ENTRIES_MAX });
    sendJson(res, 200, {
      path, eof: page.eof,
      entries: page.entries.map((e) => ({ name: e.name, type: e.attr?.type, size: e.attr?.size })),
    });
    return 200;
  }
}
