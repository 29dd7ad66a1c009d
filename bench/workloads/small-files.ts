/**
 * Small files through the mount, in files/s: create N files of 4 KiB (a child node process
 * doing writeFileSync per file), `ls -lR` of them, `rm -r` of them. The same on the local
 * folder. Creates are timed inside the child; ls and rm inside their shell.
 */
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { Row, record, perSec } from '../stats';
import { run, timedSh, shOk, q, lastLine } from '../shell';
import { type BenchContext, needMount } from '../context';

const CHILD = join(__dirname, '../children/small-files.js');
const CHILD_TIMEOUT_S = 600;

export async function runSmallFiles(ctx: BenchContext, rows: Row[]): Promise<void> {
  const { smallFiles: count, smallFileBytes: bytes } = ctx.opts;
  const label = `${count} × ${bytes / 1024} KiB`;
  const createRow = new Row('small files (mount)', `create ${label}`, 'files/s');
  const lsRow = new Row('small files (mount)', `ls -lR ${count} files`, 'files/s');
  const rmRow = new Row('small files (mount)', `rm -r ${count} files`, 'files/s');
  rows.push(createRow, lsRow, rmRow);

  for (let r = 1; r <= ctx.opts.runs; r++) {
    ctx.log(`small files: run ${r}/${ctx.opts.runs}`);
    ctx.rss.setWindow('small files');
    const localDir = join(ctx.localDir, `small-${r}`);
    await mkdir(localDir);
    await measureSide(localDir, count, bytes, { create: createRow.local!, ls: lsRow.local!, rm: rmRow.local! });

    let mountDir: string | undefined;
    try {
      mountDir = join(needMount(ctx), `small-${r}`);
      await shOk(`mkdir ${q(mountDir)}`, 60);
    } catch (e) {
      mountDir = undefined;
      for (const row of [createRow, lsRow, rmRow]) row.dfs.error ??= (e as Error).message;
    }
    if (mountDir) await measureSide(mountDir, count, bytes, { create: createRow.dfs, ls: lsRow.dfs, rm: rmRow.dfs });
  }
  ctx.rss.setWindow(undefined);
}

async function measureSide(
  dir: string, count: number, bytes: number,
  series: { create: Row['dfs']; ls: Row['dfs']; rm: Row['dfs'] },
): Promise<void> {
  const created = series.create.values.length;
  await record(series.create, async () => {
    const r = await run('timeout', ['-s', 'KILL', String(CHILD_TIMEOUT_S), process.execPath, CHILD, dir, String(count), String(bytes)], {
      timeoutMs: (CHILD_TIMEOUT_S + 5) * 1000,
    });
    if (r.code !== 0) throw new Error(`create child exited ${r.code}: ${lastLine(r.stderr)}`);
    return perSec(count, (JSON.parse(lastLine(r.stdout)) as { elapsedMs: number }).elapsedMs);
  });
  if (series.create.values.length === created) {
    // The files are not all there: ls and rm figures would mean nothing.
    series.ls.error ??= 'skipped: create failed';
    series.rm.error ??= 'skipped: create failed';
  } else {
    await record(series.ls, async () => perSec(count, await timedSh(`ls -lR ${q(dir)} > /dev/null`, CHILD_TIMEOUT_S)));
    await record(series.rm, async () => perSec(count, await timedSh(`rm -r ${q(dir)}`, CHILD_TIMEOUT_S)));
  }
  // A failed step may leave the folder behind: remove it (untimed) so the next run starts clean.
  await timedSh(`rm -rf ${q(dir)}`, CHILD_TIMEOUT_S).catch(() => {});
}
