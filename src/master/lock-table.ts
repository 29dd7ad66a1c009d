/**
 * The cluster's file locks (issue 7): a pure, in-memory table of flock(2) and fcntl(2) POSIX
 * record locks per inode, with FIFO waiters. No timers, no I/O: the master's LockService
 * (lock-service.ts) turns waiters into bounded RPC waits.
 *
 * Semantics (Linux's):
 * - An owner is (mount session, lock owner). FLOCK locks: one per owner and inode, whole file;
 *   READ is shared, WRITE exclusive; converting drops the old lock first and then asks for the
 *   new one (not atomic, as flock(2) documents), so a failed LOCK_NB conversion leaves no lock.
 * - POSIX locks: byte ranges [start, end) per owner, never overlapping within one owner;
 *   locking or unlocking a range splits the owner's ranges it covers and merges adjacent or
 *   overlapping ranges of the same type. Upgrades and downgrades are atomic: a refused one
 *   leaves the owner's locks as they were. Unlock never conflicts.
 * - READ conflicts with another owner's WRITE; WRITE with any lock of another owner.
 *   FLOCK and POSIX locks never conflict with each other.
 * - A new request is granted when it conflicts with no held lock (queued waiters do not hold it
 *   back). When locks go, waiters are retried in arrival order, each against the locks held at
 *   that moment, so one release may grant several waiters.
 * - A POSIX request that would wait on an owner that (through a chain of waiting owners)
 *   waits on the requester is refused as a deadlock (EDEADLK), searching a bounded graph.
 *
 * Invariants: an inode entry exists only while it holds a lock or a waiter (memory is per lock
 * and per waiter, never per file); `held` is the number of held locks in all entries.
 */
import assert from 'node:assert/strict';
import { DfsError } from '../common/errors';
import { TO_EOF, type LockKind, type LockMode, type LockType } from '../common/locks';

/** Held locks (FLOCK locks + POSIX ranges) in the whole table; past it a request fails with ENOLCK. */
export const LOCKS_HELD_MAX = 1_000_000;
/** Waiters in the whole table; past it a blocking request fails with ENOLCK. */
export const LOCK_WAITERS_MAX = 100_000;
/** Longest session id or owner accepted (a UUID and a decimal uint64 need far less). */
export const LOCK_OWNER_CHARS_MAX = 256;
/** Owners visited by one deadlock search (beyond it the request is allowed to wait). */
const DEADLOCK_SEARCH_OWNERS_MAX = 64;

export interface LockRequest {
  kind: LockKind;
  ino: number;
  session: string;
  owner: string;
  type: LockType;
  /** POSIX: first byte; FLOCK: ignored. */
  start: number;
  /** POSIX: one past the last byte, TO_EOF for "to end of file"; FLOCK: ignored. */
  end: number;
  pid: number;
}

export interface HeldLock {
  kind: LockKind;
  ino: number;
  session: string;
  owner: string;
  type: LockMode;
  start: number;
  end: number;
  pid: number;
}

export type LockOutcome =
  | { status: 'granted' }
  /** Conflict and the caller does not wait: EAGAIN / EWOULDBLOCK. */
  | { status: 'busy'; conflict: HeldLock }
  /** Conflict; queued as waiter `waiterId` until granted or cancelled. */
  | { status: 'waiting'; waiterId: number }
  /** Waiting would close a cycle of waiting POSIX owners: EDEADLK. */
  | { status: 'deadlock'; conflict: HeldLock };

/** An outcome plus the waiters that this call granted (their locks are held now). */
export type LockResult = LockOutcome & { woken: number[] };

interface Waiter {
  id: number;
  req: LockRequest;
}

interface InodeLocks {
  /** FLOCK locks by owner key, in grant order. */
  flock: Map<string, HeldLock>;
  /** POSIX ranges of every owner, sorted by start. */
  posix: HeldLock[];
  /** In arrival order. */
  waiters: Waiter[];
}

const ownerKey = (l: { session: string; owner: string }): string => `${l.session}\u0000${l.owner}`;
const sameOwner = (a: { session: string; owner: string }, b: { session: string; owner: string }): boolean =>
  a.session === b.session && a.owner === b.owner;
const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean => a.start < b.end && b.start < a.end;
const conflicts = (held: HeldLock, req: LockRequest): boolean =>
  !sameOwner(held, req) && (held.type === 'WRITE' || req.type === 'WRITE') && (req.kind === 'FLOCK' || overlaps(held, req));

