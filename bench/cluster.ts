/**
 * The benchmark's own cluster, every role a separate process of the built executable
 * (bin/dfs): one master on 127.0.0.1:0 (its address parsed from "listening on ADDR" on its
 * stderr), three chunkservers on 127.0.0.1:0, replication 3, and optionally a `dfs mount`
 * process. Everything lives in the benchmark's temp folder, with a config file written there.
 *
 * `stop()` is idempotent and never throws: it unmounts (SIGTERM to the mount process, then a
 * FUSE abort + `umount -l` if it is still mounted), then stops every process it started, by
 * PID (SIGTERM, SIGKILL after a grace period).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadConfig, type Config } from '../src/common/config';
import { DfsClient } from '../src/client/dfs-client';
import { sleep } from '../src/common/clock';
import { NODE_FLAGS } from '../src/common/node-flags';
import { isMounted, waitMounted, abortMount } from '../test/helpers/mounts';
import { run, type RunResult } from './shell';
import type { RssSampler } from './rss';

export const ROOT = resolve(__dirname, '../..');
/**
 * The executable run with node for every role and CLI command: bin/dfs (which runs
 * dist/src/cli.js), or $DFS_BENCH_BIN to benchmark another build (e.g. build-x/src/cli.js).
 */
export const DFS_BIN = process.env.DFS_BENCH_BIN ? resolve(process.env.DFS_BENCH_BIN) : join(ROOT, 'bin/dfs');

export const CHUNKSERVER_COUNT = 3;
export const REPLICATION = 3;
const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
/** Bytes of stderr kept per process, for error messages. */
const KEEP_LOG_CHARS = 32 * 1024;

export interface DfsProcess {
  /** "master", "chunkserver 1", ..., "mount". */
  name: string;
  child: ChildProcess;
  pid: number;
  /** The tail of what the process wrote (stderr and stdout). */
  stderr(): string;
  /** Resolves with the first match of `re` in its output; rejects on exit or after timeoutMs. */
  waitFor(re: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  exited: Promise<void>;
}

export class BenchCluster {
  readonly procs: DfsProcess[] = [];
  masterAddress = '';
  /** The master's HTTP address (its /metrics). */
  masterHttp = '';
  mountpoint: string | undefined;
  private mountProc: DfsProcess | undefined;
  private stopping: Promise<void> | undefined;

  private constructor(
    /** The cluster's folder (inside the benchmark's temp folder). */
    readonly dir: string,
    readonly configPath: string,
    readonly config: Config,
    private readonly rss: RssSampler,
  ) {}

  get metaDir(): string { return join(this.dir, 'master'); }
  chunkDir(i: number): string { return join(this.dir, `cs${i}`); }
  get chunkDirs(): string[] { return Array.from({ length: CHUNKSERVER_COUNT }, (_, i) => this.chunkDir(i + 1)); }
  get masterPid(): number { return this.procs.find((p) => p.name === 'master')!.pid; }

  /**
   * Writes the config, starts master + chunkservers, waits until all are ALIVE.
   * `chunkserverConfig`: extra `chunkserver.*` keys (e.g. `{ compression: 'off' }`).
   */
  static async start(dir: string, rss: RssSampler, chunkserverConfig: Record<string, unknown> = {}, cpuProfDir?: string): Promise<BenchCluster> {
    await mkdir(dir, { recursive: true });
    const configPath = join(dir, 'dfs.config.json');
    await writeFile(configPath, JSON.stringify({
      master: { metaDir: join(dir, 'master'), listen: '127.0.0.1:0', httpListen: '127.0.0.1:0' },
      chunkserver: { listen: '127.0.0.1:0', httpListen: '127.0.0.1:0', ...chunkserverConfig },
      cluster: { replication: REPLICATION },
      log: { level: 'warn' },
    }, null, 2));
    const config = loadConfig({ file: configPath, env: {} });
    const cluster = new BenchCluster(dir, configPath, config, rss);
    cluster.cpuProfDir = cpuProfDir;
    try {
      const master = cluster.spawn('master', ['master', '--listen', '127.0.0.1:0', '--meta-dir', cluster.metaDir]);
      cluster.masterAddress = (await master.waitFor(/listening on (\S+)/, START_TIMEOUT_MS))[1];
      cluster.masterHttp = (await master.waitFor(/http on (\S+)/, START_TIMEOUT_MS))[1];
      for (let i = 1; i <= CHUNKSERVER_COUNT; i++) {
        cluster.spawn(`chunkserver ${i}`, [
          'chunkserver', '--listen', '127.0.0.1:0',
          '--data-dir', cluster.chunkDir(i), '--id', `bench-cs${i}`,
        ]);
      }
      await cluster.waitAlive(CHUNKSERVER_COUNT);
    } catch (e) {
      await cluster.stop();
      throw e;
    }
    return cluster;
  }

