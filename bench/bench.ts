/**
 * `npm run bench [-- options]`: the dfs benchmark (issue 6). Starts its own cluster (master +
 * 3 chunkservers + `dfs mount`, separate processes of bin/dfs on 127.0.0.1, replication 3,
 * everything in a temp folder), runs each workload on dfs and on a local folder of the same
 * disk in the same run, prints a table (dfs, local, ratio) and writes the same as JSON to
 * bench/results/<timestamp>.json. The temp folder and every process are removed at the end,
 * also on error and on Ctrl-C. Options: see options.ts (`--help`).
 *
 * The bench process never touches the mount itself: everything on the mount runs in child
 * processes with a hard timeout (shell.ts), so a stuck mount cannot hang the benchmark.
 */
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setLogLevel } from '../src/common/logger';
import { parseOptions, USAGE, UsageError, type Options, type Workload } from './options';
import { machineInfo, formatMachine } from './machine';
import { BenchCluster, CHUNKSERVER_COUNT, REPLICATION, ROOT } from './cluster';
import { RssSampler } from './rss';
import { Row, errorMessage } from './stats';
import { formatReport, writeReportJson, type Report } from './report';
import type { BenchContext } from './context';
import { runSequential } from './workloads/sequential';
import { runSmallFiles } from './workloads/small-files';
import { runMetadata } from './workloads/metadata';
import { runRandomIo } from './workloads/random-io';
import { runCompression } from './workloads/compression';
import { runEmptyFiles } from './workloads/empty-files';
import { formatProfiles } from './cpu-profile';

const WORKLOAD_RUNNERS: Record<Workload, (ctx: BenchContext, rows: Row[]) => Promise<void>> = {
  seq: runSequential,
  small: runSmallFiles,
  meta: runMetadata,
  randio: runRandomIo,
  compress: runCompression,
  // Last: it leaves many files in the master.
  empty: runEmptyFiles,
};
/** Workloads that need the mount (the others use the CLI or the RPC API only). */
const NEEDS_MOUNT: Workload[] = ['seq', 'small', 'randio'];

const EXIT_INTERRUPTED = 130;

const NOTES = [
  'MB/s = 10^6 bytes/s. dfs/local = dfs figure ÷ local figure; for rates, 1.00× means as fast as the local disk.',
  'local = the same operations on a folder of the same disk, in the same run. The local write figure (cp + sync) is shared by both write rows, the local read figure (cat) by both read rows.',
  'Page cache: before every read, the files read (local copy, every chunk file) are evicted with posix_fadvise(DONTNEED) via `dd iflag=nocache count=0` (best effort; dropping the whole cache is not reliably possible in a container). Sources of writes are read warm.',
  'CLI put/get figures include the start-up of the dfs process; `get` streams to /dev/null and verifies the SHA-256.',
  'Random reads through the mount may be served in part by the mount\'s own data cache (mount.cacheBytes).',
  'Master RAM per file is an RSS difference in one run (includes garbage not yet collected); LMDB per file is the growth of the LMDB pages in use (dfs_master_lmdb_used_bytes), not of data.mdb, which keeps its high-water size.',
];

