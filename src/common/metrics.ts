/**
 * Prometheus metrics shared by every role (prom-client): one `Registry` per role instance, so
 * an in-process cluster (dfs local, tests) keeps each master's and chunkserver's numbers apart;
 * RPC counts and latencies by method for a gRPC service; and a tiny HTTP listener that serves
 * `/metrics` (the chunkserver's; the master serves it from its own HTTP server).
 *
 * Nothing here changes what a handler does: the wrapper only observes when the reply (or the
 * stream's end) leaves, and the listener is read-only.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type * as grpc from '@grpc/grpc-js';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DfsError } from './errors';

/** Latency buckets in seconds: 0.5 ms .. 30 s. */
const LATENCY_BUCKETS_S = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface RpcMetrics {
  registry: Registry;
  calls: Counter<'method' | 'code'>;
  seconds: Histogram<'method'>;
}

/** A registry with the process metrics (CPU, memory, event loop lag, ...) and `prefix_rpc_*`. */
export function createRpcMetrics(prefix: string, labels: Record<string, string> = {}): RpcMetrics {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  collectDefaultMetrics({ register: registry, prefix: `${prefix}_` });
  const calls = new Counter({
    name: `${prefix}_rpc_total`, help: 'gRPC calls handled, by method and final status code', labelNames: ['method', 'code'], registers: [registry],
  });
  const seconds = new Histogram({
    name: `${prefix}_rpc_duration_seconds`, help: 'gRPC handling time by method (streams: until the stream ends)',
    labelNames: ['method'], buckets: LATENCY_BUCKETS_S, registers: [registry],
  });
  return { registry, calls, seconds };
}

/** gRPC status number → its name ("OK", "NOT_FOUND", ...), for the `code` label. */
const STATUS_NAMES: Record<number, string> = {
  0: 'OK', 1: 'CANCELLED', 2: 'UNKNOWN', 3: 'INVALID_ARGUMENT', 4: 'DEADLINE_EXCEEDED', 5: 'NOT_FOUND', 6: 'ALREADY_EXISTS',
  7: 'PERMISSION_DENIED', 8: 'RESOURCE_EXHAUSTED', 9: 'FAILED_PRECONDITION', 10: 'ABORTED', 11: 'OUT_OF_RANGE',
  12: 'UNIMPLEMENTED', 13: 'INTERNAL', 14: 'UNAVAILABLE', 15: 'DATA_LOSS', 16: 'UNAUTHENTICATED',
};

function statusName(err: unknown): string {
  if (!err) return 'OK';
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' ? (STATUS_NAMES[code] ?? String(code)) : 'UNKNOWN';
}

type AnyHandler = (call: any, callback?: any) => void;

/**
 * Wraps every handler of a service so each call is counted by method and status and timed.
 * Unary and client-streaming calls are observed at their callback; server-streaming and
 * bidirectional ones when the stream finishes, fails or is cancelled (at most once).
 * `onCall(method, request)` sees each unary request (e.g. to count committed bytes).
 */
export function instrumentHandlers<H extends object>(
  service: grpc.ServiceDefinition, handlers: H, m: RpcMetrics, onCall?: (method: string, request: unknown) => void,
): H {
  const out: Record<string, AnyHandler> = {};
  for (const [name, fn] of Object.entries(handlers as Record<string, AnyHandler>)) {
    const def = service[name];
    if (!def || typeof fn !== 'function') { out[name] = fn; continue; }
    const observe = (startNs: bigint, code: string): void => {
      m.calls.inc({ method: name, code });
      m.seconds.observe({ method: name }, Number(process.hrtime.bigint() - startNs) / 1e9);
    };
    if (!def.responseStream) {
      out[name] = (call, callback) => {
        const start = process.hrtime.bigint();
        if (!def.requestStream) onCall?.(name, call.request);
        fn(call, (err: unknown, ...rest: unknown[]) => {
          observe(start, statusName(err));
          callback(err, ...rest);
        });
      };
    } else {
      out[name] = (call) => {
        const start = process.hrtime.bigint();
        let done = false;
        const end = (code: string) => () => { if (!done) { done = true; observe(start, code); } };
        call.once('finish', end('OK'));
        call.once('cancelled', end('CANCELLED'));
        call.once('error', (e: unknown) => end(statusName(e))());
        fn(call);
      };
    }
  }
  return out as H;
}

export interface MetricsServer {
  /** HOST:PORT actually bound. */
  address: string;
  close(): Promise<void>;
}

/**
 * Serves GET /metrics of `registry` on `listen` (HOST:PORT, port 0 = any); everything else is
 * 404. Rejects with UNAVAILABLE when the address cannot be bound.
 */
export async function serveMetrics(listen: string, registry: Registry): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics\n');
      return;
    }
    registry.metrics().then((text) => {
      res.writeHead(200, { 'content-type': registry.contentType }).end(req.method === 'HEAD' ? undefined : text);
    }, (e) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e)));
  });
  const address = await listenHttp(server, listen);
  return { address, close: () => closeHttp(server) };
}

/** Binds an HTTP server on HOST:PORT; resolves with the bound HOST:PORT (0.0.0.0 shown as 127.0.0.1). */
export function listenHttp(server: http.Server, listen: string): Promise<string> {
  const i = listen.lastIndexOf(':');
  const host = listen.slice(0, i);
  const port = Number(listen.slice(i + 1));
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => reject(new DfsError('UNAVAILABLE', `cannot listen on ${listen} (http): ${e.message}`));
    server.once('error', onError);
    server.listen(port, host || '127.0.0.1', () => {
      server.off('error', onError);
      const a = server.address() as AddressInfo;
      const shown = host === '0.0.0.0' || host === '' || host === '::' ? '127.0.0.1' : host;
      resolve(`${shown}:${a.port}`);
    });
  });
}

/** Stops accepting, ends idle keep-alive connections and, after graceMs, every other one. */
export function closeHttp(server: http.Server, graceMs = 1000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    timer.unref();
    server.close(() => { clearTimeout(timer); resolve(); });
    server.closeIdleConnections();
  });
}