  /** The value of one unlabelled metric of the master's /metrics. */
  async masterMetric(name: string): Promise<number> {
    const res = await fetch(`http://${this.masterHttp}/metrics`);
    const text = await res.text();
    const m = text.match(new RegExp(`^${name} (\\S+)$`, 'm'));
    if (!res.ok || !m) throw new Error(`no ${name} in the master's /metrics (HTTP ${res.status})`);
    return Number(m[1]);
  }

  /** A client of the cluster in this process (RPC only; never touches the mount). */
  client(): DfsClient {
    return new DfsClient({ masterAddress: this.masterAddress, config: this.config });
  }

  /** Arguments that point a dfs command at this cluster. */
  private clusterArgs(): string[] {
    return ['--config', this.configPath, ...(this.masterAddress ? ['--master', this.masterAddress] : [])];
  }

  /**
   * Runs a dfs client command (`put`, `get`, `rm`, ...) as a child process; its RSS is sampled
   * under `rssName` while it runs.
   */
  async runDfs(args: string[], opts: { timeoutMs?: number; stdout?: 'pipe' | 'ignore'; rssName?: string } = {}): Promise<RunResult> {
    let pid: number | undefined;
    const r = await run(process.execPath, [...NODE_FLAGS, DFS_BIN, ...args, ...this.clusterArgs()], {
      timeoutMs: opts.timeoutMs ?? 600_000,
      stdout: opts.stdout,
      cwd: this.dir,
      onSpawn: (p) => { pid = p; if (opts.rssName) this.rss.track(opts.rssName, p); },
    });
    if (pid !== undefined && opts.rssName) this.rss.untrack(pid);
    return r;
  }

  /** Starts `dfs mount` on `mountpoint` (created here) and waits until the kernel lists it. */
  async mount(mountpoint: string): Promise<void> {
    await mkdir(mountpoint, { recursive: true });
    const proc = this.spawn('mount', ['mount', mountpoint]);
    this.mountProc = proc;
    this.mountpoint = mountpoint;
    const died = proc.exited.then(() => { throw new Error(`dfs mount exited: ${lastLines(proc.stderr())}`); });
    died.catch(() => {}); // it also exits when stopped at the end: not an error then
    await Promise.race([waitMounted(mountpoint, true, START_TIMEOUT_MS), died]);
  }

  /** Stops everything this cluster started. Safe to call twice and concurrently. */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    if (this.mountProc && this.mountpoint) {
      const mnt = this.mountpoint;
      signal(this.mountProc, 'SIGTERM');
      await Promise.race([this.mountProc.exited, sleep(STOP_GRACE_MS)]);
      if (await isMounted(mnt).catch(() => false)) {
        await waitMounted(mnt, false, 2_000).catch(() => {});
        await abortMount(mnt);
      }
    }
    const live = this.procs.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
    // Mount and chunkservers first, the master last (they report to it on the way out).
    for (const p of live.filter((x) => x.name !== 'master')) signal(p, 'SIGTERM');
    await Promise.race([Promise.all(live.filter((x) => x.name !== 'master').map((p) => p.exited)), sleep(STOP_GRACE_MS)]);
    for (const p of live) if (p.name === 'master') signal(p, 'SIGTERM');
    await Promise.race([Promise.all(live.map((p) => p.exited)), sleep(STOP_GRACE_MS)]);
    for (const p of live) signal(p, 'SIGKILL');
    await Promise.race([Promise.all(live.map((p) => p.exited)), sleep(STOP_GRACE_MS)]);
    if (this.mountpoint) await abortMount(this.mountpoint);
  }

