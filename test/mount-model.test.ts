/**
 * Randomized model test of the mount, in the spirit of fsx: a seeded generator (Python, see
 * helpers/model-driver.ts) issues random operations — open/close/read/pread/write/pwrite/lseek/
 * truncate/ftruncate/fsync/fdatasync/rename/link/unlink, writes through shared writable mappings
 * with and without msync — on a dfs mount and on a local folder at once, and compares results,
 * metadata and contents after every step. A failure prints the seed and the command that replays
 * it. This process serves the mount, so only child processes (under `timeout -s KILL`) touch it.
 *
 * Environment: DFS_MODEL_SEED (default: random), DFS_MODEL_OPS (total, default 10,000),
 * DFS_MODEL_RUNS (generators side by side on the one mount, seeds SEED, SEED+1, …; default 4).
 * The cluster's folders are on tmpfs when /dev/shm exists: the test is about the mount's
 * semantics, and a disk's fsync latency would only slow it down.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startClusterMount, stopClusterMount, type ClusterMount } from './helpers/cluster-mount';
import { MODEL_DRIVER_PY } from './helpers/model-driver';

const OPS_TOTAL = Number(process.env.DFS_MODEL_OPS ?? 10_000);
const RUNS = Number(process.env.DFS_MODEL_RUNS ?? 4);
const SEED = process.env.DFS_MODEL_SEED !== undefined ? Number(process.env.DFS_MODEL_SEED) : Math.floor(Math.random() * 1e9);
const RUN_TIMEOUT_SEC = 600;
const TMPFS = '/dev/shm';

let cm: ClusterMount | undefined;
let dir = '';
let mnt = '';

function runModel(seed: number, ops: number): Promise<{ ok: boolean; out: string }> {
  return new Promise((res) => {
    execFile('timeout', ['-s', 'KILL', String(RUN_TIMEOUT_SEC), 'python3', join(dir, 'model-driver.py'), join(mnt, `run${seed}`), join(dir, 'local', `run${seed}`), String(seed), String(ops)],
      { env: { ...process.env, LC_ALL: 'C.UTF-8', PYTHONIOENCODING: 'utf-8' }, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => res({ ok: !err, out: err ? `${stdout}${stderr}EXIT ${err.code ?? err.signal}` : stdout.trim() }));
  });
}

before(async () => {
  assert(Number.isSafeInteger(SEED) && SEED >= 0, `DFS_MODEL_SEED must be a non-negative integer, got ${process.env.DFS_MODEL_SEED}`);
  assert(Number.isSafeInteger(OPS_TOTAL) && OPS_TOTAL > 0 && Number.isSafeInteger(RUNS) && RUNS > 0, 'DFS_MODEL_OPS and DFS_MODEL_RUNS must be positive integers');
  dir = await mkdtemp(join(tmpdir(), 'dfs-model-'));
  mnt = join(dir, 'mnt');
  await mkdir(join(dir, 'local'));
  await writeFile(join(dir, 'model-driver.py'), MODEL_DRIVER_PY);
  const savedTmp = process.env.TMPDIR;
  if (existsSync(TMPFS)) process.env.TMPDIR = TMPFS; // TestCluster's folders (os.tmpdir() reads TMPDIR)
  try {
    cm = await startClusterMount(mnt);
  } finally {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
  }
});

after(() => stopClusterMount(cm, mnt, dir));

test(`Mount model: ${OPS_TOTAL} random operations in ${RUNS} generators agree with a local folder (seed ${SEED})`, async () => {
  const opsPerRun = Math.ceil(OPS_TOTAL / RUNS);
  const seeds = Array.from({ length: RUNS }, (_, i) => SEED + i);
  const results = await Promise.all(seeds.map((s) => runModel(s, opsPerRun)));
  const build = relative(process.cwd(), __filename);
  const failures = results.flatMap((r, i) => (r.ok ? [] : [
    `seed ${seeds[i]} failed; replay: DFS_MODEL_SEED=${seeds[i]} DFS_MODEL_RUNS=1 DFS_MODEL_OPS=${opsPerRun} node --test ${build}\n${r.out}`,
  ]));
  for (const r of results) if (r.ok) console.log(r.out);
  assert.equal(failures.length, 0, failures.join('\n\n'));
});
