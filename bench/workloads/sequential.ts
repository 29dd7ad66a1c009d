/**
 * Sequential write and read of one big random file (default 1 GiB), in MB/s (10^6 bytes/s):
 *
 * - CLI: `dfs put SRC /f` (replication 3, durable on every replica when it returns) and
 *   `dfs get /f - > /dev/null` (verified against the stored SHA-256). Both include the start-up
 *   of the dfs process (~0.2 s), as a user would see it.
 * - Mount: `cp SRC MNT/f && sync MNT/f` in, `cat MNT/f > /dev/null` out.
 * - Local: `cp SRC LOCAL/f && sync LOCAL/f` (the figure of both write rows), and
 *   `cat LOCAL/f > /dev/null` (the figure of both read rows).
 *
 * Before every read, the files read (local copy, or every chunk file) are evicted from the page
 * cache with fadvise (best effort); the source file is read warm by every writer alike.
 */
import { join } from 'node:path';
import { Row, record, mbPerSec, MiB } from '../stats';
import { timedSh, shOk, q, lastLine } from '../shell';
import { type BenchContext, needCluster, needMount, dropPageCache } from '../context';

export async function runSequential(ctx: BenchContext, rows: Row[]): Promise<void> {
  const bytes = ctx.opts.sizeMib * MiB;
  const size = `${ctx.opts.sizeMib} MiB`;
  const putRow = new Row('sequential', `write ${size} · CLI put`, 'MB/s');
  const getRow = new Row('sequential', `read ${size} · CLI get`, 'MB/s');
  const cpRow = new Row('sequential', `write ${size} · mount cp+sync`, 'MB/s');
  const catRow = new Row('sequential', `read ${size} · mount cat`, 'MB/s');
  rows.push(putRow, getRow, cpRow, catRow);

  const src = join(ctx.scratchDir, 'seq-source.bin');
  ctx.log(`sequential: writing a ${size} random source file`);
  await shOk(`head -c ${bytes} /dev/urandom > ${q(src)}`);

  for (let run = 1; run <= ctx.opts.runs; run++) {
    ctx.log(`sequential: run ${run}/${ctx.opts.runs}`);
    ctx.rss.setWindow('sequential');

    // Local disk.
    const local = join(ctx.localDir, `seq-${run}.bin`);
    let localWrite: number | undefined;
    let localRead: number | undefined;
    await record(putRow.local, async () => {
      localWrite = mbPerSec(bytes, await timedSh(`cp ${q(src)} ${q(local)} && sync ${q(local)}`));
      return localWrite;
    });
    if (localWrite !== undefined) cpRow.local!.values.push(localWrite);
    else cpRow.local!.error ??= putRow.local!.error;
    await dropPageCache([local]);
    await record(getRow.local, async () => {
      localRead = mbPerSec(bytes, await timedSh(`cat ${q(local)} > /dev/null`));
      return localRead;
    });
    if (localRead !== undefined) catRow.local!.values.push(localRead);
    else catRow.local!.error ??= getRow.local!.error;
    await shOk(`rm -f ${q(local)}`);

    // CLI put / get.
    const remote = `/bench-seq-${run}.bin`;
    await record(putRow.dfs, async () => {
      const cluster = needCluster(ctx);
      const r = await cluster.runDfs(['put', src, remote], { rssName: 'cli put' });
      if (r.code !== 0) throw new Error(`dfs put exited ${r.code}: ${lastLine(r.stderr)}`);
      return mbPerSec(bytes, r.elapsedMs);
    });
    await record(getRow.dfs, async () => {
      const cluster = needCluster(ctx);
      await dropPageCache(cluster.chunkDirs);
      const r = await cluster.runDfs(['get', remote, '-'], { stdout: 'ignore', rssName: 'cli get' });
      if (r.code !== 0) throw new Error(`dfs get exited ${r.code}: ${lastLine(r.stderr)}`);
      return mbPerSec(bytes, r.elapsedMs);
    });
    if (ctx.cluster) await ctx.cluster.runDfs(['rm', '-f', remote], { timeoutMs: 60_000 });

    // Mount cp / cat.
    const mounted = ctx.mountpoint === undefined ? undefined : join(ctx.mountpoint, `seq-${run}.bin`);
    await record(cpRow.dfs, async () => {
      needMount(ctx);
      return mbPerSec(bytes, await timedSh(`cp ${q(src)} ${q(mounted!)} && sync ${q(mounted!)}`));
    });
    await record(catRow.dfs, async () => {
      needMount(ctx);
      await dropPageCache(needCluster(ctx).chunkDirs);
      return mbPerSec(bytes, await timedSh(`cat ${q(mounted!)} > /dev/null`));
    });
    if (mounted) await timedSh(`rm -f ${q(mounted)}`, 120).catch(() => {});
  }
  ctx.rss.setWindow(undefined);
  await shOk(`rm -f ${q(src)}`);
}