  /** Whether the mountpoint is still mounted (so the temp folder must not be removed). */
  async stillMounted(): Promise<boolean> {
    return this.mountpoint !== undefined && (await isMounted(this.mountpoint).catch(() => true));
  }

  /** When set, servers and the mount run under `node --cpu-prof` with their profiles in `<dir>/<name>/`. */
  cpuProfDir: string | undefined;

  private spawn(name: string, args: string[]): DfsProcess {
    const prof = this.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', join(this.cpuProfDir, name.replace(/\s+/g, '-'))] : [];
    const child = spawn(process.execPath, [...NODE_FLAGS, ...prof, DFS_BIN, ...args, ...this.clusterArgs()], {
      stdio: ['ignore', 'pipe', 'pipe'], cwd: this.dir,
    });
    let log = '';
    const waiters: (() => void)[] = [];
    const onData = (d: Buffer): void => {
      log = (log + d.toString()).slice(-KEEP_LOG_CHARS);
      for (const w of waiters.splice(0)) w();
    };
    child.stderr!.on('data', onData);
    child.stdout!.on('data', onData);
    const exited = new Promise<void>((res) => child.once('exit', () => { for (const w of waiters.splice(0)) w(); res(); }));
    child.once('error', (e) => { log += `\nspawn failed: ${e.message}`; });
    const isGone = (): boolean => child.exitCode !== null || child.signalCode !== null;
    const proc: DfsProcess = {
      name, child, pid: child.pid ?? -1, stderr: () => log, exited,
      waitFor: (re, timeoutMs) => new Promise((resolveMatch, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name}: no ${re} after ${timeoutMs} ms: ${lastLines(log)}`)), timeoutMs);
        const check = (): void => {
          const m = log.match(re);
          if (m) { clearTimeout(timer); resolveMatch(m); return; }
          if (isGone()) { clearTimeout(timer); reject(new Error(`${name} exited (${child.exitCode ?? child.signalCode}): ${lastLines(log)}`)); return; }
          waiters.push(check);
        };
        check();
      }),
    };
    this.procs.push(proc);
    if (child.pid !== undefined) this.rss.track(name, child.pid);
    return proc;
  }

  private async waitAlive(count: number): Promise<void> {
    const client = this.client();
    const deadline = Date.now() + START_TIMEOUT_MS;
    let last = '';
    try {
      for (;;) {
        try {
          const nodes = await client.nodes();
          const alive = nodes.filter((n) => String(n.state) === 'ALIVE').length;
          if (alive >= count) return;
          last = `${alive} of ${count} chunkservers alive`;
        } catch (e) {
          last = (e as Error).message;
        }
        const dead = this.procs.find((p) => p.child.exitCode !== null);
        if (dead) throw new Error(`${dead.name} exited: ${lastLines(dead.stderr())}`);
        if (Date.now() > deadline) throw new Error(`cluster not ready after ${START_TIMEOUT_MS} ms: ${last}`);
        await sleep(200);
      }
    } finally {
      client.close();
    }
  }
}

function signal(p: DfsProcess, sig: NodeJS.Signals): void {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  try { process.kill(p.pid, sig); } catch { /* already gone */ }
}

function lastLines(text: string, n = 3): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return lines.length === 0 ? '(no output)' : lines.slice(-n).join(' | ').slice(0, 600);
}
