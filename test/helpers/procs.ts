/**
 * Real OS processes of the built executable (bin/dfs), for end-to-end tests.
 * Every process started here is tracked and killed by PID in `killAll()` (call it in after()).
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { FAST_CONFIG } from './cluster';
import { NODE_FLAGS } from '../../src/common/node-flags';
import { abortMount, waitMounted } from './mounts';
import { sleep } from '../../src/common/clock';

export const ROOT = resolve(__dirname, '../../..');
/**
 * The CLI of the same build as this file (dist/src/cli.js when run from dist/, which is what
 * bin/dfs loads), so a build in another output folder tests its own code. process-cli.test.ts
 * checks the bin/dfs shim itself.
 */
export const DFS_BIN = join(__dirname, '../../src/cli.js');
export const BIN_SHIM = join(ROOT, 'bin/dfs');

export interface Proc {
  child: ChildProcess;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Resolves with the first stderr match of `re` (rejects after timeoutMs or on exit). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();

export function spawnDfs(args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): Proc {
  const child = spawn(process.execPath, [...NODE_FLAGS, DFS_BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env },
  });
  running.add(child);
  let err = '';
  const waiters: (() => void)[] = [];
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    for (const w of waiters.splice(0)) w();
  });
  child.stdout!.resume();
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => { running.delete(child); res(code); for (const w of waiters.splice(0)) w(); }));
  return {
    child,
    stderr: () => err,
    exited,
    waitFor(re, timeoutMs = 15_000) {
      return new Promise((resolveMatch, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re} in stderr:\n${err}`)), timeoutMs);
        const check = () => {
          const m = err.match(re);
          if (m) { clearTimeout(timer); resolveMatch(m); return; }
          if (child.exitCode !== null || child.signalCode !== null) { clearTimeout(timer); reject(new Error(`process exited (${child.exitCode ?? child.signalCode}) before ${re}:\n${err}`)); return; }
          waiters.push(check);
        };
        check();
      });
    },
  };
}

export async function killAll(): Promise<void> {
  const waits = [...running].map((c) => new Promise<void>((r) => { c.once('exit', () => r()); c.kill('SIGKILL'); }));
  await Promise.all(waits);
}

export interface RunResult { code: number; stdout: Buffer; stderr: string }

/** Runs `dfs ARGS` to completion (killed after timeoutMs), with optional stdin. */
export function runDfs(args: string[], opts: { input?: Buffer | string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolveRun) => {
    const child = execFile(process.execPath, [...NODE_FLAGS, DFS_BIN, ...args], {
      encoding: 'buffer', maxBuffer: 1024 * 1024 * 1024, timeout: opts.timeoutMs ?? 60_000, killSignal: 'SIGKILL',
      env: { ...process.env, ...opts.env },
    }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as any).code === 'number' ? (error as any).code : 1) : 0;
      resolveRun({ code, stdout: stdout as unknown as Buffer, stderr: (stderr as unknown as Buffer).toString() });
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    else child.stdin!.end();
  });
}

/** Writes a config file with the fast test settings (plus overrides) and returns its path. */
export async function writeTestConfig(dir: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const base = JSON.parse(await import('node:fs/promises').then((f) => f.readFile(join(ROOT, 'dfs.config.json'), 'utf8')));
  for (const [k, v] of Object.entries({ ...FAST_CONFIG, ...overrides })) {
    const [section, key] = k.split('.');
    base[section][key] = v;
  }
  const file = join(dir, 'dfs.config.json');
  await writeFile(file, JSON.stringify(base, null, 2));
  return file;
}

/**
 * `dfs mount MNT` (MNT made here) as a process of its own; resolves once mounted, or fails with
 * what the mount said.
 */
export async function spawnMount(mnt: string, cfg: string, masterAddress: string): Promise<Proc> {
  await mkdir(mnt);
  const proc = spawnDfs(['mount', mnt, '--config', cfg, '--master', masterAddress]);
  try {
    await waitMounted(mnt, true, 30_000);
  } catch (e) {
    throw new Error(`${(e as Error).message}; dfs mount said:\n${proc.stderr()}`);
  }
  return proc;
}

/** Waits until `dfs nodes` lists at least `n` ALIVE chunkservers (bounded by `timeoutMs`). */
export async function waitForAlive(cfg: string, masterAddress: string, n: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await runDfs(['nodes', '--config', cfg, '--master', masterAddress]);
    const alive = r.stdout.toString().split('\n').filter((l) => /ALIVE/.test(l)).length;
    if (r.code === 0 && alive >= n) return;
    if (Date.now() > deadline) throw new Error(`only ${alive} chunkservers alive:\n${r.stdout}\n${r.stderr}`);
    await sleep(200);
  }
}

/** Ends `dfs mount` processes (SIGTERM, at most 5 s each), then every process started here, and clears any mount left. */
export async function stopMounts(mounts: ReadonlyArray<{ dir: string; proc: Proc }>): Promise<void> {
  for (const m of mounts) {
    m.proc.child.kill('SIGTERM');
    await Promise.race([m.proc.exited, sleep(5000)]);
    await abortMount(m.dir);
  }
  await killAll();
  for (const m of mounts) await abortMount(m.dir);
}

