/**
 * Master at scale (issue 6), simulated: `node dist/bench/master-scale.js [--quick] [--servers N]
 * [--chunks C] [--interval-ms MS] [--seconds S] …` (or `npm run bench:scale -- …`).
 *
 * 1. Writes a namespace into a fresh master folder (scale-namespace.ts): the layout's chunks
 *    (scale-layout.ts: N servers × C chunks, replication R) in files under /scale, version 1.
 * 2. Starts a real `dfs master` as a separate process (of the same build as this script, or
 *    $DFS_BENCH_BIN), reads its address from `listening on ADDR`; optionally under
 *    `node --cpu-prof`.
 * 3. Forks G load-generator processes (children/scale-servers.ts), each simulating N/G servers
 *    over real gRPC (one connection per server): Register, full report, then a heartbeat with
 *    the Bloom digest every interval. All start at once: the restart of a master of a running
 *    cluster, where every chunkserver re-registers and reports.
 * 4. Measures the time until every full report is acknowledged (the reply to a report is sent
 *    after the master applied it), waits a settle period, then a steady window of S seconds:
 *    heartbeat round trips p50/p99/max, master CPU from /proc/PID/stat, machine CPU from
 *    /proc/stat, the generators' CPU and event-loop delay; master RSS peak (VmHWM) overall.
 * 5. Prints a table, writes bench/results/master-scale-<timestamp>.json, stops everything by PID
 *    and removes its temp folder (also on error and Ctrl-C).
 */
import { fork, spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile, readFile, readdir, cp } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { callUnary, masterClient } from '../src/common/rpc';
import { sleep } from '../src/common/clock';
import { NODE_FLAGS } from '../src/common/node-flags';
import type { SafeModeReply__Output } from '../src/generated/dfs/SafeModeReply';
import type { NodesReply__Output } from '../src/generated/dfs/NodesReply';
import { chunkTotal, checkLayout, type ScaleLayout } from './scale-layout';
import { writeScaleNamespace, type NamespaceStats } from './scale-namespace';
import { summarizeCpuProfile, type ProfileSummary } from './cpu-profile';
import { machineInfo, formatMachine, type MachineInfo } from './machine';
import { formatNumber } from './report';
import { readProcMemory } from './rss';
import type { ChildArgs, ChildCounters, ChildMessage, ParentMessage } from './children/scale-servers';

const ROOT = resolve(__dirname, '../..');
/** The master run: this build's CLI, or $DFS_BENCH_BIN. */
const CLI = process.env.DFS_BENCH_BIN ? resolve(process.env.DFS_BENCH_BIN) : resolve(__dirname, '../src/cli.js');
const CHILD = join(__dirname, 'children/scale-servers.js');
const CHUNK_SIZE_BYTES = 64 * 1024 * 1024;
const TARGET_P99_MS = 100;
const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 30_000;
const SAMPLE_INTERVAL_MS = 500;
const RPC_TIMEOUT_MS = 30_000;
const KEEP_LOG_CHARS = 64 * 1024;

export interface ScaleOptions {
  quick: boolean;
  servers: number;
  chunks: number;
  intervalMs: number;
  seconds: number;
  replication: number;
  generators: number;
  chunksPerFile: number;
  settleMs: number | undefined;
  absorbTimeoutS: number;
  cpuProfDir: string | undefined;
  /** Keeps written namespaces here for the next run of the same layout. */
  namespaceCache: string | undefined;
  resultsDir: string | undefined;
  help: boolean;
}

export const SCALE_USAGE = `usage: node dist/bench/master-scale.js [options]    (or: npm run bench:scale -- [options])

  --quick              smoke run: 100 servers × 2,000 chunks, 15 s window
  --servers N          simulated chunkservers (default 1000; quick 100)
  --chunks C           chunks per server, reported in full at start (default 10000; quick 2000)
  --interval-ms MS     heartbeat interval of every server (default 3000)
  --seconds S          steady window measured once every report is absorbed (default 60; quick 15)
  --replication R      replicas per chunk (default 3): the master knows N·C/R chunks
  --generators G       load-generator processes (default 2)
  --chunks-per-file K  chunks per file of the pre-written namespace (default 64)
  --settle-ms MS       pause between the last full report and the window (default 2 intervals)
  --absorb-timeout-s S give up when the full reports are not absorbed after S s (default 900)
  --cpu-prof DIR       run the master under node --cpu-prof, profile into DIR; prints its hottest functions
  --namespace-cache DIR keep the written namespace in DIR and reuse it for the same layout (writing
                       the 3.3 million chunks of the full run takes minutes)
  --results-dir DIR    where the JSON goes (default bench/results)
  -h, --help           this text
`;

