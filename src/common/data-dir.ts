/**
 * A server's own folder: created if missing, then locked.
 *
 * One process per data folder: the master's meta folder and a chunkserver's data folder are
 * taken with a lock file (`in_use.lock`, as HDFS names it) naming the holder's pid, its start
 * time and the boot. A second master on the same folder would grant leases and handles of its
 * own over the same namespace; a second chunkserver on a folder registers as another server
 * holding the same replicas, and the master then trims the "extra" copies — deleting the only
 * ones (found by black-box testing: a file lost for good).
 *
 * A lock whose holder is gone (killed, crashed, another boot, a pid reused by an unrelated
 * process) is taken over; the holder's own process may take it again (tests restart servers in
 * one process).
 */
import { readFileSync, unlinkSync, renameSync, openSync, closeSync, writeSync, mkdirSync, statSync } from 'node:fs';
import { promises as fsp } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { DfsError } from './errors';

export const LOCK_FILE = 'in_use.lock';

interface Holder {
  pid: number;
  /** /proc/<pid>/stat field 22: clock ticks since boot when the process started. */
  start: string;
  boot: string;
}

function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
}

/** Start time of a running process `pid`; undefined when there is none (a zombie is none: it holds nothing). */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces and parentheses: count from the last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return undefined; // killed, not reaped yet
    return fields[19];
  } catch {
    return undefined;
  }
}

function alive(h: Holder): boolean {
  if (h.pid === process.pid) return false;
  if (h.boot !== bootId()) return false;
  const start = startTimeOf(h.pid);
  return start !== undefined && start === h.start;
}

function readHolder(path: string): Holder | undefined {
  try {
    const h = JSON.parse(readFileSync(path, 'utf8')) as Holder;
    return Number.isSafeInteger(h.pid) ? h : undefined;
  } catch {
    return undefined;
  }
}

export interface DirLock {
  /** Removes the lock file (if it is still ours). */
  release(): void;
}

/**
 * mkdir -p, one level at a time: Node's mkdirSync(recursive) never returns for a folder that
 * cannot be made under an existing one (`/proc/x`: it spins on ENOENT at 100% CPU).
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let p = resolve(dir); ; p = dirname(p)) {
    try {
      if (statSync(p).isDirectory()) break;
      throw new DfsError('ENOTDIR', `cannot use ${dir}: ${p} is not a folder`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      missing.push(p);
      if (dirname(p) === p) break;
    }
  }
  for (const p of missing.reverse()) {
    try {
      mkdirSync(p);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'EEXIST') continue;
      throw new DfsError(err.code === 'EACCES' || err.code === 'EPERM' ? 'EACCES' : 'EIO', `cannot create ${p}: ${err.message}`, { cause: e });
    }
  }
}

/** Creates `dir` if needed and takes its lock (lockDir). */
export function takeDataDir(dir: string, role: string): DirLock {
  makeDirs(dir);
  return lockDir(dir, role);
}

/**
 * Takes `dir`'s lock for this process (`role` names it in the error: "master", "chunkserver").
 * EBUSY naming the holder when a live process holds it.
 */
export function lockDir(dir: string, role: string): DirLock {
  const path = join(dir, LOCK_FILE);
  const me: Holder = { pid: process.pid, start: startTimeOf(process.pid) ?? '', boot: bootId() };
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      try {
        writeSync(fd, `${JSON.stringify(me)}\n`);
      } finally {
        closeSync(fd);
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw e;
    }
    const holder = readHolder(path);
    if (holder && alive(holder)) {
      throw new DfsError('EBUSY', `${dir} is in use by another process (pid ${holder.pid}): one ${role} per folder`);
    }
    // stale (or unreadable: a holder killed while writing it): set aside, then take it
    try {
      renameSync(path, `${path}.stale-${process.pid}`);
      unlinkSync(`${path}.stale-${process.pid}`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  return {
    release(): void {
      const holder = readHolder(path);
      if (holder?.pid === me.pid && holder.start === me.start) {
        try { unlinkSync(path); } catch { /* gone already */ }
      }
    },
  };
}

/**
 * Replaces `file` with `text` so that a crash leaves the old content or the new one, never a
 * part: a temp file written and fsync'd, renamed over, and the folder fsync'd.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp-${randomBytes(4).toString('hex')}`;
  await fsp.writeFile(tmp, text, { flush: true });
  await fsp.rename(tmp, file);
  const dir = await fsp.open(dirname(file), 'r');
  try { await dir.sync(); } finally { await dir.close(); }
}

/** A one-line file's content, '' when it does not exist. */
export async function readLineFile(file: string): Promise<string> {
  try {
    return (await fsp.readFile(file, 'utf8')).trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw e;
  }
}
