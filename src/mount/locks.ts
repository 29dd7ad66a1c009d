/**
 * The FUSE `lock` (fcntl POSIX record locks) and `flock` operations of the mount, on top of the
 * master's cluster-wide lock table (src/master/lock-table.ts) through the client library: two
 * mounts on two machines exclude each other. Locks belong to the mount's session: the master
 * drops them when the mount ends its session (unmount) or stops renewing it (crash,
 * partition longer than cluster.sessionTimeoutMs), and forgets them all when it restarts.
 *
 * Contract with libfuse 2.9's high-level API (which calls these ops with whence already
 * SEEK_SET, len 0 = to EOF; lock(F_SETLK, F_UNLCK, whole file) for the owner on every flush;
 * it does NOT release flock locks at release: the mount's release op does, with flock(LOCK_UN)
 * and the owner the binding passes when the kernel set FUSE_RELEASE_FLOCK_UNLOCK):
 * - every function resolves with a code for the FUSE callback: 0, or a negative errno; it
 *   never rejects;
 * - F_SETLKW and blocking flock wait through bounded master calls (LOCK_WAIT_MS_MAX each,
 *   called again until granted), so no request depends on one RPC that never ends; `signal`
 *   or close() end such a wait with -EINTR between two calls (a lock granted by the call in
 *   flight is kept and reported as success, so it is never held unknowingly);
 * - the F_UNLCK of every flush costs a master round trip only for an (inode, owner) that may
 *   hold POSIX locks in this session.
 */
import { constants as os } from 'node:os';
import { asDfsError, errnoOf, type DfsErrorCode } from '../common/errors';
import { LOCK_WAIT_MS_MAX, type LockSpec } from '../common/locks';
import type { Logger } from '../common/logger';
import type { DfsClientApi } from '../client/types';
import type { FuseContext as BindingContext, FuseFlock } from './native/fuse-binding';

export const F_GETLK = 5;
export const F_SETLK = 6;
export const F_SETLKW = 7;
export const F_RDLCK = 0;
export const F_WRLCK = 1;
export const F_UNLCK = 2;
export const LOCK_SH = 1;
export const LOCK_EX = 2;
export const LOCK_NB = 4;
export const LOCK_UN = 8;
const SEEK_SET = 0;

export type { FuseFlock } from './native/fuse-binding';
/** fuse_get_context() of the calling process (what locks need of it). */
export type FuseContext = Pick<BindingContext, 'uid' | 'gid' | 'pid'>;

/** fi->lock_owner: a string or a bigint (uint64). */
export type FuseLockOwner = string | bigint | number;

export interface LockOpReply {
  /** 0 or a negative errno: the FUSE callback's first argument. */
  code: number;
  /** F_GETLK only: the conflicting lock, or the request with type F_UNLCK when none conflicts. */
  lock?: FuseFlock;
}

/** A blocking wait retries transport failures (master restarting, reply lost) this many times in a row. */
const WAIT_TRANSPORT_RETRIES_MAX = 5;
const WAIT_RETRY_PAUSE_MS = 1_000;
const RETRYABLE_IN_WAIT = new Set<DfsErrorCode>(['UNAVAILABLE', 'ETIMEDOUT']);

export class MountLocks {
  /** ino → lock owners that may hold POSIX locks on it in this session (set before asking, cleared by a whole-file unlock). */
  private readonly posixOwners = new Map<number, Set<string>>();
  private closed = false;
  private readonly wake = new AbortController();

  constructor(private readonly client: DfsClientApi, private readonly log: Logger) {}

  /**
   * The FUSE `lock` op for the open file `ino` (the caller resolves it from the fd). F_GETLK
   * replies the conflicting lock (pid as its mount reported it) or the request with F_UNLCK;
   * F_SETLK fails with -EAGAIN on a conflict; F_SETLKW waits, -EDEADLK when waiting would
   * close a cycle of POSIX owners. -EINVAL for a bad cmd, type or whence; -EOVERFLOW for an
   * offset past 2^53.
   */
  async lock(ino: number, cmd: number, lk: FuseFlock, lockOwner: FuseLockOwner, ctx?: FuseContext, signal?: AbortSignal): Promise<LockOpReply> {
    const range = rangeOf(lk);
    if (typeof range === 'number') return { code: range };
    if (cmd !== F_GETLK && cmd !== F_SETLK && cmd !== F_SETLKW) return { code: -os.errno.EINVAL };
    const type = lk.type === F_RDLCK ? 'READ' : lk.type === F_WRLCK ? 'WRITE' : lk.type === F_UNLCK ? 'UNLOCK' : undefined;
    if (!type) return { code: -os.errno.EINVAL };
    const owner = String(lockOwner);
    const spec: LockSpec = { kind: 'POSIX', ino, owner, type, ...range, pid: lk.pid > 0 ? lk.pid : ctx?.pid ?? 0 };
    if (cmd === F_GETLK) return this.getLock(spec, lk);
    if (type === 'UNLOCK') return { code: await this.unlockPosix(spec) };
    this.posixOwnersOf(ino).add(owner);
    return { code: await this.acquire(spec, cmd === F_SETLKW, signal) };
  }

