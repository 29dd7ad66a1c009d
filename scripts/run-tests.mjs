// Runs every node:test suite under dist/test (built from test/*.test.ts).
// `npm test -- mount` runs only the files whose name contains "mount".
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const dir = join(root, 'dist/test');
const filters = process.argv.slice(2);
const files = readdirSync(dir, { recursive: true })
  .filter((f) => String(f).endsWith('.test.js'))
  .map((f) => join(dir, String(f)))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// Mounts of dfs test folders that were already there (an earlier run killed midway) are not this
// run's: only the ones that appear during it count against it.
const testMounts = () => readFileSync('/proc/mounts', 'utf8').split('\n')
  .filter((l) => l.split(' ')[2] === 'fuse.dfs' && /\/dfs-[a-z]+-[^/]+\//.test(l.split(' ')[1] ?? ''));
const before = new Set(testMounts());
if (before.size > 0) console.error(`note: mounts left by an earlier run (not counted):\n${[...before].join('\n')}`);
const gen = spawnSync(process.execPath, [join(root, 'scripts/gen-proto.mjs'), '--check'], { stdio: 'inherit' });
if (gen.status !== 0) process.exit(gen.status ?? 1);
const res = spawnSync(process.execPath, ['--test', '--test-concurrency=2', '--test-reporter=spec', ...files], { stdio: 'inherit', cwd: root });

// A test that leaves a FUSE mount behind is a failure even when every assertion passed.
const leftover = testMounts().filter((l) => !before.has(l));
if (leftover.length > 0) {
  console.error(`mounts left behind by the suite:\n${leftover.join('\n')}`);
  process.exit(1);
}
process.exit(res.status ?? 1);
