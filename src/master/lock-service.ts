/**
 * The master's lock service: the LockTable (pure) plus bounded waits. A blocking request waits
 * at most min(its wait, LOCK_WAIT_MS_MAX) and then resolves `false` (the client asks again),
 * so no RPC hangs for ever; a cancelled call (client gone, deadline passed) drops its waiter
 * at once. Locks of a session go when it ends (EndSession) or expires (maintenance).
 *
 * Locks live in memory only: a master restart forgets them all (MooseFS does the same), and a
 * mount is not told. Also the wire adapters of the Lock and GetLock RPCs.
 */
import { DfsError } from '../common/errors';
import { LOCK_WAIT_MS_MAX, TO_EOF, type LockKind, type LockMode, type LockType } from '../common/locks';
import type { LockRequest__Output } from '../generated/dfs/LockRequest';
import type { LockInfoReply } from '../generated/dfs/LockInfoReply';
import { LockTable, type HeldLock, type LockRequest } from './lock-table';

interface Pending {
  resolve: (acquired: boolean) => void;
  timer: NodeJS.Timeout;
}

export class LockService {
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  constructor(readonly table: LockTable = new LockTable()) {}

  /**
   * Takes, converts or releases a lock. Resolves true when `req` holds now (unlock: always),
   * false when a wait ended without it (waitMs passed, `signal` aborted, the session or the
   * service ended). Rejects EAGAIN on a conflict with waitMs 0, EDEADLK, EINVAL, ENOLCK.
   */
  acquire(req: LockRequest, waitMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.closed) return Promise.reject(new DfsError('UNAVAILABLE', 'lock service stopped'));
    const r = this.table.lock(req, waitMs > 0);
    this.settle(r.woken, true);
    switch (r.status) {
      case 'granted': return Promise.resolve(true);
      case 'busy': return Promise.reject(new DfsError('EAGAIN', `lock held by pid ${r.conflict.pid} of another owner`));
      case 'deadlock': return Promise.reject(new DfsError('EDEADLK', `waiting for the lock of pid ${r.conflict.pid} would deadlock`));
      case 'waiting': return this.waitFor(r.waiterId, Math.min(waitMs, LOCK_WAIT_MS_MAX), signal);
    }
  }

  /** F_GETLK: the lock `req` would conflict with, or undefined. */
  test(req: LockRequest): HeldLock | undefined {
    return this.table.test(req);
  }

  /** Drops every lock and waiter of these sessions (ended or expired); waiters they block are granted. */
  releaseSessions(sessions: readonly string[]): void {
    for (const s of sessions) {
      const { dropped, woken } = this.table.releaseSession(s);
      this.settle(dropped, false);
      this.settle(woken, true);
    }
  }

  /** Ends every wait (false) and refuses new requests: the master stops. */
  close(): void {
    this.closed = true;
    for (const id of [...this.pending.keys()]) {
      this.table.cancel(id);
      this.settle([id], false);
    }
  }

  private waitFor(id: number, waitMs: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const giveUp = (): void => {
        this.table.cancel(id);
        this.settle([id], false);
      };
      // not unref'd: a wait is work in progress (a client's call); settle() and close() clear it
      const timer = setTimeout(giveUp, waitMs);
      const onAbort = (): void => giveUp();
      this.pending.set(id, {
        timer,
        resolve: (acquired) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(acquired);
        },
      });
      if (signal?.aborted) giveUp();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private settle(ids: readonly number[], acquired: boolean): void {
    for (const id of ids) {
      const p = this.pending.get(id);
      if (!p) continue;
      this.pending.delete(id);
      clearTimeout(p.timer);
      p.resolve(acquired);
    }
  }
}

// ------------------------------------------------------------------ wire

const KIND_OF_WIRE: Record<string, LockKind> = { LOCK_FLOCK: 'FLOCK', LOCK_POSIX: 'POSIX' };
const TYPE_OF_WIRE: Record<string, LockType> = { LOCK_READ: 'READ', LOCK_WRITE: 'WRITE', LOCK_UNLOCK: 'UNLOCK' };
const WIRE_OF_TYPE: Record<LockMode, 'LOCK_READ' | 'LOCK_WRITE'> = { READ: 'LOCK_READ', WRITE: 'LOCK_WRITE' };

/** A Lock/GetLock request as the table takes it; EINVAL for an unknown kind or type or an unsafe range. */
export function lockRequestOfWire(w: LockRequest__Output): LockRequest {
  const kind = KIND_OF_WIRE[w.kind];
  const type = TYPE_OF_WIRE[w.type];
  if (!kind) throw new DfsError('EINVAL', `lock: unknown kind ${w.kind}`);
  if (!type) throw new DfsError('EINVAL', `lock: unknown type ${w.type}`);
  const start = Number(w.start);
  const length = Number(w.length);
  if (kind === 'POSIX' && !Number.isSafeInteger(start + length)) {
    throw new DfsError('EINVAL', `lock: range ${start}+${length} past 2^53 bytes (not supported)`);
  }
  return {
    kind, type, ino: Number(w.ino), session: w.sessionId, owner: w.owner, pid: w.pid,
    start: kind === 'POSIX' ? start : 0,
    end: kind === 'POSIX' && length > 0 ? start + length : TO_EOF,
  };
}

/** The GetLock reply for a conflicting lock (or none). */
export function lockInfoOfHeld(held: HeldLock | undefined): LockInfoReply {
  if (!held) return { conflict: false };
  return {
    conflict: true, kind: held.kind === 'FLOCK' ? 'LOCK_FLOCK' : 'LOCK_POSIX', type: WIRE_OF_TYPE[held.type],
    start: held.start, length: held.end === TO_EOF ? 0 : held.end - held.start, pid: held.pid,
  };
}
