/**
 * Random 4 KiB reads and writes at queue depth 1 in one file (default 256 MiB) through the
 * mount, in IOPS: a child node process does readSync/writeSync at random block-aligned offsets
 * for a fixed time (writes end with fsync + close inside the timed interval). The same on a
 * local file. The file is filled with random data first (untimed); before the read phase the
 * local file and every chunk file are evicted from the page cache (best effort), but the
 * mount's own data cache (mount.cacheBytes) may still hold part of the file.
 */
import { join } from 'node:path';
import { Row, record, perSec, MiB } from '../stats';
import { run, shOk, timedSh, q, lastLine } from '../shell';
import { type BenchContext, needCluster, needMount, dropPageCache } from '../context';

const CHILD = join(__dirname, '../children/random-io.js');
const BLOCK_BYTES = 4096;

export async function runRandomIo(ctx: BenchContext, rows: Row[]): Promise<void> {
  const { randomFileMib, randomSeconds } = ctx.opts;
  const readRow = new Row('random 4 KiB (mount)', `read QD1 in ${randomFileMib} MiB`, 'IOPS');
  const writeRow = new Row('random 4 KiB (mount)', `write QD1 in ${randomFileMib} MiB`, 'IOPS');
  rows.push(readRow, writeRow);
  const bytes = randomFileMib * MiB;

  const localFile = join(ctx.localDir, 'random.bin');
  ctx.log(`random io: filling a local ${randomFileMib} MiB file`);
  await shOk(`head -c ${bytes} /dev/urandom > ${q(localFile)} && sync ${q(localFile)}`);
  let mountFile: string | undefined;
  try {
    mountFile = join(needMount(ctx), 'random.bin');
    ctx.log(`random io: filling a ${randomFileMib} MiB file on the mount`);
    await timedSh(`head -c ${bytes} /dev/urandom > ${q(mountFile)} && sync ${q(mountFile)}`);
  } catch (e) {
    readRow.dfs.error ??= (e as Error).message;
    writeRow.dfs.error ??= (e as Error).message;
    mountFile = undefined;
  }

  ctx.rss.setWindow('random io');
  for (let r = 1; r <= ctx.opts.runs; r++) {
    ctx.log(`random io: run ${r}/${ctx.opts.runs}`);
    await dropPageCache([localFile]);
    await record(readRow.local, () => randomIo(localFile, 'read', randomSeconds));
    await record(writeRow.local, () => randomIo(localFile, 'write', randomSeconds));
    if (mountFile) {
      await dropPageCache(needCluster(ctx).chunkDirs);
      await record(readRow.dfs, () => randomIo(mountFile!, 'read', randomSeconds));
      await record(writeRow.dfs, () => randomIo(mountFile!, 'write', randomSeconds));
    }
  }
  ctx.rss.setWindow(undefined);
  await shOk(`rm -f ${q(localFile)}`);
  if (mountFile) await timedSh(`rm -f ${q(mountFile)}`, 120).catch(() => {});
}

/** Runs the child for `seconds` and returns its IOPS. */
async function randomIo(file: string, mode: 'read' | 'write', seconds: number): Promise<number> {
  const timeoutS = Math.ceil(seconds) + 600; // buffered writes are flushed by the final fsync
  const r = await run('timeout', ['-s', 'KILL', String(timeoutS), process.execPath, CHILD, file, mode, String(seconds), String(BLOCK_BYTES)], {
    timeoutMs: (timeoutS + 5) * 1000,
  });
  if (r.code !== 0) throw new Error(`random ${mode} exited ${r.code}: ${lastLine(r.stderr)}`);
  const out = JSON.parse(lastLine(r.stdout)) as { ops: number; elapsedMs: number };
  return perSec(out.ops, out.elapsedMs);
}