class UsageError extends Error {}

export function parseScaleOptions(argv: string[]): ScaleOptions {
  const quick = argv.includes('--quick');
  const o: ScaleOptions = {
    quick, servers: quick ? 100 : 1000, chunks: quick ? 2000 : 10_000, intervalMs: 3000, seconds: quick ? 15 : 60,
    replication: 3, generators: 2, chunksPerFile: 64, settleMs: undefined, absorbTimeoutS: 900,
    cpuProfDir: undefined, namespaceCache: undefined, resultsDir: undefined, help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    const int = (min: number): number => {
      const v = value();
      const n = Number(v);
      if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${flag}: expected an integer >= ${min}, got '${v}'`);
      return n;
    };
    switch (flag) {
      case '--quick': break;
      case '-h': case '--help': o.help = true; break;
      case '--servers': o.servers = int(1); break;
      case '--chunks': o.chunks = int(1); break;
      case '--interval-ms': o.intervalMs = int(100); break;
      case '--seconds': o.seconds = int(1); break;
      case '--replication': o.replication = int(1); break;
      case '--generators': o.generators = int(1); break;
      case '--chunks-per-file': o.chunksPerFile = int(1); break;
      case '--settle-ms': o.settleMs = int(0); break;
      case '--absorb-timeout-s': o.absorbTimeoutS = int(1); break;
      case '--cpu-prof': o.cpuProfDir = resolve(value()); break;
      case '--namespace-cache': o.namespaceCache = resolve(value()); break;
      case '--results-dir': o.resultsDir = resolve(value()); break;
      default: throw new UsageError(`unknown option '${a}'`);
    }
  }
  if (o.replication > o.servers) throw new UsageError(`--replication ${o.replication} needs at least as many --servers (got ${o.servers})`);
  o.generators = Math.min(o.generators, o.servers);
  return o;
}

// ------------------------------------------------------------------ /proc readings

const CLK_TCK = (() => {
  try { return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100; } catch { return 100; }
})();

/** utime + stime of a process in ms, or undefined when it is gone. */
function procCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK; // fields 14 and 15 of proc(5)
  } catch {
    return undefined;
  }
}

/** Busy and total jiffies of the whole machine (/proc/stat). */
function machineJiffies(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = line.reduce((a, b) => a + b, 0);
  const idle = line[3] + (line[4] ?? 0);
  return { busy: total - idle, total };
}

/** [sentMs, rttMs] samples grouped by the second (from `fromMs`) they were sent in. */
function bySecond(samples: [number, number][], fromMs: number): ScaleResult['rttBySecond'] {
  const groups = new Map<number, number[]>();
  for (const [at, v] of samples) {
    const s = Math.floor((at - fromMs) / 1000);
    const g = groups.get(s) ?? [];
    g.push(v);
    groups.set(s, g);
  }
  return [...groups].sort((a, b) => a[0] - b[0]).map(([s, g]) => {
    g.sort((a, b) => a - b);
    return { s, n: g.length, p99Ms: percentile(g, 99), maxMs: g[g.length - 1] };
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

// ------------------------------------------------------------------ processes

interface Proc { child: ChildProcess; pid: number; log(): string; exited: Promise<void> }

function track(child: ChildProcess): Proc {
  let log = '';
  const onData = (d: Buffer): void => { log = (log + d.toString()).slice(-KEEP_LOG_CHARS); };
  child.stderr?.on('data', onData);
  child.stdout?.on('data', onData);
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  return { child, pid: child.pid ?? -1, log: () => log, exited };
}

function alive(p: Proc): boolean {
  return p.child.exitCode === null && p.child.signalCode === null;
}

async function stopProc(p: Proc | undefined, graceMs: number): Promise<void> {
  if (!p || !alive(p)) return;
  try { process.kill(p.pid, 'SIGTERM'); } catch { return; }
  await Promise.race([p.exited, sleep(graceMs)]);
  if (alive(p)) {
    try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ }
    await Promise.race([p.exited, sleep(5_000)]);
  }
}

function lastLines(text: string, n = 3): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return lines.length === 0 ? '(no output)' : lines.slice(-n).join(' | ').slice(0, 800);
}

function waitForLine(p: Proc, re: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolveMatch, reject) => {
    const deadline = Date.now() + timeoutMs;
    const check = (): void => {
      const m = p.log().match(re);
      if (m) return resolveMatch(m);
      if (!alive(p)) return reject(new Error(`master exited: ${lastLines(p.log())}`));
      if (Date.now() > deadline) return reject(new Error(`master: no ${re} after ${timeoutMs} ms: ${lastLines(p.log())}`));
      setTimeout(check, 50);
    };
    check();
  });
}

class Generator {
  private readonly waiters: ((m: ChildMessage) => boolean)[] = [];
  readonly proc: Proc;
  error: string | undefined;
  /** The last progress message. */
  progress: Extract<ChildMessage, { type: 'progress' }> | undefined;

  constructor(args: ChildArgs) {
    const child = fork(CHILD, [JSON.stringify(args)], { execArgv: [], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    this.proc = track(child);
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'error') this.error ??= m.message;
      if (m.type === 'progress') this.progress = m;
      for (let i = 0; i < this.waiters.length; i++) if (this.waiters[i](m)) this.waiters.splice(i--, 1);
    });
    void this.proc.exited.then(() => { this.error ??= `generator exited: ${lastLines(this.proc.log())}`; for (const w of this.waiters.splice(0)) w({ type: 'error', message: this.error }); });
  }

  send(m: ParentMessage): void {
    if (this.proc.child.connected) this.proc.child.send(m);
  }

  /** The next message of `type` (rejects on a child error or exit, or after timeoutMs). */
  next<T extends ChildMessage['type']>(type: T, timeoutMs: number): Promise<Extract<ChildMessage, { type: T }>> {
    return new Promise((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`generator ${this.proc.pid}: no '${type}' after ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push((m) => {
        if (m.type === type) { clearTimeout(timer); res(m as Extract<ChildMessage, { type: T }>); return true; }
        if (m.type === 'error') { clearTimeout(timer); rej(new Error(m.message)); return true; }
        return false;
      });
    });
  }
}

