/**
 * In-process test cluster: one master and N chunkservers on 127.0.0.1 ephemeral ports, data in
 * a temp folder owned by the cluster. Fault hooks: stop/restart a chunkserver, restart the
 * master on the same port and folder, corrupt a chunk file. `stop()` releases everything and
 * is safe to call twice (use it in `after()`).
 */
import { mkdtemp, rm, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, setKey, type Config } from '../../src/common/config';
import { startMaster, type MasterHandle } from '../../src/master/master';
import { startChunkserver, type ChunkserverHandle } from '../../src/chunkserver/chunkserver';
import { DfsClient } from '../../src/client/dfs-client';
import { sleep } from '../../src/common/clock';
import { setLogLevel } from '../../src/common/logger';

/** Config values that make a test cluster react in fractions of a second. */
export const FAST_CONFIG: Record<string, unknown> = {
  'chunkserver.heartbeatIntervalMs': 200,
  'cluster.deadAfterMs': 3000,
  'cluster.leaseDurationMs': 10_000,
  'cluster.uploadTimeoutMs': 30_000,
  'cluster.sessionTimeoutMs': 5_000,
  'cluster.garbageGraceMs': 1_000,
  'client.rpcTimeoutMs': 5_000,
  'client.dataTimeoutMs': 10_000,
  'log.level': 'warn',
  // no background scrub unless a test asks for one: its reads would race the tests' own checks
  'chunkserver.scrubBytesPerSec': 0,
  // Never the fixed default ports: test processes run in parallel.
  'master.httpListen': '127.0.0.1:0',
  'chunkserver.httpListen': '127.0.0.1:0',
};

export interface ClusterOptions {
  chunkservers?: number;
  /** The master's background maintenance period; 0 = none (the test calls master.maintain()). */
  maintenanceIntervalMs?: number;
  /** Dotted config keys → values, applied over FAST_CONFIG. */
  config?: Record<string, unknown>;
}

export class TestCluster {
  master!: MasterHandle;
  readonly chunkservers: (ChunkserverHandle | undefined)[] = [];
  private readonly clients: DfsClient[] = [];
  private masterPort = 0;
  private stopped = false;

  private constructor(readonly root: string, readonly config: Config, private readonly count: number, private readonly maintenanceIntervalMs?: number) {}

  static async start(opts: ClusterOptions = {}): Promise<TestCluster> {
    const root = await mkdtemp(join(tmpdir(), 'dfs-cluster-'));
    const overrides = { ...FAST_CONFIG, ...(opts.config ?? {}) };
    const config = loadConfig({ env: {}, overrides });
    setLogLevel(config.log.level);
    const cluster = new TestCluster(root, config, opts.chunkservers ?? 3, opts.maintenanceIntervalMs);
    try {
      await cluster.startMaster();
      for (let i = 0; i < cluster.count; i++) await cluster.startChunkserver(i);
      await cluster.waitForServers(cluster.count);
    } catch (e) {
      await cluster.stop();
      throw e;
    }
    return cluster;
  }

  get masterAddress(): string {
    return this.master.address;
  }

  /** HOST:PORT of the master's HTTP server (dashboard, /api, /metrics, /fs); throws when it is off. */
  get httpAddress(): string {
    if (!this.master.httpAddress) throw new Error('the master runs without HTTP (master.httpListen is "")');
    return this.master.httpAddress;
  }

  /** `metaFolder`: another folder of the cluster's temp folder (a master started on the wrong one). */
  async startMaster(metaFolder = 'master'): Promise<void> {
    this.master = await startMaster({
      config: this.config,
      listen: `127.0.0.1:${this.masterPort}`,
      metaDir: join(this.root, metaFolder),
      maintenanceIntervalMs: this.maintenanceIntervalMs,
    });
    this.masterPort = this.master.port;
  }

  async restartMaster(): Promise<void> {
    await this.master.stop();
    await this.startMaster();
  }

  async startChunkserver(i: number): Promise<ChunkserverHandle> {
    const cs = await startChunkserver({
      config: this.config,
      masterAddress: `127.0.0.1:${this.masterPort}`,
      listen: '127.0.0.1:0',
      dataDir: join(this.root, `cs${i}`),
      id: `cs${i}`,
    });
    this.chunkservers[i] = cs;
    return cs;
  }

  async stopChunkserver(i: number): Promise<void> {
    const cs = this.chunkservers[i];
    this.chunkservers[i] = undefined;
    await cs?.stop();
  }

  /** A client of this cluster, closed by stop(). */
  client(opts: { sessionId?: string } = {}): DfsClient {
    const c = new DfsClient({ masterAddress: this.masterAddress, config: this.config, sessionId: opts.sessionId });
    this.clients.push(c);
    return c;
  }

  /** Waits until the master lists `n` alive chunkservers (bounded by `timeoutMs`). */
  async waitForServers(n: number, timeoutMs = 10_000): Promise<void> {
    const c = new DfsClient({ masterAddress: this.masterAddress, config: this.config });
    try {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const nodes = await c.nodes().catch(() => []);
        if (nodes.filter((x) => x.state === 'ALIVE').length >= n) return;
        if (Date.now() > deadline) throw new Error(`only ${nodes.length} chunkservers alive after ${timeoutMs} ms`);
        await sleep(50);
      }
    } finally {
      c.close();
    }
  }

  /** Every chunk data file on chunkserver i's disk. */
  async chunkFiles(i: number): Promise<string[]> {
    const dir = join(this.root, `cs${i}`, 'chunks');
    const out: string[] = [];
    for (const sub of await readdir(dir).catch(() => [] as string[])) {
      for (const f of await readdir(join(dir, sub)).catch(() => [] as string[])) {
        if (f.endsWith('.chunk')) out.push(join(dir, sub, f));
      }
    }
    return out;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const c of this.clients) c.close();
    for (let i = 0; i < this.chunkservers.length; i++) await this.stopChunkserver(i).catch(() => {});
    await this.master?.stop().catch(() => {});
    await rm(this.root, { recursive: true, force: true });
  }
}

/** Dotted-key overrides applied to a copy of a config (for a client with other settings). */
export function withConfig(config: Config, overrides: Record<string, unknown>): Config {
  const copy = structuredClone(config) as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(overrides)) setKey(copy, k, v);
  return copy as unknown as Config;
}
