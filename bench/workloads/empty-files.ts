/**
 * Master at scale: creates many empty files (default 1,000,000; 10,000 per folder) through the
 * RPC API with a fixed number of creates in flight, and reports
 * - the create rate (files/s), against the same creates on the local folder;
 * - master RAM per file: (master VmRSS after − before) / files (RSS, so it includes whatever
 *   the garbage collector has not given back and the LMDB pages the master touched; a single
 *   run), and the same for RssAnon alone (the master's own memory: JS heap and native
 *   allocations, without the memory-mapped LMDB file, whose pages the kernel can drop);
 * - LMDB bytes per file: growth of the LMDB pages in use (the master's dfs_master_lmdb_used_bytes) / files;
 *   not the data file's size, which stays at its high-water mark and first refills pages freed
 *   by earlier workloads (a --quick run grew it by 0 bytes for 10,000 files).
 * Runs last: the files stay in the namespace until the cluster is removed.
 */
import { join } from 'node:path';
import { mkdir, open } from 'node:fs/promises';
import { Row, record, perSec, msSince } from '../stats';
import { readProcMemory, type ProcMemory } from '../rss';
import { type BenchContext, needCluster } from '../context';
import { sleep } from '../../src/common/clock';

const FILES_PER_DIR = 10_000;
/** Clients sharing the in-flight creates (each a DfsClient with its own channel). */
const CLIENTS = 8;
/** Pause before reading the master's RSS after the creates, so in-flight work settles. */
const SETTLE_MS = 2_000;
const LMDB_USED = 'dfs_master_lmdb_used_bytes';

export async function runEmptyFiles(ctx: BenchContext, rows: Row[]): Promise<void> {
  const n = ctx.opts.emptyFiles;
  const label = n.toLocaleString('en-US');
  const rateRow = new Row('master at scale', `create ${label} empty files (${ctx.opts.emptyConcurrency} in flight)`, 'files/s');
  const ramRow = new Row('master at scale', `master RAM per file after ${label}`, 'bytes/file', { hasLocal: false });
  const anonRow = new Row('master at scale', `master own memory (RssAnon) per file after ${label}`, 'bytes/file', { hasLocal: false });
  const lmdbRow = new Row('master at scale', `LMDB size per file after ${label}`, 'bytes/file', { hasLocal: false });
  rows.push(rateRow, ramRow, anonRow, lmdbRow);
  ctx.rss.setWindow('empty files');

  ctx.log(`empty files: ${label} on the local folder`);
  await record(rateRow.local, async () => {
    const base = join(ctx.localDir, 'empty');
    return createAll(n, ctx.opts.emptyConcurrency, (dir) => mkdir(join(base, dir), { recursive: true }).then(() => {}),
      async (path) => { await (await open(join(base, path), 'wx')).close(); });
  });

  ctx.log(`empty files: ${label} on dfs`);
  let before: { rss: number; anon: number; lmdb: number } | undefined;
  await record(rateRow.dfs, async () => {
    const cluster = needCluster(ctx);
    const clients = Array.from({ length: CLIENTS }, () => cluster.client());
    try {
      before = { rss: masterMemory(ctx).rssBytes, anon: masterMemory(ctx).anonBytes, lmdb: await cluster.masterMetric(LMDB_USED) };
      let next = 0;
      const pick = () => clients[next++ % CLIENTS];
      return await createAll(n, ctx.opts.emptyConcurrency,
        (dir) => pick().mkdir(`/bench-empty/${dir}`, { parents: true }).then(() => {}),
        (path) => pick().create(`/bench-empty/${path}`, { exclusive: true }).then(() => {}));
    } finally {
      for (const c of clients) c.close();
    }
  });
  if (before && rateRow.dfs.values.length > 0) {
    const b = before;
    await sleep(SETTLE_MS);
    await record(ramRow.dfs, async () => (masterMemory(ctx).rssBytes - b.rss) / n);
    await record(anonRow.dfs, async () => (masterMemory(ctx).anonBytes - b.anon) / n);
    await record(lmdbRow.dfs, async () => ((await needCluster(ctx).masterMetric(LMDB_USED)) - b.lmdb) / n);
  } else {
    ramRow.dfs.error ??= rateRow.dfs.error ?? 'creates failed';
    anonRow.dfs.error ??= rateRow.dfs.error ?? 'creates failed';
    lmdbRow.dfs.error ??= rateRow.dfs.error ?? 'creates failed';
  }
  ctx.rss.setWindow(undefined);
}

/**
 * Creates `total` files named dDIR/fI (FILES_PER_DIR per folder), `concurrency` at a time;
 * returns files per second (folder creation included).
 */
async function createAll(
  total: number, concurrency: number,
  makeDir: (dir: string) => Promise<void>, create: (path: string) => Promise<void>,
): Promise<number> {
  const start = process.hrtime.bigint();
  const dirs = Math.ceil(total / FILES_PER_DIR);
  for (let d = 0; d < dirs; d++) await makeDir(`d${d}`);
  let next = 0;
  let failure: unknown;
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, async () => {
    while (failure === undefined && next < total) {
      const i = next++;
      try {
        await create(`d${Math.floor(i / FILES_PER_DIR)}/f${i % FILES_PER_DIR}`);
      } catch (e) {
        failure ??= new Error(`file ${i}: ${(e as Error).message}`);
      }
    }
  }));
  if (failure !== undefined) throw failure;
  return perSec(total, msSince(start));
}

function masterMemory(ctx: BenchContext): ProcMemory {
  const mem = readProcMemory(needCluster(ctx).masterPid);
  if (!mem) throw new Error('master process is gone');
  return mem;
}