// ------------------------------------------------------------------ the run

/**
 * Writes the namespace into metaDir, or copies it from --namespace-cache when a copy of the
 * same layout is there (writing 3.3 million chunks takes minutes here); saves a copy there.
 */
async function prepareNamespace(o: ScaleOptions, layout: ScaleLayout, metaDir: string, log: (s: string) => void): Promise<NamespaceStats> {
  const cached = o.namespaceCache ? join(o.namespaceCache, `${o.servers}x${o.chunks}-r${o.replication}-f${o.chunksPerFile}`) : undefined;
  if (cached) {
    try {
      const stats = JSON.parse(await readFile(join(cached, 'stats.json'), 'utf8')) as NamespaceStats;
      await cp(cached, metaDir, { recursive: true, filter: (src) => !src.endsWith('stats.json') });
      log(`namespace copied from ${cached} (${formatNumber(stats.chunks)} chunks, ${formatNumber(stats.files)} files)`);
      return stats;
    } catch { /* not cached yet */ }
  }
  log(`writing the namespace: ${formatNumber(chunkTotal(layout))} chunks in files of ${o.chunksPerFile}`);
  const stats = await writeScaleNamespace(metaDir, layout, o.chunksPerFile, CHUNK_SIZE_BYTES);
  log(`namespace written in ${(stats.elapsedMs / 1000).toFixed(1)} s (${formatNumber(stats.files)} files)`);
  if (cached) {
    await rm(cached, { recursive: true, force: true });
    await cp(metaDir, cached, { recursive: true });
    await writeFile(join(cached, 'stats.json'), JSON.stringify(stats));
  }
  return stats;
}

