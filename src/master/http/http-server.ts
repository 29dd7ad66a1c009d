/**
 * The master's HTTP server on `master.httpListen` (default 127.0.0.1:7080; "" = off):
 *
 *   GET  /                     the dashboard (dashboard-page.ts, refreshes by itself)
 *   GET  /api/summary          capacity, files, chunks, servers, replication health, safe mode
 *   GET  /api/nodes            one row per chunkserver
 *   GET  /api/ls?path=P        one page of a folder (startAfter=NAME, limit=N ≤ 1000)
 *   GET  /api/file?path=P      a file's attributes and chunks with the replicas of each
 *   GET  /api/throughput       reads/writes per second over the last THROUGHPUT_SAMPLES_MAX s
 *   GET  /metrics              Prometheus text format
 *   GET|HEAD|PUT|DELETE /fs/P  the gateway (gateway.ts)
 *
 * Everything is read through a DfsClient of this master on loopback (the same API the CLI
 * uses); the server holds no cluster state beyond the throughput ring. Started after the
 * gRPC server is bound, closed before it stops.
 */
import * as http from 'node:http';
import type { Config } from '../../common/config';
import { DfsError } from '../../common/errors';
import { closeHttp, listenHttp } from '../../common/metrics';
import { logger } from '../../common/logger';
import { normalizePath } from '../../common/paths';
import { DfsClient } from '../../client/dfs-client';
import { msOfTimespec } from '../../client/util';
import { ClusterStatus } from './cluster-status';
import { DASHBOARD_HTML } from './dashboard-page';
import { Gateway, GATEWAY_PREFIX } from './gateway';
import { sendError, sendJson } from './http-errors';
import type { MasterMetrics } from './master-metrics';
import { ThroughputHistory } from './throughput';

export const THROUGHPUT_INTERVAL_MS = 1_000;
export const THROUGHPUT_SAMPLES_MAX = 300;
export const LS_ENTRIES_MAX = 1_000;

export interface MasterHttpOptions {
  config: Config;
  /** HOST:PORT to bind (port 0 = any). */
  listen: string;
  /** The master's gRPC address (loopback client). */
  masterAddress: string;
  metrics: MasterMetrics;
}

export interface MasterHttp {
  /** HOST:PORT actually bound. */
  address: string;
  close(): Promise<void>;
}

function requirePath(q: URLSearchParams): string {
  const p = q.get('path');
  if (p === null || p === '') throw new DfsError('EINVAL', 'missing ?path=');
  return normalizePath(p);
}

/** Starts the HTTP server; rejects with UNAVAILABLE when `listen` cannot be bound. */
export async function startMasterHttp(opts: MasterHttpOptions): Promise<MasterHttp> {
  const log = logger('master-http');
  const client = new DfsClient({ masterAddress: opts.masterAddress, config: opts.config });
  const status = new ClusterStatus(client, opts.config.client.rpcTimeoutMs, Date.now());
  const gateway = new Gateway(client, opts.metrics);
  const history = new ThroughputHistory(THROUGHPUT_SAMPLES_MAX);
  opts.metrics.attach(status);
  history.record(Date.now(), opts.metrics.totals);
  const sampler = setInterval(() => history.record(Date.now(), opts.metrics.totals), THROUGHPUT_INTERVAL_MS);
  sampler.unref();

  async function api(route: string, q: URLSearchParams, res: http.ServerResponse): Promise<void> {
    switch (route) {
      case '/api/summary': return sendJson(res, 200, await status.summary());
      case '/api/nodes': return sendJson(res, 200, { nodes: await status.nodes() });
      case '/api/throughput': return sendJson(res, 200, { intervalMs: THROUGHPUT_INTERVAL_MS, samples: history.samples() });
      case '/api/ls': {
        const path = requirePath(q);
        const limit = Math.min(LS_ENTRIES_MAX, Math.max(1, Number(q.get('limit') ?? LS_ENTRIES_MAX) || LS_ENTRIES_MAX));
        const page = await client.list(path, { startAfter: q.get('startAfter') ?? '', limit });
        return sendJson(res, 200, {
          path, eof: page.eof,
          entries: page.entries.map((e) => ({
            name: e.name, type: e.attr?.type ?? 'UNKNOWN', size: e.attr?.size ?? 0, replication: e.attr?.replication ?? 0,
            chunkCount: e.attr?.chunkCount ?? 0, mtimeUnixMs: e.attr?.mtime ? msOfTimespec(e.attr.mtime) : 0,
          })),
        });
      }
      case '/api/file': {
        const path = requirePath(q);
        const attr = await client.stat(path);
        const chunks = attr.type === 'REGULAR' && attr.chunkCount > 0 ? await client.locate(path) : [];
        return sendJson(res, 200, {
          path, type: attr.type, size: attr.size, replication: attr.replication, chunkSize: attr.chunkSize, ino: attr.ino,
          mtimeUnixMs: attr.mtime ? msOfTimespec(attr.mtime) : 0, sha256: Buffer.from(attr.sha256 ?? []).toString('hex'),
          chunks: chunks.map((c) => ({ index: c.index, handle: c.handle, version: c.version, replicas: c.replicas.map((r) => ({ serverId: r.serverId, address: r.address })) })),
        });
      }
      default:
        throw new DfsError('ENOENT', `no such API: ${route}`);
    }
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://dfs.invalid');
    const path = url.pathname;
    if (path === GATEWAY_PREFIX || path.startsWith(GATEWAY_PREFIX + '/')) {
      const code = await gateway.handle(req, res, url);
      opts.metrics.gatewayRequests.inc({ method: req.method ?? '?', status: String(code) });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      sendJson(res, 405, { error: 'METHOD_NOT_ALLOWED', message: `${req.method} is not served here (GET, HEAD)` });
      return;
    }
    try {
      if (path === '/' || path === '/index.html') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(DASHBOARD_HTML);
      } else if (path === '/metrics') {
        const text = await opts.metrics.rpc.registry.metrics();
        res.writeHead(200, { 'content-type': opts.metrics.rpc.registry.contentType }).end(text);
      } else if (path.startsWith('/api/')) {
        await api(path, url.searchParams, res);
      } else {
        throw new DfsError('ENOENT', `not found: ${path}`);
      }
    } catch (e) {
      sendError(res, e);
    }
  }

  const server = http.createServer((req, res) => {
    route(req, res).catch((e) => {
      log.warn({ peer: req.socket.remoteAddress, url: req.url, err: (e as Error).message }, 'http request failed');
      if (!res.headersSent) sendError(res, e);
      else res.destroy();
    });
  });
  // A slow client may hold a gateway transfer, but not an idle socket forever.
  server.keepAliveTimeout = 5_000;
  server.requestTimeout = 0;
  let address: string;
  try {
    address = await listenHttp(server, opts.listen);
  } catch (e) {
    clearInterval(sampler);
    status.close();
    client.close();
    throw e;
  }
  log.info({ address }, 'http server started');
  return {
    address,
    async close() {
      clearInterval(sampler);
      opts.metrics.attach(undefined);
      await closeHttp(server);
      status.close();
      client.close();
    },
  };
}