/** Throws EINVAL for a request the table must never see (the wire adapter checks first). */
export function checkLockRequest(req: LockRequest): void {
  const bad = (what: string): never => { throw new DfsError('EINVAL', `lock: ${what}`); };
  if (req.kind !== 'FLOCK' && req.kind !== 'POSIX') bad(`unknown lock kind ${String(req.kind)}`);
  if (req.type !== 'READ' && req.type !== 'WRITE' && req.type !== 'UNLOCK') bad(`unknown lock type ${String(req.type)}`);
  if (!Number.isSafeInteger(req.ino) || req.ino <= 0) bad(`bad inode ${req.ino}`);
  if (req.session === '') bad('a lock needs a mount session');
  if (req.owner === '') bad('a lock needs an owner');
  if (req.session.length > LOCK_OWNER_CHARS_MAX || req.owner.length > LOCK_OWNER_CHARS_MAX) bad(`session or owner longer than ${LOCK_OWNER_CHARS_MAX} characters`);
  if (req.kind === 'POSIX') {
    if (!Number.isSafeInteger(req.start) || req.start < 0) bad(`bad start ${req.start}`);
    if (req.end !== TO_EOF && (!Number.isSafeInteger(req.end) || req.end <= req.start)) bad(`bad range [${req.start}, ${req.end})`);
  }
}

export class LockTable {
  private readonly inodes = new Map<number, InodeLocks>();
  private readonly waiterById = new Map<number, Waiter>();
  /** POSIX waiters by owner key (deadlock search). */
  private readonly posixWaitersOf = new Map<string, Set<Waiter>>();
  private nextWaiterId = 1;
  private heldCount = 0;

  constructor(private readonly limits: { locksHeldMax: number; waitersMax: number } = { locksHeldMax: LOCKS_HELD_MAX, waitersMax: LOCK_WAITERS_MAX }) {}

  /** Held locks, waiters and inodes with either, in the whole table. */
  get size(): { held: number; waiters: number; inodes: number } {
    return { held: this.heldCount, waiters: this.waiterById.size, inodes: this.inodes.size };
  }

  /**
   * Applies `req` (lock, convert or unlock). On a conflict: `busy` when `wait` is false,
   * `deadlock` for a POSIX cycle, else `waiting`. Throws EINVAL for a malformed request and
   * ENOLCK past LOCKS_HELD_MAX held locks or LOCK_WAITERS_MAX waiters.
   */
  lock(req: LockRequest, wait: boolean): LockResult {
    checkLockRequest(req);
    const entry = this.entry(req.ino);
    try {
      let dropped: boolean;
      let outcome: LockOutcome;
      if (req.kind === 'FLOCK') {
        const mine = entry.flock.get(ownerKey(req));
        if (req.type !== 'UNLOCK' && mine?.type === req.type) {
          mine.pid = req.pid;
          return { status: 'granted', woken: [] };
        }
        if (!mine && req.type !== 'UNLOCK' && this.heldCount >= this.limits.locksHeldMax) {
          throw new DfsError('ENOLCK', `lock: ${this.heldCount} locks held, the master's limit`);
        }
        dropped = this.dropFlock(entry, req); // unlock, or the first half of a conversion
        outcome = req.type === 'UNLOCK' ? { status: 'granted' } : this.tryOrQueue(entry, req, wait);
      } else {
        outcome = req.type === 'UNLOCK' ? this.applyPosix(entry, req) : this.tryOrQueue(entry, req, wait);
        dropped = outcome.status === 'granted'; // an unlock, a downgrade or a split may free bytes
      }
      return { ...outcome, woken: dropped ? this.wake(req.ino, entry) : [] };
    } finally {
      this.prune(req.ino, entry);
    }
  }

  /** F_GETLK: the held lock that `req` (READ or WRITE) would conflict with, lowest start first; undefined when none. */
  test(req: LockRequest): HeldLock | undefined {
    checkLockRequest(req);
    if (req.type === 'UNLOCK') throw new DfsError('EINVAL', 'lock test: the type must be READ or WRITE');
    const entry = this.inodes.get(req.ino);
    const found = entry ? this.firstConflict(entry, req) : undefined;
    return found ? { ...found } : undefined;
  }

