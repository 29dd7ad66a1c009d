/**
 * Helpers for tests on real FUSE mounts. The test process never touches a mount itself (only
 * child processes do, each under `timeout -s KILL`), so a stuck mount can never hang the suite.
 */
import { execFile } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { sleep } from '../../src/common/clock';

export interface ShResult { code: number; stdout: string; stderr: string }

/** Runs `sh -c script` in a child process, killed after `timeoutS` seconds. */
export function sh(script: string, timeoutS = 60): Promise<ShResult> {
  return new Promise((resolve) => {
    execFile('timeout', ['-s', 'KILL', String(timeoutS), 'sh', '-c', script], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as any).code === 'number' ? (error as any).code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Single-quotes a string for sh. */
export function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export async function isMounted(dir: string): Promise<boolean> {
  const mounts = await readFile('/proc/mounts', 'utf8');
  return mounts.split('\n').some((l) => l.split(' ')[1] === dir);
}

export async function waitMounted(dir: string, want = true, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await isMounted(dir)) !== want) {
    if (Date.now() > deadline) throw new Error(`${dir} ${want ? 'not mounted' : 'still mounted'} after ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Aborts every FUSE connection of `dir` (if any) and lazily unmounts it. Never throws. */
export async function abortMount(dir: string): Promise<void> {
  if (!(await isMounted(dir))) return;
  try {
    const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
    const line = mountinfo.split('\n').find((l) => l.split(' ')[4] === dir);
    const dev = line?.split(' ')[2];
    const minor = dev?.split(':')[1];
    const conns = await readdir('/sys/fs/fuse/connections').catch(() => [] as string[]);
    if (conns.length === 0) await sh('mount -t fusectl none /sys/fs/fuse/connections', 5);
    if (minor) await writeFile(`/sys/fs/fuse/connections/${minor}/abort`, '1').catch(() => {});
  } catch { /* best effort */ }
  await sh(`umount -l ${q(dir)}`, 10);
}