export interface ScaleResult {
  startedAt: string;
  machine: MachineInfo;
  options: ScaleOptions;
  layout: ScaleLayout & { chunksTotal: number; files: number };
  namespaceWriteMs: number;
  masterStartMs: number;
  registeredAllMs: number;
  absorbedAllMs: number;
  /** Master CPU over the absorption (ms of CPU). */
  absorbCpuMs: number;
  safeModeOffMs: number | undefined;
  steady: {
    windowMs: number;
    heartbeats: number;
    rttMs: { p50: number; p90: number; p99: number; max: number; mean: number };
    masterCpuPct: number;
    generatorsCpuPct: number;
    machineBusyPct: number;
    generatorLoopDelayP99Ms: number;
    aliveServers: number;
  };
  masterRssPeakBytes: number;
  masterRssEndBytes: number;
  counters: ChildCounters;
  masterWarnings: number;
  timeline: { tS: number; masterCpuPct: number; rssMiB: number }[];
  /** Heartbeats of the window by the second they were sent in: count, p99 and max round trip. */
  rttBySecond: { s: number; n: number; p99Ms: number; maxMs: number }[];
  profile?: ProfileSummary & { file: string };
  targetMet: boolean;
}

async function run(o: ScaleOptions, root: string, procs: { master?: Proc; gens: Generator[] }, log: (s: string) => void): Promise<ScaleResult> {
  const startedAt = new Date().toISOString();
  const layout: ScaleLayout = { servers: o.servers, chunksPerServer: o.chunks, replication: o.replication };
  checkLayout(layout);
  const metaDir = join(root, 'master');
  await mkdir(metaDir, { recursive: true });
  const nsStats = await prepareNamespace(o, layout, metaDir, log);

  const configPath = join(root, 'dfs.config.json');
  await writeFile(configPath, JSON.stringify({
    master: { metaDir, listen: '127.0.0.1:0', httpListen: '' },
    chunkserver: { heartbeatIntervalMs: o.intervalMs },
    cluster: {
      replication: o.replication, chunkSizeBytes: CHUNK_SIZE_BYTES,
      // Absorbing the reports of a big cluster takes longer than the default 30 s; ending safe
      // mode by timeout would start re-replicating chunks whose reports are merely queued.
      safeModeTimeoutMs: o.absorbTimeoutS * 1000,
    },
    log: { level: 'warn' },
  }, null, 2));
  const profArgs = o.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', o.cpuProfDir] : [];
  if (o.cpuProfDir) await mkdir(o.cpuProfDir, { recursive: true });
  const t0 = Date.now();
  procs.master = track(spawn(process.execPath, [...NODE_FLAGS, ...profArgs, CLI, 'master', '--listen', '127.0.0.1:0', '--meta-dir', metaDir, '--config', configPath],
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: root }));
  const master = procs.master;
  const address = (await waitForLine(master, /listening on (\S+)/, START_TIMEOUT_MS))[1];
  const masterStartMs = Date.now() - t0;
  log(`master ${master.pid} at ${address} (started in ${masterStartMs} ms)`);

  // RSS / CPU sampling of the master for the whole run.
  let rssPeak = 0;
  const timeline: ScaleResult['timeline'] = [];
  let lastCpu = procCpuMs(master.pid) ?? 0;
  let lastAt = Date.now();
  const sampler = setInterval(() => {
    const mem = readProcMemory(master.pid);
    const cpu = procCpuMs(master.pid);
    if (!mem || cpu === undefined) return;
    rssPeak = Math.max(rssPeak, mem.rssBytes, mem.hwmBytes);
    const now = Date.now();
    timeline.push({ tS: (now - t0) / 1000, masterCpuPct: (100 * (cpu - lastCpu)) / Math.max(1, now - lastAt), rssMiB: mem.rssBytes / 1024 / 1024 });
    lastCpu = cpu; lastAt = now;
  }, SAMPLE_INTERVAL_MS);

  const client = masterClient(address);
  try {
    const per = Math.ceil(o.servers / o.generators);
    for (let first = 0; first < o.servers; first += per) {
      procs.gens.push(new Generator({ masterAddress: address, layout, first, count: Math.min(per, o.servers - first), intervalMs: o.intervalMs, chunkSizeBytes: CHUNK_SIZE_BYTES }));
    }
    await Promise.all(procs.gens.map((g) => g.next('ready', START_TIMEOUT_MS)));
    log(`${procs.gens.length} generators ready (${per} servers each); all servers register and report now`);

    const cpuAtStart = procCpuMs(master.pid) ?? 0;
    const start = Date.now();
    const fulls = procs.gens.map((g) => g.next('full', o.absorbTimeoutS * 1000));
    for (const g of procs.gens) g.send({ type: 'start' });
    // Safe mode ends when every chunk has a reported replica: polled once a second.
    let safeModeOffMs: number | undefined;
    let polling = true;
    const poll = (async () => {
      while (polling) {
        try {
          const r = await callUnary<object, SafeModeReply__Output>(client as never, client.SafeMode as never, { action: 'SAFE_MODE_GET' }, RPC_TIMEOUT_MS);
          if (!r.on) { safeModeOffMs = Date.now() - start; return; }
        } catch { /* the master is busy: try again */ }
        await sleep(1000);
      }
    })();
    const progress = setInterval(() => {
      const sum = (k: keyof ChildCounters): number => procs.gens.reduce((n, g) => n + (g.progress?.counters[k] ?? 0), 0);
      const acks = procs.gens.reduce((n, g) => n + (g.progress?.fullAcks ?? 0), 0);
      const last = timeline[timeline.length - 1];
      log(`absorbing: ${acks}/${o.servers} full reports acknowledged; registers ${sum('registers')}, full reports sent ${sum('fullReportsSent')}, ` +
        `reregister ${sum('reregisterReplies')}, stream errors ${sum('streamErrors')}; master CPU ${last?.masterCpuPct.toFixed(0) ?? '?'}%, RSS ${last?.rssMiB.toFixed(0) ?? '?'} MiB`);
    }, 10_000);
    let done = 0;
    let results: Extract<ChildMessage, { type: 'full' }>[];
    try {
      results = await Promise.all(fulls.map((p) => p.then((r) => { done++; log(`generator reports absorbed (${done}/${procs.gens.length})`); return r; })));
    } finally {
      clearInterval(progress);
    }
    const registeredAllMs = Math.max(...results.flatMap((r) => r.registeredMs)) - start;
    const absorbedAllMs = Math.max(...results.flatMap((r) => r.fullAckMs)) - start;
    const absorbCpuMs = (procCpuMs(master.pid) ?? 0) - cpuAtStart;
    log(`all ${o.servers} full reports absorbed in ${(absorbedAllMs / 1000).toFixed(1)} s (registered within ${(registeredAllMs / 1000).toFixed(1)} s; master CPU ${(absorbCpuMs / 1000).toFixed(1)} s)`);
    await Promise.race([poll, sleep(5_000)]);
    polling = false;

    const settleMs = o.settleMs ?? 2 * o.intervalMs;
    const fromMs = Date.now() + settleMs;
    const toMs = fromMs + o.seconds * 1000;
    for (const g of procs.gens) g.send({ type: 'window', fromMs, toMs });
    log(`settling ${settleMs} ms, then measuring ${o.seconds} s`);
    await sleep(fromMs - Date.now());
    const cpu0 = { master: procCpuMs(master.pid) ?? 0, gens: procs.gens.map((g) => procCpuMs(g.proc.pid) ?? 0), machine: machineJiffies(), at: Date.now() };
    await sleep(toMs - Date.now());
    const cpu1 = { master: procCpuMs(master.pid) ?? 0, gens: procs.gens.map((g) => procCpuMs(g.proc.pid) ?? 0), machine: machineJiffies(), at: Date.now() };
    const windowMs = cpu1.at - cpu0.at;
    const nodes = await callUnary<object, NodesReply__Output>(client as never, client.Nodes as never, {}, RPC_TIMEOUT_MS);
    const aliveServers = nodes.nodes.filter((n) => String(n.state) === 'ALIVE').length;
    // Replies of heartbeats sent at the end of the window.
    await sleep(Math.min(5_000, o.intervalMs));
    const stats = await Promise.all(procs.gens.map((g) => { const p = g.next('stats', 30_000); g.send({ type: 'report' }); return p; }));
    const rtt = stats.flatMap((s) => s.rttMs).sort((a, b) => a - b);
    const rttBySecond = bySecond(stats.flatMap((s) => s.rttMs.map((v, i) => [s.sentMs[i], v] as [number, number])), fromMs);
    const counters = stats.reduce((acc, s) => {
      for (const k of Object.keys(acc) as (keyof ChildCounters)[]) acc[k] += s.counters[k];
      return acc;
    }, { registers: 0, registerErrors: 0, heartbeatsSent: 0, repliesReceived: 0, reregisterReplies: 0, fullReportRequests: 0, fullReportsSent: 0, deleteChunks: 0, replicateTasks: 0, streamErrors: 0 } as ChildCounters);
    const mem = readProcMemory(master.pid);
    const masterRssEndBytes = mem?.rssBytes ?? 0;
    rssPeak = Math.max(rssPeak, mem?.hwmBytes ?? 0);

    for (const g of procs.gens) g.send({ type: 'stop' });
    await Promise.race([Promise.all(procs.gens.map((g) => g.proc.exited)), sleep(10_000)]);
    clearInterval(sampler);
    await stopProc(master, STOP_GRACE_MS);
    let profile: ScaleResult['profile'];
    if (o.cpuProfDir) {
      const files = (await readdir(o.cpuProfDir)).filter((f) => f.endsWith('.cpuprofile') && f.includes(`.${master.pid}.`));
      if (files.length > 0) profile = { file: join(o.cpuProfDir, files[0]), ...summarizeCpuProfile(join(o.cpuProfDir, files[0]), 15) };
    }
    const mean = rtt.reduce((a, b) => a + b, 0) / Math.max(1, rtt.length);
    const p99 = percentile(rtt, 99);
    return {
      startedAt, machine: machineInfo(root), options: o,
      layout: { ...layout, chunksTotal: nsStats.chunks, files: nsStats.files },
      namespaceWriteMs: nsStats.elapsedMs, masterStartMs, registeredAllMs, absorbedAllMs, absorbCpuMs, safeModeOffMs,
      steady: {
        windowMs, heartbeats: rtt.length,
        rttMs: { p50: percentile(rtt, 50), p90: percentile(rtt, 90), p99, max: rtt[rtt.length - 1] ?? NaN, mean },
        masterCpuPct: (100 * (cpu1.master - cpu0.master)) / windowMs,
        generatorsCpuPct: (100 * cpu1.gens.reduce((a, c, i) => a + c - cpu0.gens[i], 0)) / windowMs,
        machineBusyPct: (100 * (cpu1.machine.busy - cpu0.machine.busy)) / Math.max(1, cpu1.machine.total - cpu0.machine.total),
        generatorLoopDelayP99Ms: Math.max(...stats.map((s) => s.loopDelayMs.p99)),
        aliveServers,
      },
      masterRssPeakBytes: rssPeak, masterRssEndBytes, counters,
      masterWarnings: master.log().split('\n').filter((l) => /"level":[456]0|WARN|ERROR|FATAL/.test(l)).length,
      timeline, rttBySecond, profile,
      targetMet: aliveServers === o.servers && rtt.length > 0 && p99 < TARGET_P99_MS,
    };
  } finally {
    clearInterval(sampler);
    client.close();
  }
}