  /** Drops a waiter (its wait ended or its call was cancelled). Unknown ids are ignored. */
  cancel(waiterId: number): void {
    const w = this.waiterById.get(waiterId);
    if (!w) return;
    const entry = this.inodes.get(w.req.ino);
    assert(entry, `waiter ${waiterId} of inode ${w.req.ino} without an entry`);
    entry.waiters.splice(entry.waiters.indexOf(w), 1);
    this.forgetWaiter(w);
    this.prune(w.req.ino, entry);
  }

  /**
   * A session ended or expired: drops every lock and waiter of it. Returns the waiters of the
   * session that were dropped and the waiters of others granted by the release.
   */
  releaseSession(session: string): { dropped: number[]; woken: number[] } {
    const dropped: number[] = [];
    const woken: number[] = [];
    for (const [ino, entry] of [...this.inodes]) {
      let freed = false;
      for (const [k, l] of entry.flock) {
        if (l.session !== session) continue;
        entry.flock.delete(k);
        this.heldCount--;
        freed = true;
      }
      const kept = entry.posix.filter((l) => l.session !== session);
      if (kept.length !== entry.posix.length) {
        this.heldCount -= entry.posix.length - kept.length;
        entry.posix = kept;
        freed = true;
      }
      for (const w of entry.waiters.filter((x) => x.req.session === session)) {
        entry.waiters.splice(entry.waiters.indexOf(w), 1);
        this.forgetWaiter(w);
        dropped.push(w.id);
      }
      if (freed) woken.push(...this.wake(ino, entry));
      this.prune(ino, entry);
    }
    return { dropped, woken };
  }

  /** Every lock held on an inode: FLOCK locks in grant order, then POSIX ranges by start (tests, inspection). */
  locksOf(ino: number): HeldLock[] {
    const entry = this.inodes.get(ino);
    return entry ? [...entry.flock.values(), ...entry.posix].map((l) => ({ ...l })) : [];
  }

  // ------------------------------------------------------------------ internals

  private entry(ino: number): InodeLocks {
    let e = this.inodes.get(ino);
    if (!e) {
      e = { flock: new Map(), posix: [], waiters: [] };
      this.inodes.set(ino, e);
    }
    return e;
  }

  private prune(ino: number, entry: InodeLocks): void {
    if (entry.flock.size === 0 && entry.posix.length === 0 && entry.waiters.length === 0) this.inodes.delete(ino);
  }

  private dropFlock(entry: InodeLocks, req: LockRequest): boolean {
    if (!entry.flock.delete(ownerKey(req))) return false;
    this.heldCount--;
    return true;
  }

  /** Grants `req` when nothing conflicts; else busy, deadlock or a new waiter. */
  private tryOrQueue(entry: InodeLocks, req: LockRequest, wait: boolean): LockOutcome {
    const conflict = this.firstConflict(entry, req);
    if (!conflict) return this.grant(entry, req);
    if (!wait) return { status: 'busy', conflict: { ...conflict } };
    if (req.kind === 'POSIX' && this.wouldDeadlock(entry, req)) return { status: 'deadlock', conflict: { ...conflict } };
    if (this.waiterById.size >= this.limits.waitersMax) {
      throw new DfsError('ENOLCK', `lock: ${this.waiterById.size} waiters, the master's limit`);
    }
    const w: Waiter = { id: this.nextWaiterId++, req: { ...req } };
    entry.waiters.push(w);
    this.waiterById.set(w.id, w);
    if (req.kind === 'POSIX') {
      const k = ownerKey(req);
      const set = this.posixWaitersOf.get(k) ?? new Set<Waiter>();
      set.add(w);
      this.posixWaitersOf.set(k, set);
    }
    return { status: 'waiting', waiterId: w.id };
  }

  private grant(entry: InodeLocks, req: LockRequest): LockOutcome {
    if (req.kind === 'POSIX') return this.applyPosix(entry, req);
    if (this.heldCount + 1 > this.limits.locksHeldMax) throw new DfsError('ENOLCK', `lock: ${this.heldCount} locks held, the master's limit`);
    const { kind, ino, session, owner, pid } = req;
    entry.flock.set(ownerKey(req), { kind, ino, session, owner, type: req.type as LockMode, start: 0, end: TO_EOF, pid });
    this.heldCount++;
    return { status: 'granted' };
  }

