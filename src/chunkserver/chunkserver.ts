/**
 * A chunkserver: the chunk store on `dataDir`, the `Chunkserver` gRPC service and the heartbeat
 * link to the master.
 *
 * Startup order: identity, inventory scan (temp files cleaned), gRPC server bound, THEN the
 * master link started in the background. The master being down never fails startup: the link
 * keeps retrying with backoff while reads and writes are served.
 *
 * A data folder that is no longer this server's (deleted, its lock gone or taken: checked every
 * heartbeat interval, data-dir-check.ts) is fatal: the server logs why and stops itself, and
 * `failed` resolves with the reason (`dfs chunkserver` then exits with status 1).
 */
import * as grpc from '@grpc/grpc-js';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../common/clock';
import { readLineFile, takeDataDir, writeFileAtomic } from '../common/data-dir';
import type { Config } from '../common/config';
import { logger } from '../common/logger';
import { DfsError } from '../common/errors';
import { dataDirProblem } from './data-dir-check';
import { SERVER_OPTIONS, bindServer, proto, stopServer, withPort } from '../common/rpc';
import { FileChunkStore, type ChunkStore } from './chunk-store';
import { chunkserverHandlers } from './chunkserver-service';
import { CHUNKSERVER_CALLS, serveMetaCalls } from '../common/meta-calls';
import type { ChunkserverHandlers } from '../generated/dfs/Chunkserver';
import { ClientPool } from './client-pool';
import { DataLinks } from '../common/data-link';
import type { ChunkserverContext } from './context';
import { HeartbeatLoop } from './heartbeat';
import { LeaseTable } from './lease-table';
import { RateLimiter } from '../common/rate-limiter';
import { replicateChunk } from './replicate';
import { Scrubber } from './scrubber';
import { ChunkserverMetrics } from './chunkserver-metrics';
import { serveMetrics, type MetricsServer } from '../common/metrics';

export interface ChunkserverOptions {
  config: Config;
  masterAddress: string;
  /** HOST:PORT, port 0 = any. */
  listen: string;
  dataDir: string;
  id?: string;
  advertise?: string;
  /** Tests: a clock for leases. */
  clock?: Clock;
  /** Tests: wrap or replace the store (fault injection). */
  wrapStore?: (store: ChunkStore) => ChunkStore;
}

export interface ChunkserverHandle {
  id: string;
  /** HOST:PORT actually bound/advertised. */
  address: string;
  /** HOST:PORT of /metrics (chunkserver.httpListen), undefined when off. */
  httpAddress?: string;
  dataDir: string;
  /** The data file of a chunk, for fault-injection tests. */
  chunkPath(handle: number): string;
  stop(): Promise<void>;
  /** Resolves when the server stopped itself on a fatal error (its data folder gone); stop() was called. */
  failed: Promise<DfsError>;
}

const SERVER_ID_FILE = 'server-id';

/** opts.id, else config, else DATA_DIR/server-id, else a new id written there. */
async function resolveServerId(opts: ChunkserverOptions): Promise<string> {
  const given = opts.id || opts.config.chunkserver.id;
  if (given) return given;
  const file = join(opts.dataDir, SERVER_ID_FILE);
  const stored = await readLineFile(file);
  if (stored) return stored;
  const id = `cs-${randomBytes(6).toString('hex')}`;
  await writeFileAtomic(file, `${id}\n`);
  return id;
}

