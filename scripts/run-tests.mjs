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
const gen = spawnSync(process.execPath, [join(root, 'scripts/gen-proto.mjs'), '--check'], { stdio: 'inherit' });
if (gen.status !== 0) process.exit(gen.status ?? 1);
const res = spawnSync(process.execPath, ['--test', '--test-concurrency=2', '--test-reporter=spec', ...files], { stdio: 'inherit', cwd: root });

// A test that leaves a FUSE mount behind is a failure even when every assertion passed.
const leftover = readFileSync('/proc/mounts', 'utf8').split('\n').filter((l) => l.includes('dfs-test-'));
if (leftover.length > 0) {
  console.error(`mounts left behind by the suite:\n${leftover.join('\n')}`);
  process.exit(1);
}
process.exit(res.status ?? 1);