async function main(): Promise<number> {
  let opts: Options;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`bench: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  setLogLevel('warn');
  const startMs = Date.now();
  const startedAt = new Date(startMs).toISOString();
  const root = await mkdtemp(join(tmpdir(), 'dfs-bench-'));
  const rss = new RssSampler();
  const ctx: BenchContext = {
    opts, root,
    localDir: join(root, 'local'),
    scratchDir: join(root, 'scratch'),
    cluster: undefined, clusterError: undefined,
    mountpoint: undefined, mountError: undefined,
    rss,
    log: (msg) => process.stderr.write(`bench [${((Date.now() - startMs) / 1000).toFixed(1).padStart(6)} s] ${msg}\n`),
  };
  const cleanup = onceAsync(async () => {
    await ctx.cluster?.stop();
    rss.stop();
    if (ctx.cluster && (await ctx.cluster.stillMounted())) {
      process.stderr.write(`bench: ${ctx.cluster.mountpoint} is still mounted: leaving ${root} in place\n`);
    } else {
      await rm(root, { recursive: true, force: true, maxRetries: 3 }).catch((e) => process.stderr.write(`bench: cannot remove ${root}: ${errorMessage(e)}\n`));
    }
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      process.stderr.write(`\nbench: ${sig}: stopping the cluster and removing ${root}\n`);
      void cleanup().finally(() => process.exit(EXIT_INTERRUPTED));
    });
  }

  try {
    await mkdir(ctx.localDir);
    await mkdir(ctx.scratchDir);
    const machine = machineInfo(root);
    process.stderr.write(`${formatMachine(machine)}\n`);
    rss.start();

    ctx.log('starting master + 3 chunkservers');
    try {
      ctx.cluster = await BenchCluster.start(join(root, 'cluster'), rss, {}, opts.cpuProfDir ? resolve(opts.cpuProfDir) : undefined);
      ctx.log(`master at ${ctx.cluster.masterAddress}`);
    } catch (e) {
      ctx.clusterError = errorMessage(e);
      ctx.log(`cluster failed: ${ctx.clusterError}`);
    }
    if (ctx.cluster && NEEDS_MOUNT.some((w) => opts.only.has(w))) {
      const mnt = join(root, 'mnt');
      try {
        await ctx.cluster.mount(mnt);
        ctx.mountpoint = mnt;
        ctx.log(`mounted at ${mnt}`);
      } catch (e) {
        ctx.mountError = errorMessage(e);
        ctx.log(`mount failed: ${ctx.mountError}`);
      }
    }

    const rows: Row[] = [];
    for (const [name, runner] of Object.entries(WORKLOAD_RUNNERS) as [Workload, (typeof WORKLOAD_RUNNERS)[Workload]][]) {
      if (!opts.only.has(name)) continue;
      const own: Row[] = [];
      try {
        await runner(ctx, own);
      } catch (e) {
        // A failure outside any one figure (e.g. preparing a source file): every figure of the
        // workload that has no value shows it.
        const msg = `${name}: ${errorMessage(e)}`;
        ctx.log(`workload failed: ${msg}`);
        for (const row of own) {
          for (const s of [row.dfs, row.local]) if (s && s.values.length === 0) s.error ??= msg;
        }
        if (own.length === 0) own.push(failedRow(name, msg));
      }
      rows.push(...own);
      rss.setWindow(undefined);
    }

    rss.sample();
    const report: Report = {
      startedAt, finishedAt: new Date().toISOString(), machine, options: opts,
      cluster: {
        chunkservers: CHUNKSERVER_COUNT, replication: REPLICATION, masterAddress: ctx.cluster?.masterAddress ?? '', mounted: ctx.mountpoint !== undefined,
        ...(ctx.clusterError ? { error: ctx.clusterError } : {}), ...(ctx.mountError ? { mountError: ctx.mountError } : {}),
      },
      rows, peakRss: rss.peaks(), peakRssByWorkload: rss.peaksByWindow(), notes: NOTES,
    };
    ctx.log('stopping the cluster');
    await cleanup();
    process.stdout.write(`\n${formatReport(report)}\n`);
    const file = await writeReportJson(report, opts.resultsDir ? resolve(opts.resultsDir) : join(ROOT, 'bench/results'));
    process.stdout.write(`\nresults: ${file}\n`);
    if (opts.cpuProfDir) process.stdout.write(`\n${formatProfiles(resolve(opts.cpuProfDir))}\n`);
    return 0;
  } finally {
    await cleanup();
  }
}

function failedRow(workload: string, msg: string): Row {
  const row = new Row(workload, '(workload failed)', '');
  row.dfs.error = msg;
  return row;
}

/** Wraps an async function so that every call returns the first call's promise. */
function onceAsync(fn: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | undefined;
  return () => (p ??= fn());
}

main().then((code) => process.exit(code), (e) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