  /**
   * The FUSE `flock` op: LOCK_SH / LOCK_EX (waits unless LOCK_NB: -EWOULDBLOCK), LOCK_UN.
   * Converting drops the old lock first (flock(2)), so a refused LOCK_NB conversion leaves none.
   */
  async flock(ino: number, op: number, lockOwner: FuseLockOwner, ctx?: FuseContext, signal?: AbortSignal): Promise<number> {
    const base = op & ~LOCK_NB;
    const type = base === LOCK_SH ? 'READ' : base === LOCK_EX ? 'WRITE' : base === LOCK_UN ? 'UNLOCK' : undefined;
    if (!type) return -os.errno.EINVAL;
    const spec: LockSpec = { kind: 'FLOCK', ino, owner: String(lockOwner), type, pid: ctx?.pid ?? 0 };
    if (type === 'UNLOCK') return this.once(spec);
    return this.acquire(spec, (op & LOCK_NB) === 0, signal);
  }

  /** Unmount: every wait ends with -EINTR before its next master call. Call before the session ends. */
  close(): void {
    this.closed = true;
    this.wake.abort();
  }

  private async getLock(spec: LockSpec, lk: FuseFlock): Promise<LockOpReply> {
    if (spec.type === 'UNLOCK') return { code: -os.errno.EINVAL };
    try {
      const held = await this.client.getLock(spec);
      if (!held) return { code: 0, lock: { ...lk, type: F_UNLCK } };
      return { code: 0, lock: { type: held.type === 'WRITE' ? F_WRLCK : F_RDLCK, whence: SEEK_SET, start: held.start, len: held.length, pid: held.pid } };
    } catch (e) {
      return { code: this.fail(spec, e) };
    }
  }

  private async unlockPosix(spec: LockSpec): Promise<number> {
    const owners = this.posixOwners.get(spec.ino);
    if (!owners?.has(spec.owner)) return 0; // never locked here: nothing to release (every close asks)
    const code = await this.once(spec);
    if (code === 0 && spec.start === 0 && spec.length === 0) {
      owners.delete(spec.owner);
      if (owners.size === 0) this.posixOwners.delete(spec.ino);
    }
    return code;
  }

  /** One master call without waiting. */
  private async once(spec: LockSpec): Promise<number> {
    try {
      await this.client.lock({ ...spec, waitMs: 0 });
      return 0;
    } catch (e) {
      return this.fail(spec, e);
    }
  }

  /** Asks until granted (blocking) or once; transport failures during a wait are retried a bounded number of times. */
  private async acquire(spec: LockSpec, blocking: boolean, signal?: AbortSignal): Promise<number> {
    let failures = 0;
    for (;;) {
      if (this.closed || signal?.aborted) return -os.errno.EINTR;
      try {
        if (await this.client.lock({ ...spec, waitMs: blocking ? LOCK_WAIT_MS_MAX : 0 })) return 0;
        if (!blocking) return -os.errno.EAGAIN;
        failures = 0;
      } catch (e) {
        const code = asDfsError(e).code;
        if (this.closed) return -os.errno.EINTR;
        if (!blocking || !RETRYABLE_IN_WAIT.has(code) || ++failures > WAIT_TRANSPORT_RETRIES_MAX) return this.fail(spec, e);
        this.log.warn({ ino: spec.ino, kind: spec.kind, code, failures }, 'lock wait: master call failed, asking again');
        await this.pause(WAIT_RETRY_PAUSE_MS, signal);
      }
    }
  }

  private fail(spec: LockSpec, e: unknown): number {
    const err = asDfsError(e);
    const expected = err.code === 'EAGAIN' || err.code === 'EDEADLK';
    this.log[expected ? 'debug' : 'warn']({ ino: spec.ino, kind: spec.kind, type: spec.type, code: err.code, err: err.message }, 'lock op failed');
    return -errnoOf(err);
  }

  private pause(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake.signal.removeEventListener('abort', done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake.signal.addEventListener('abort', done, { once: true });
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  private posixOwnersOf(ino: number): Set<string> {
    let s = this.posixOwners.get(ino);
    if (!s) {
      s = new Set();
      this.posixOwners.set(ino, s);
    }
    return s;
  }
}

/** The byte range of a struct flock, or a negative errno. */
function rangeOf(lk: FuseFlock): { start: number; length: number } | number {
  if (lk.whence !== SEEK_SET) return -os.errno.EINVAL; // libfuse resolved SEEK_CUR/SEEK_END already
  const start = Number(lk.start);
  const length = Number(lk.len);
  if (!Number.isInteger(start) || !Number.isInteger(length) || start < 0 || length < 0) return -os.errno.EINVAL;
  if (!Number.isSafeInteger(start + length) || BigInt(lk.start) + BigInt(lk.len) !== BigInt(start + length)) return -os.errno.EOVERFLOW;
  return { start, length };
}
