/**
 * Child processes of the benchmark, each with a hard deadline (SIGKILL), so a stuck mount or a
 * hung dfs command can never hang the benchmark. Anything that touches the mount runs through
 * `timedSh`/`sh` (a `timeout -s KILL` + `sh -c` child); the bench process itself never makes a
 * file system call on the mount.
 */
import { spawn, type StdioOptions } from 'node:child_process';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, in milliseconds. */
  elapsedMs: number;
}

export interface RunOptions {
  timeoutMs: number;
  /** 'ignore' sends stdout to /dev/null (for `dfs get REMOTE -`); default 'pipe'. */
  stdout?: 'pipe' | 'ignore';
  /** Called with the PID right after spawn (e.g. to sample its RSS). */
  onSpawn?: (pid: number) => void;
  cwd?: string;
}

/** Output kept per stream (the tail), enough for error messages without holding gigabytes. */
const KEEP_OUTPUT_CHARS = 64 * 1024;

/** Runs `file args` to completion; killed with SIGKILL after timeoutMs. Never rejects. */
export function run(file: string, args: string[], opts: RunOptions): Promise<RunResult> {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const stdio: StdioOptions = ['ignore', opts.stdout ?? 'pipe', 'pipe'];
    const child = spawn(file, args, { stdio, cwd: opts.cwd });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => { stdout = (stdout + d.toString()).slice(-KEEP_OUTPUT_CHARS); });
    child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-KEEP_OUTPUT_CHARS); });
    if (child.pid !== undefined) opts.onSpawn?.(child.pid);
    const timer = setTimeout(() => { child.kill('SIGKILL'); stderr += `\n(killed after ${opts.timeoutMs} ms)`; }, opts.timeoutMs);
    const finish = (code: number): void => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, elapsedMs: Number(process.hrtime.bigint() - start) / 1e6 });
    };
    child.on('error', (e) => { stderr += String(e.message); finish(127); });
    child.on('close', (code, signal) => finish(code ?? (signal ? 128 : 1)));
  });
}

/** Runs `sh -c script` under `timeout -s KILL timeoutS`. */
export function sh(script: string, timeoutS = 600): Promise<RunResult> {
  return run('timeout', ['-s', 'KILL', String(timeoutS), 'sh', '-c', script], { timeoutMs: (timeoutS + 5) * 1000 });
}

/** Like sh, but throws with the stderr tail when the script fails. */
export async function shOk(script: string, timeoutS = 600): Promise<RunResult> {
  const r = await sh(script, timeoutS);
  if (r.code !== 0) throw new Error(`\`${abbreviate(script)}\` exited ${r.code}: ${lastLine(r.stderr)}`);
  return r;
}

const ELAPSED_MARK = 'BENCH_ELAPSED_NS=';

/**
 * Runs `script` in `sh` and returns the time of the script alone in milliseconds, measured by
 * `date +%s%N` around it inside the shell (so the shell's own start-up is not counted).
 * Throws when the script fails or times out.
 */
export async function timedSh(script: string, timeoutS = 600): Promise<number> {
  const wrapped = `s=$(date +%s%N); { ${script} ; } || exit $?; e=$(date +%s%N); echo "${ELAPSED_MARK}$((e - s))"`;
  const r = await sh(wrapped, timeoutS);
  if (r.code !== 0) throw new Error(`\`${abbreviate(script)}\` exited ${r.code}: ${lastLine(r.stderr)}`);
  const m = r.stdout.match(new RegExp(`${ELAPSED_MARK}(\\d+)`));
  if (!m) throw new Error(`\`${abbreviate(script)}\`: no elapsed time in its output`);
  return Number(m[1]) / 1e6;
}

/** Single-quotes a string for sh. */
export function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The last non-empty line of a process's output (for one-line error messages). */
export function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return lines.length === 0 ? '(no output)' : lines[lines.length - 1].slice(0, 300);
}

function abbreviate(script: string): string {
  return script.length > 120 ? `${script.slice(0, 117)}...` : script;
}
