/**
 * A real FUSE mount served by THIS process over a client (the in-memory fake by default), in a
 * temp folder named dfs-test-*. The process serving a mount must never touch it itself (that
 * deadlocks): every access goes through `sh`, a child process killed after a timeout.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/common/config';
import { forceUnmount, startMount, type MountHandle } from '../../src/mount/mount';
import { FakeClient } from './fake-client';

export interface ShResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface TestMount {
  /** The temp folder (holds `mnt`, and `local` for reference files outside the mount). */
  dir: string;
  mnt: string;
  local: string;
  client: FakeClient;
  handle: MountHandle;
  /** Runs `script` with sh in a child process ($M = the mount, $L = the local folder). */
  sh(script: string, timeoutSec?: number): Promise<ShResult>;
  /** Like sh, but rejects unless the exit code is 0. */
  ok(script: string, timeoutSec?: number): Promise<string>;
  close(): Promise<void>;
}

export function testConfig(mount: Partial<Config['mount']> = {}): Config {
  const config = loadConfig();
  return { ...config, mount: { ...config.mount, ...mount }, log: { level: 'warn' } };
}

export async function isMounted(path: string): Promise<boolean> {
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  return info.split('\n').some((l) => l.split(' ')[4] === path);
}

export async function mountFake(opts: { mount?: Partial<Config['mount']>; client?: FakeClient } = {}): Promise<TestMount> {
  const dir = await mkdtemp(join(tmpdir(), 'dfs-test-'));
  const mnt = join(dir, 'mnt');
  const local = join(dir, 'local');
  const client = opts.client ?? new FakeClient();
  let handle: MountHandle;
  try {
    handle = await startMount({ config: testConfig(opts.mount), masterAddress: 'fake', mountpoint: mnt, client });
  } catch (e) {
    await forceUnmount(mnt);
    if (!(await isMounted(mnt))) await rm(dir, { recursive: true, force: true });
    throw e;
  }
  const sh = (script: string, timeoutSec = 20): Promise<ShResult> =>
    new Promise((res) => {
      execFile('timeout', ['-s', 'KILL', String(timeoutSec), 'sh', '-c', script], { env: { ...process.env, M: mnt, L: local, LC_ALL: 'C' }, maxBuffer: 64 * 1024 * 1024 },
        (err, stdout, stderr) => res({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }));
    });
  const ok = async (script: string, timeoutSec?: number): Promise<string> => {
    const r = await sh(script, timeoutSec);
    if (r.code !== 0) throw new Error(`exit ${r.code}: ${script}\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  await ok('mkdir -p "$L"');
  const close = async (): Promise<void> => {
    await Promise.race([handle.unmount(), new Promise((r) => setTimeout(r, 15_000).unref())]);
    if (await isMounted(mnt)) await forceUnmount(mnt);
    // never remove through a live mount: rm would enter it from the serving process
    if (!(await isMounted(mnt))) await rm(dir, { recursive: true, force: true });
  };
  return { dir, mnt, local, client, handle, sh, ok, close };
}