// ------------------------------------------------------------------ output

export function formatScaleReport(r: ScaleResult): string {
  const o = r.options;
  const s = r.steady;
  const ms = (x: number): string => (Number.isFinite(x) ? formatNumber(x) : '–');
  const rows: [string, string, string][] = [
    ['namespace written before the start', formatNumber(r.namespaceWriteMs / 1000), 's'],
    ['master start → listening', formatNumber(r.masterStartMs / 1000), 's'],
    [`all ${formatNumber(o.servers)} registered`, formatNumber(r.registeredAllMs / 1000), 's'],
    ['all full reports absorbed (start → last reply)', formatNumber(r.absorbedAllMs / 1000), 's'],
    ['master CPU while absorbing', formatNumber(r.absorbCpuMs / 1000), 'CPU s'],
    ['safe mode off after', r.safeModeOffMs === undefined ? '–' : formatNumber(r.safeModeOffMs / 1000), 's'],
    [`heartbeats measured (${formatNumber(s.windowMs / 1000)} s window)`, formatNumber(s.heartbeats), ''],
    ['heartbeat round trip p50', ms(s.rttMs.p50), 'ms'],
    ['heartbeat round trip p90', ms(s.rttMs.p90), 'ms'],
    ['heartbeat round trip p99', ms(s.rttMs.p99), 'ms'],
    ['heartbeat round trip max', ms(s.rttMs.max), 'ms'],
    ['master CPU (steady)', formatNumber(s.masterCpuPct), '% of 1 core'],
    ['generators CPU (steady, all)', formatNumber(s.generatorsCpuPct), '% of 1 core'],
    ['machine busy (steady, every process)', formatNumber(s.machineBusyPct), `% of ${r.machine.cores} cores`],
    ['generator event-loop delay p99 (worst)', formatNumber(s.generatorLoopDelayP99Ms), 'ms'],
    ['master RSS peak (VmHWM)', formatNumber(r.masterRssPeakBytes / 1024 / 1024), 'MiB'],
    ['master RSS at the end', formatNumber(r.masterRssEndBytes / 1024 / 1024), 'MiB'],
    ['servers ALIVE at the end (Nodes)', `${s.aliveServers} of ${o.servers}`, ''],
  ];
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.max(...rows.map((x) => x[1].length));
  const c = r.counters;
  const out = [
    `dfs master at scale ${r.startedAt}${o.quick ? ' (--quick)' : ''}`,
    formatMachine(r.machine),
    `layout:  ${formatNumber(o.servers)} simulated chunkservers × ${formatNumber(o.chunks)} chunks, replication ${o.replication}: ` +
      `${formatNumber(r.layout.chunksTotal)} chunks in ${formatNumber(r.layout.files)} files; heartbeat every ${o.intervalMs} ms`,
    `load:    ${r.options.generators} generator processes on the same ${r.machine.cores} cores as the master, one gRPC connection per simulated server`,
    '',
    ...rows.map(([a, b, u]) => `${a.padEnd(w0)}  ${b.padStart(w1)}  ${u}`),
    '',
    `heartbeats sent ${formatNumber(c.heartbeatsSent)}, replies ${formatNumber(c.repliesReceived)}, full reports ${formatNumber(c.fullReportsSent)} ` +
      `(asked by the master: ${c.fullReportRequests}), reregister ${c.reregisterReplies}, stream errors ${c.streamErrors}, ` +
      `register errors ${c.registerErrors}, chunks to delete ${c.deleteChunks}, copy tasks ${c.replicateTasks}; master warnings/errors logged ${r.masterWarnings}`,
    `worst seconds of the window (second: max round trip): ${[...r.rttBySecond].sort((a, b) => b.maxMs - a.maxMs).slice(0, 8)
      .map((x) => `${x.s}: ${formatNumber(x.maxMs)} ms`).join(', ')}`,
    `target: heartbeat p99 < ${TARGET_P99_MS} ms with all ${o.servers} connected: ${r.targetMet ? 'MET' : 'NOT MET'}`,
  ];
  if (r.profile) {
    const p = r.profile;
    out.push('', `master CPU profile ${p.file}: ${formatNumber(p.totalMs / 1000)} s, idle ${formatNumber(p.idleMs / 1000)} s, GC ${formatNumber(p.gcMs / 1000)} s; hottest by self time:`);
    for (const f of p.top) out.push(`  ${formatNumber(f.selfMs).padStart(9)} ms  ${f.pct.toFixed(1).padStart(5)}%  ${f.name}`);
  }
  return out.join('\n');
}