/** Starts serving on `listen`; resolves once bound. The master link runs in the background. */
export async function startChunkserver(opts: ChunkserverOptions): Promise<ChunkserverHandle> {
  const dirLock = takeDataDir(opts.dataDir, 'chunkserver');
  const id = await resolveServerId(opts);
  const log = logger('chunkserver', { id });
  let heartbeat: HeartbeatLoop | undefined;
  const metrics = new ChunkserverMetrics(id, () => store);
  const fileStore = new FileChunkStore({
    dataDir: opts.dataDir,
    compression: { mode: opts.config.chunkserver.compression, entropyMaxBitsPerByte: opts.config.chunkserver.compressionEntropyMaxBitsPerByte },
    log: logger('chunk-store', { id }),
    onBad: (bad) => { metrics.checksumErrors.inc(); heartbeat?.reportBad(bad.handle, bad.reason); },
  });
  const store = metrics.store(opts.wrapStore ? opts.wrapStore(fileStore) : fileStore);
  await store.load();

  const clock = opts.clock ?? systemClock;
  const server = new grpc.Server(SERVER_OPTIONS);
  const ctx: ChunkserverContext = {
    id, address: '', config: opts.config, store, leases: new LeaseTable(clock), clients: new ClientPool(), links: new DataLinks(), clock, log,
    replicationLimiter: opts.config.chunkserver.replicationBytesPerSec > 0 ? new RateLimiter(opts.config.chunkserver.replicationBytesPerSec) : undefined,
  };
  // open Calls streams (the master's Grants, the clients' small reads), ended at stop
  const streams = new Set<{ end(): void }>();
  const served: ChunkserverHandlers = metrics.handlers(chunkserverHandlers(ctx,
    (call) => serveMetaCalls(call, served as unknown as Record<string, unknown>, streams, CHUNKSERVER_CALLS)));
  server.addService(proto().dfs.Chunkserver.service, served);
  const port = await bindServer(server, opts.listen);
  const httpListen = opts.config.chunkserver.httpListen;
  let metricsHttp: MetricsServer | undefined;
  try {
    metricsHttp = httpListen ? await serveMetrics(httpListen, metrics.rpc.registry) : undefined;
  } catch (e) {
    await stopServer(server, 0);
    throw e;
  }
  ctx.address = opts.advertise || opts.config.chunkserver.advertise || withPort(opts.listen, port);
  log.info({ address: ctx.address, dataDir: opts.dataDir, chunks: store.count() }, 'chunkserver serving');

  heartbeat = new HeartbeatLoop({
    id, address: ctx.address, masterAddress: opts.masterAddress, dataDir: opts.dataDir, config: opts.config, store,
    log: logger('heartbeat', { id }), replicate: (task) => replicateChunk(ctx, task),
  });
  heartbeat.start();
  const leaseSweep = setInterval(() => ctx.leases.sweep(), 10_000);
  leaseSweep.unref();
  const scrubber = new Scrubber(store, opts.config.chunkserver.scrubBytesPerSec, logger('scrubber', { id }),
    opts.config.chunkserver.scrubPassPauseMs);
  scrubber.start();
  // no_sync writes (the mount's) become durable within syncIntervalMs without any fsync asked
  const syncIntervalMs = opts.config.chunkserver.syncIntervalMs;
  const backgroundSync = syncIntervalMs > 0 ? setInterval(() => {
    store.syncAll().catch((e) => log.error({ err: (e as Error).message }, 'background sync failed'));
    void store.removeLeftovers();
  }, syncIntervalMs) : undefined;
  backgroundSync?.unref();

  let stopping: Promise<void> | undefined;
  let fail!: (e: DfsError) => void;
  const failed = new Promise<DfsError>((resolve) => { fail = resolve; });
  let checking = false; // one check at a time: a hung disk must not pile them up
  const dirCheck = setInterval(() => {
    if (checking) return;
    checking = true;
    void dataDirProblem(opts.dataDir).then((problem) => {
      checking = false;
      if (!problem || stopping) return;
      const err = new DfsError('DISK_ERROR', `data folder ${opts.dataDir} is no longer usable: ${problem}`);
      log.fatal({ dataDir: opts.dataDir, problem }, 'data folder lost: stopping the chunkserver');
      handle.stop()
        .catch((e) => log.error({ err: (e as Error).message }, 'stop after a fatal error failed'))
        .finally(() => fail(err));
    });
  }, opts.config.chunkserver.heartbeatIntervalMs);
  dirCheck.unref();

  const handle: ChunkserverHandle = {
    id,
    address: ctx.address,
    httpAddress: metricsHttp?.address,
    dataDir: opts.dataDir,
    chunkPath: (h) => store.chunkPath(h),
    failed,
    stop: () => (stopping ??= (async () => {
      clearInterval(dirCheck);
      clearInterval(leaseSweep);
      await scrubber.stop();
      await heartbeat!.stop();
      for (const call of streams) call.end();
      streams.clear();
      await stopServer(server, 1000);
      clearInterval(backgroundSync);
      await store.syncAll().catch((e) => log.error({ err: (e as Error).message }, 'sync at stop failed'));
      await metricsHttp?.close();
      ctx.clients.close();
      ctx.links.close();
      dirLock.release();
      log.info('chunkserver stopped');
    })()),
  };
  return handle;
}