  /**
   * Sets the owner's POSIX locks on [start, end) to `req.type` (UNLOCK removes them): its ranges
   * there are cut out, the new range added and merged with adjacent ranges of the same type.
   */
  private applyPosix(entry: InodeLocks, req: LockRequest): LockOutcome {
    const mine: HeldLock[] = [];
    const others: HeldLock[] = [];
    for (const l of entry.posix) (sameOwner(l, req) ? mine : others).push(l);
    const next: HeldLock[] = [];
    for (const l of mine) {
      if (!overlaps(l, req)) next.push(l);
      else {
        if (l.start < req.start) next.push({ ...l, end: req.start });
        if (l.end > req.end) next.push({ ...l, start: req.end });
      }
    }
    if (req.type !== 'UNLOCK') {
      const { kind, ino, session, owner, pid } = req;
      next.push({ kind, ino, session, owner, type: req.type, start: req.start, end: req.end, pid });
    }
    const merged = mergeRanges(next);
    for (const r of merged) if (req.type !== 'UNLOCK' && overlaps(r, req)) r.pid = req.pid;
    const delta = merged.length - mine.length;
    if (delta > 0 && this.heldCount + delta > this.limits.locksHeldMax) {
      throw new DfsError('ENOLCK', `lock: ${this.heldCount} locks held, the master's limit`);
    }
    entry.posix = [...others, ...merged].sort((a, b) => a.start - b.start);
    this.heldCount += delta;
    return { status: 'granted' };
  }

  private firstConflict(entry: InodeLocks, req: LockRequest): HeldLock | undefined {
    if (req.kind === 'FLOCK') {
      for (const l of entry.flock.values()) if (conflicts(l, req)) return l;
      return undefined;
    }
    for (const l of entry.posix) {
      if (l.start >= req.end) break;
      if (conflicts(l, req)) return l;
    }
    return undefined;
  }

  /** Owner keys of the POSIX locks `req` conflicts with on its inode. */
  private blockers(req: LockRequest): string[] {
    const entry = this.inodes.get(req.ino);
    if (!entry) return [];
    return entry.posix.filter((l) => conflicts(l, req)).map(ownerKey);
  }

  /** True when an owner `req` would wait on waits, directly or through other waiters, on `req`'s owner. */
  private wouldDeadlock(entry: InodeLocks, req: LockRequest): boolean {
    const me = ownerKey(req);
    const seen = new Set<string>();
    const todo = entry.posix.filter((l) => conflicts(l, req)).map(ownerKey);
    while (todo.length > 0 && seen.size < DEADLOCK_SEARCH_OWNERS_MAX) {
      const o = todo.pop()!;
      if (o === me) return true;
      if (seen.has(o)) continue;
      seen.add(o);
      for (const w of this.posixWaitersOf.get(o) ?? []) todo.push(...this.blockers(w.req));
    }
    return false;
  }

  /** Retries the inode's waiters in arrival order; returns the ids granted (and no longer waiting). */
  private wake(ino: number, entry: InodeLocks): number[] {
    const granted: number[] = [];
    for (const w of [...entry.waiters]) {
      if (this.firstConflict(entry, w.req)) continue;
      try {
        this.grant(entry, w.req);
      } catch (e) {
        if (e instanceof DfsError && e.code === 'ENOLCK') continue; // stays queued until locks go
        throw e;
      }
      entry.waiters.splice(entry.waiters.indexOf(w), 1);
      this.forgetWaiter(w);
      granted.push(w.id);
    }
    assert(this.inodes.get(ino) === entry, `inode ${ino} entry replaced while waking`);
    return granted;
  }

  private forgetWaiter(w: Waiter): void {
    this.waiterById.delete(w.id);
    if (w.req.kind !== 'POSIX') return;
    const k = ownerKey(w.req);
    const set = this.posixWaitersOf.get(k);
    set?.delete(w);
    if (set && set.size === 0) this.posixWaitersOf.delete(k);
  }
}

/** One owner's ranges, non-overlapping except same-type ones, merged where they touch with the same type. */
function mergeRanges(ranges: HeldLock[]): HeldLock[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const out: HeldLock[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && last.type === r.type && last.end >= r.start) {
      last.end = Math.max(last.end, r.end);
    } else {
      assert(!last || last.end <= r.start, `overlapping ranges of one owner: [${last?.start}, ${last?.end}) and [${r.start}, ${r.end})`);
      out.push({ ...r });
    }
  }
  return out;
}
