/**
 * The master's Prometheus metrics (GET /metrics on master.httpListen): RPCs by method and
 * status with latencies, committed upload bytes, gateway bytes, bad-replica reports, and
 * cluster gauges read at scrape time from the same ClusterStatus the dashboard uses (servers
 * by state, heartbeat age, chunks, replication queue, under-replicated/corrupt/missing).
 *
 * Plain running totals (`totals`) feed the dashboard's throughput chart without going
 * through prom-client's asynchronous getters.
 */
import { Counter, Gauge } from 'prom-client';
import { createRpcMetrics, instrumentHandlers, type RpcMetrics } from '../../common/metrics';
import { proto } from '../../common/rpc';
import type { MasterHandlers } from '../../generated/dfs/Master';
import type { ClusterStatus } from './cluster-status';
import type { Counters } from './throughput';

const READ_METHODS = new Set(['GetChunks']);
const WRITE_METHODS = new Set(['GetLease']);

export class MasterMetrics {
  readonly rpc: RpcMetrics;
  readonly totals: Counters = { readOps: 0, writeOps: 0, readBytes: 0, writeBytes: 0 };
  private readonly committedBytes: Counter;
  private readonly badReplicaReports: Counter;
  readonly gatewayBytes: Counter<'direction'>;
  readonly gatewayRequests: Counter<'method' | 'status'>;
  private status: ClusterStatus | undefined;

  constructor() {
    this.rpc = createRpcMetrics('dfs_master');
    const registers = [this.rpc.registry];
    this.committedBytes = new Counter({ name: 'dfs_master_committed_bytes_total', help: 'File bytes committed by uploads (CommitUpload)', registers });
    this.badReplicaReports = new Counter({ name: 'dfs_master_checksum_errors_total', help: 'Bad replicas reported by clients and chunkservers (checksum mismatches)', registers });
    this.gatewayBytes = new Counter({ name: 'dfs_master_gateway_bytes_total', help: 'File bytes through the HTTP gateway', labelNames: ['direction'], registers });
    this.gatewayRequests = new Counter({ name: 'dfs_master_gateway_requests_total', help: 'HTTP gateway requests by method and status', labelNames: ['method', 'status'], registers });
    this.defineClusterGauges();
  }

  /** The gauges read the cluster through `status` (set once the HTTP server runs). */
  attach(status: ClusterStatus | undefined): void {
    this.status = status;
  }

  /** The master's handlers, counted and timed. */
  handlers(h: MasterHandlers): MasterHandlers {
    return instrumentHandlers(proto().dfs.Master.service, h, this.rpc, (method, req) => {
      if (READ_METHODS.has(method)) this.totals.readOps++;
      if (WRITE_METHODS.has(method)) this.totals.writeOps++;
      if (method === 'CommitUpload') {
        const size = Number((req as { size?: unknown }).size ?? 0);
        if (Number.isFinite(size) && size > 0) { this.committedBytes.inc(size); this.totals.writeBytes += size; }
      }
      if (method === 'ReportBadReplica') this.badReplicaReports.inc();
    });
  }

  /** dfs_master_transactions_total: namespace write transactions started, read from `started` at scrape time. */
  countTransactions(started: () => number): void {
    let reported = 0;
    new Counter({
      name: 'dfs_master_transactions_total', help: 'Namespace write transactions started (each a durable LMDB commit when it succeeds)', registers: [this.rpc.registry],
      collect() {
        const now = started();
        this.inc(now - reported);
        reported = now;
      },
    });
  }

  /** dfs_master_lmdb_used_bytes: the namespace's LMDB pages in use, read from `used` at scrape time. */
  measureStore(used: () => number): void {
    new Gauge({
      name: 'dfs_master_lmdb_used_bytes', help: 'Bytes of the LMDB pages holding the namespace (the data file keeps its high-water size)', registers: [this.rpc.registry],
      collect() { this.set(used()); },
    });
  }

  /** dfs_master_chunks_granted_ahead: new chunks granted on chunkservers and not used yet, read from `pooled` at scrape time. */
  countGrantedAhead(pooled: () => number): void {
    new Gauge({
      name: 'dfs_master_chunks_granted_ahead', help: 'New chunks granted ahead of demand and not used yet (cluster.grantAheadChunks)', registers: [this.rpc.registry],
      collect() { this.set(pooled()); },
    });
  }

  gatewayRead(bytes: number): void {
    this.gatewayBytes.inc({ direction: 'out' }, bytes);
    this.totals.readBytes += bytes;
  }

  gatewayWritten(bytes: number): void {
    this.gatewayBytes.inc({ direction: 'in' }, bytes);
  }

  private defineClusterGauges(): void {
    const registers = [this.rpc.registry];
    const self = this;
    new Gauge({
      name: 'dfs_master_chunkservers', help: 'Chunkservers by state', labelNames: ['state'], registers,
      async collect() {
        if (!self.status) return;
        this.reset();
        const counts = new Map<string, number>([['ALIVE', 0], ['DEAD', 0]]);
        for (const n of await self.status.nodes().catch(() => [])) counts.set(n.state, (counts.get(n.state) ?? 0) + 1);
        for (const [state, n] of counts) this.set({ state }, n);
      },
    });
    const perServer = (name: string, help: string, read: (n: Awaited<ReturnType<ClusterStatus['nodes']>>[number]) => number): void => {
      new Gauge({
        name, help, labelNames: ['server'], registers,
        async collect() {
          if (!self.status) return;
          this.reset();
          for (const n of await self.status.nodes().catch(() => [])) this.set({ server: n.serverId }, read(n));
        },
      });
    };
    perServer('dfs_master_chunkserver_heartbeat_age_seconds', 'Seconds since the last heartbeat of each chunkserver', (n) => n.heartbeatAgeMs / 1000);
    perServer('dfs_master_chunkserver_chunks', 'Replicas on each chunkserver', (n) => n.chunkCount);
    perServer('dfs_master_chunkserver_used_bytes', 'Used bytes of each chunkserver', (n) => n.usedBytes);
    perServer('dfs_master_chunkserver_capacity_bytes', 'Capacity of each chunkserver', (n) => n.capacityBytes);
    const cluster = (name: string, help: string, read: (s: Awaited<ReturnType<ClusterStatus['summary']>>) => number | boolean | null): void => {
      new Gauge({
        name, help, registers,
        async collect() {
          if (!self.status) return;
          const s = await self.status.summary().catch(() => undefined);
          const v = s ? read(s) : null;
          if (v !== null) this.set(Number(v));
        },
      });
    };
    cluster('dfs_master_files', 'Inodes in the namespace', (s) => s.files);
    cluster('dfs_master_chunks', 'Chunks in the namespace', (s) => s.chunks);
    cluster('dfs_master_replication_queue_length', 'Re-replication copies in flight', (s) => s.replicationQueue);
    cluster('dfs_master_chunks_under_replicated', 'Chunks with fewer live replicas than their goal', (s) => s.underReplicated);
    cluster('dfs_master_chunks_corrupt', 'Chunks without a good replica', (s) => s.corrupt);
    cluster('dfs_master_chunks_missing', 'Chunks without any live replica', (s) => s.missing);
    cluster('dfs_master_safe_mode', '1 while the master is in safe mode', (s) => s.safeMode);
  }
}