async function main(): Promise<number> {
  let o: ScaleOptions;
  try {
    o = parseScaleOptions(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`master-scale: ${e.message}\n\n${SCALE_USAGE}`);
    return 2;
  }
  if (o.help) { process.stdout.write(SCALE_USAGE); return 0; }
  const t0 = Date.now();
  const log = (msg: string): void => { process.stderr.write(`scale [${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${msg}\n`); };
  const root = await mkdtemp(join(tmpdir(), 'dfs-scale-'));
  const procs: { master?: Proc; gens: Generator[] } = { gens: [] };
  const cleanup = async (): Promise<void> => {
    for (const g of procs.gens) g.send({ type: 'stop' });
    await Promise.all(procs.gens.map((g) => stopProc(g.proc, 3_000)));
    await stopProc(procs.master, STOP_GRACE_MS);
    await rm(root, { recursive: true, force: true, maxRetries: 3 });
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      process.stderr.write(`\nmaster-scale: ${sig}: stopping and removing ${root}\n`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  try {
    process.stderr.write(`${formatMachine(machineInfo(root))}\n`);
    const result = await run(o, root, procs, log);
    process.stdout.write(`\n${formatScaleReport(result)}\n`);
    const dir = o.resultsDir ?? join(ROOT, 'bench/results');
    await mkdir(dir, { recursive: true });
    const file = join(dir, `master-scale-${result.startedAt.replace(/[:.]/g, '-')}.json`);
    await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`\nresults: ${file}\n`);
    return 0;
  } finally {
    await cleanup();
  }
}

if (require.main === module) {
  main().then((code) => process.exit(code), (e) => {
    process.stderr.write(`master-scale: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
