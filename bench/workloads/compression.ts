/**
 * Entropy-driven block compression (`chunkserver.compression`): two fresh clusters of their own
 * (master + 3 chunkservers, replication 3), one with `auto` and one with `off`, side by side.
 *
 * - Disk: a text-like file of `--size-mib` (generated log lines) is put into each with the CLI;
 *   the growth of `du -B1` over the three chunk folders is the disk used (holes not counted),
 *   shown with the data × 3 replicas and the ratio.
 * - Throughput: `dfs put` of the text file and of a random file of the same size, and `dfs get`
 *   of the text file (page cache of the chunk files evicted first), in MB/s on each cluster.
 *   Each step (text puts, text gets, random puts) runs on both clusters back to back, auto
 *   first in odd runs and off first in even ones; `max(--runs, 5)` runs, because the auto ÷ off ratio of random puts (the cost of the entropy
 *   check on data it does not compress; the target is ≥ 0.95) needs a median to mean anything:
 *   it is taken per run (the two puts back to back), and the row shows the median of the runs.
 * - CPU: the user + system CPU seconds the three chunkservers spent during each random put
 *   (/proc/PID/stat): unlike wall time, barely moved by other load on the machine.
 *
 * Both clusters live in the benchmark's temp folder and are stopped at the end of the workload.
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { Row, record, mbPerSec, summarize, MiB } from '../stats';
import { sh, shOk, q, lastLine } from '../shell';
import { BenchCluster } from '../cluster';
import { RssSampler } from '../rss';
import { type BenchContext, dropPageCache } from '../context';

type Mode = 'auto' | 'off';
const MODES: Mode[] = ['auto', 'off'];
const RUNS_MIN = 5;
/** /proc/PID/stat times are in clock ticks (USER_HZ, 100 on Linux). */
const TICKS_PER_SEC = 100;

export async function runCompression(ctx: BenchContext, rows: Row[]): Promise<void> {
  const bytes = ctx.opts.sizeMib * MiB;
  const size = `${ctx.opts.sizeMib} MiB`;
  const group = 'compression (auto vs off)';
  const dataRow = new Row(group, `text ${size} · data × 3 replicas`, 'MiB', { hasLocal: false });
  const diskRows = rowsByMode(group, (m) => `text ${size} · disk used (du), ${m}`, 'MiB');
  const diskRatio = new Row(group, 'text · disk used ÷ data, auto', '×', { hasLocal: false });
  const textPut = rowsByMode(group, (m) => `text ${size} · CLI put, ${m}`, 'MB/s');
  const textGet = rowsByMode(group, (m) => `text ${size} · CLI get, ${m}`, 'MB/s');
  const randomPut = rowsByMode(group, (m) => `random ${size} · CLI put, ${m}`, 'MB/s');
  const randomRatio = new Row(group, 'random put · auto ÷ off (per run)', '×', { hasLocal: false });
  const randomCpu = rowsByMode(group, (m) => `random ${size} · put, chunkservers' CPU, ${m}`, 's');
  const cpuRatio = new Row(group, 'random put · chunkservers\' CPU auto ÷ off (median)', '×', { hasLocal: false });
  rows.push(dataRow, diskRows.auto, diskRows.off, diskRatio, textPut.auto, textPut.off, textGet.auto, textGet.off,
    randomPut.auto, randomPut.off, randomRatio, randomCpu.auto, randomCpu.off, cpuRatio);

  const text = join(ctx.scratchDir, 'compress-text.log');
  const random = join(ctx.scratchDir, 'compress-random.bin');
  ctx.log(`compression: writing a ${size} log-like text file and a ${size} random file`);
  await writeLogText(text, bytes);
  await shOk(`head -c ${bytes} /dev/urandom > ${q(random)}`);

  // Not in the main RSS table: these clusters are extra processes of this workload only.
  const rss = new RssSampler();
  const clusters = new Map<Mode, BenchCluster>();
  try {
    for (const mode of MODES) {
      ctx.log(`compression: starting a cluster with chunkserver.compression=${mode}`);
      clusters.set(mode, await BenchCluster.start(join(ctx.root, `compress-${mode}`), rss, { compression: mode }));
    }
    const runs = Math.max(ctx.opts.runs, RUNS_MIN);
    for (let run = 1; run <= runs; run++) {
      ctx.log(`compression: run ${run}/${runs}`);
      // Each step on both clusters back to back, the first one alternating between runs.
      const order = run % 2 === 1 ? MODES : [...MODES].reverse();
      const textPath = `/compress-text-${run}.log`;
      const randomPath = `/compress-random-${run}.bin`;
      for (const mode of order) {
        const cluster = clusters.get(mode)!;
        const before = await duBytes(cluster.chunkDirs);
        await record(textPut[mode].dfs, async () => mbPerSec(bytes, await put(cluster, text, textPath)));
        if (run === 1) await record(diskRows[mode].dfs, async () => ((await duBytes(cluster.chunkDirs)) - before) / MiB);
      }
      for (const mode of order) {
        const cluster = clusters.get(mode)!;
        await record(textGet[mode].dfs, async () => {
          await dropPageCache(cluster.chunkDirs);
          const r = await cluster.runDfs(['get', textPath, '-'], { stdout: 'ignore' });
          if (r.code !== 0) throw new Error(`dfs get exited ${r.code}: ${lastLine(r.stderr)}`);
          return mbPerSec(bytes, r.elapsedMs);
        });
      }
      await sh('sync', 120); // the gets' page-cache eviction synced: so does this, before the timed puts
      for (const mode of order) {
        const cluster = clusters.get(mode)!;
        const cpuBefore = chunkserverCpuSeconds(cluster);
        await record(randomPut[mode].dfs, async () => mbPerSec(bytes, await put(cluster, random, randomPath)));
        await record(randomCpu[mode].dfs, async () => chunkserverCpuSeconds(cluster) - cpuBefore);
      }
      pairRatio(randomRatio, randomPut, run);
      for (const mode of order) {
        // Keep the disk from filling up over the runs (the trash would keep the chunks a day).
        await clusters.get(mode)!.runDfs(['rm', '-f', '--skip-trash', textPath, randomPath], { timeoutMs: 60_000 });
      }
    }
    dataRow.dfs.values.push((3 * bytes) / MiB);
  } finally {
    for (const c of clusters.values()) await c.stop();
    rss.stop();
    await shOk(`rm -f ${q(text)} ${q(random)}`);
  }
  const disk = summarize(diskRows.auto.dfs);
  if (disk) diskRatio.dfs.values.push(disk.median / ((3 * bytes) / MiB));
  const cpuAuto = summarize(randomCpu.auto.dfs);
  const cpuOff = summarize(randomCpu.off.dfs);
  if (cpuAuto && cpuOff && cpuOff.median > 0) cpuRatio.dfs.values.push(cpuAuto.median / cpuOff.median);
}

/** User + system CPU seconds of the cluster's chunkserver processes so far. */
function chunkserverCpuSeconds(cluster: BenchCluster): number {
  let ticks = 0;
  for (const p of cluster.procs.filter((x) => x.name.startsWith('chunkserver'))) {
    // Fields after the ")" that ends the command name: state is field 3, utime 14, stime 15.
    const stat = readFileSync(`/proc/${p.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / TICKS_PER_SEC;
}

/** After both clusters did run `run`: auto ÷ off of that run, measured back to back. */
function pairRatio(ratio: Row, rows: Record<Mode, Row>, run: number): void {
  const auto = rows.auto.dfs.values[run - 1];
  const off = rows.off.dfs.values[run - 1];
  if (auto !== undefined && off !== undefined && !rows.auto.dfs.error && !rows.off.dfs.error) ratio.dfs.values.push(auto / off);
}

function rowsByMode(group: string, name: (m: Mode) => string, unit: string): Record<Mode, Row> {
  return { auto: new Row(group, name('auto'), unit, { hasLocal: false }), off: new Row(group, name('off'), unit, { hasLocal: false }) };
}

/** `dfs put SRC REMOTE`; returns the elapsed ms. */
async function put(cluster: BenchCluster, src: string, remote: string): Promise<number> {
  const r = await cluster.runDfs(['put', src, remote]);
  if (r.code !== 0) throw new Error(`dfs put exited ${r.code}: ${lastLine(r.stderr)}`);
  return r.elapsedMs;
}

/** Bytes allocated on disk under `dirs` (du -B1 after a sync: written blocks, not holes). */
async function duBytes(dirs: string[]): Promise<number> {
  const r = await sh(`sync; du -s -B1 ${dirs.map(q).join(' ')}`, 120);
  if (r.code !== 0) throw new Error(`du exited ${r.code}: ${lastLine(r.stderr)}`);
  return r.stdout.trim().split('\n').reduce((sum, line) => sum + Number(line.split(/\s+/)[0]), 0);
}

/**
 * `bytes` of application-log lines (timestamp, level, thread, request id, path, status, duration):
 * ~5.2 bits/byte of byte entropy, like real logs; deterministic.
 */
async function writeLogText(path: string, bytes: number): Promise<void> {
  const out = createWriteStream(path);
  const levels = ['INFO', 'INFO', 'INFO', 'DEBUG', 'WARN', 'ERROR'];
  const paths = ['/api/v1/items', '/api/v1/users', '/api/v1/orders', '/healthz', '/static/app.js'];
  let written = 0;
  let i = 0;
  let state = 12345;
  const next = (): number => (state = (state * 1103515245 + 12345) >>> 0);
  while (written < bytes) {
    const lines: string[] = [];
    for (let k = 0; k < 1000; k++, i++) {
      const ms = 1_795_000_000_000 + i * 37;
      lines.push(`${new Date(ms).toISOString()} ${levels[next() % levels.length]} [worker-${next() % 16}] ` +
        `req=${next().toString(16)} ${paths[next() % paths.length]}/${next() % 5000} status=${next() % 20 === 0 ? 500 : 200} ` +
        `duration_ms=${next() % 900} bytes=${next() % 100_000}\n`);
    }
    let block = Buffer.from(lines.join(''));
    if (written + block.length > bytes) block = block.subarray(0, bytes - written);
    written += block.length;
    if (!out.write(block)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
