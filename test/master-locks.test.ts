// Cluster-wide flock and POSIX locks (issue 7): the pure lock table (flock semantics, POSIX
// ranges checked against a byte-level model, waiters, deadlocks, sessions, limits), the
// master's bounded waits, and two DfsClients (two mount sessions) on an in-process cluster.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TO_EOF, type LockKind, type LockType } from '../src/common/locks';
import { isDfsError } from '../src/common/errors';
import { sleep } from '../src/common/clock';
import { LockTable, type HeldLock, type LockRequest } from '../src/master/lock-table';
import { LockService, lockInfoOfHeld, lockRequestOfWire } from '../src/master/lock-service';
import { TestCluster } from './helpers/cluster';
import type { DfsClient } from '../src/client/dfs-client';

const INO = 7;

function req(owner: string, type: LockType, kind: LockKind = 'POSIX', start = 0, end = TO_EOF, more: Partial<LockRequest> = {}): LockRequest {
  const [session, o] = owner.includes('/') ? owner.split('/') : ['s1', owner];
  return { kind, ino: INO, session, owner: o, type, start, end, pid: 100, ...more };
}
const flock = (owner: string, type: LockType, more: Partial<LockRequest> = {}): LockRequest => req(owner, type, 'FLOCK', 0, TO_EOF, more);
const posix = (owner: string, type: LockType, start: number, end: number, more: Partial<LockRequest> = {}): LockRequest => req(owner, type, 'POSIX', start, end, more);

/** [owner type start end] of every lock on INO, in the table's order. */
function shape(t: LockTable, ino = INO): string[] {
  return t.locksOf(ino).map((l) => `${l.owner} ${l.kind === 'FLOCK' ? 'F' : 'P'}${l.type[0]} ${l.start}-${l.end === TO_EOF ? 'eof' : l.end}`);
}

describe('LockTable: flock', () => {
  test('shared locks coexist, an exclusive lock excludes everyone else, re-locking is a no-op', () => {
    const t = new LockTable();
    assert.equal(t.lock(flock('a', 'READ'), false).status, 'granted');
    assert.equal(t.lock(flock('b', 'READ'), false).status, 'granted');
    const busy = t.lock(flock('c', 'WRITE', { pid: 9 }), false);
    assert.equal(busy.status, 'busy');
    assert.equal(busy.status === 'busy' && busy.conflict.owner, 'a', 'the first conflicting holder is reported');
    assert.equal(t.lock(flock('a', 'READ'), false).status, 'granted', 'same owner, same type');
    assert.deepEqual(shape(t), ['a FR 0-eof', 'b FR 0-eof']);
    t.lock(flock('a', 'UNLOCK'), false);
    t.lock(flock('b', 'UNLOCK'), false);
    assert.equal(t.lock(flock('c', 'WRITE'), false).status, 'granted');
    assert.equal(t.lock(flock('a', 'READ'), false).status, 'busy');
    assert.equal(t.lock(flock('c', 'WRITE'), false).status, 'granted', 'the holder asks again');
    assert.equal(t.lock(flock('z', 'UNLOCK'), false).status, 'granted', 'unlock without a lock');
    t.lock(flock('c', 'UNLOCK'), false);
    assert.deepEqual(t.size, { held: 0, waiters: 0, inodes: 0 });
  });

  test('owners are (session, owner): the same owner name in two sessions conflicts', () => {
    const t = new LockTable();
    t.lock(flock('m1/fd', 'WRITE'), false);
    assert.equal(t.lock(flock('m2/fd', 'WRITE'), false).status, 'busy');
    assert.equal(t.lock(flock('m1/fd', 'WRITE'), false).status, 'granted');
  });

  test('conversion drops the old lock first: a refused LOCK_NB upgrade leaves no lock (flock(2))', () => {
    const t = new LockTable();
    t.lock(flock('a', 'READ'), false);
    assert.equal(t.lock(flock('a', 'WRITE'), false).status, 'granted', 'alone: upgrade');
    assert.equal(t.lock(flock('a', 'READ'), false).status, 'granted', 'downgrade');
    t.lock(flock('b', 'READ'), false);
    assert.equal(t.lock(flock('a', 'WRITE'), false).status, 'busy');
    assert.deepEqual(shape(t), ['b FR 0-eof'], 'a lost its shared lock');
  });

  test('a downgrade wakes shared waiters; a converting owner is served before the waiters it releases', () => {
    const t = new LockTable();
    t.lock(flock('a', 'WRITE'), false);
    const w1 = t.lock(flock('b', 'READ'), true);
    const w2 = t.lock(flock('c', 'READ'), true);
    assert.equal(w1.status, 'waiting');
    const down = t.lock(flock('a', 'READ'), false);
    assert.equal(down.status, 'granted');
    assert.deepEqual(down.woken, [w1.status === 'waiting' && w1.waiterId, w2.status === 'waiting' && w2.waiterId]);
    assert.deepEqual(shape(t), ['a FR 0-eof', 'b FR 0-eof', 'c FR 0-eof']);
    // a, b, c share; d waits for exclusive; a upgrades: it drops its lock, still conflicts with b, c and waits too
    const d = t.lock(flock('d', 'WRITE'), true);
    const up = t.lock(flock('a', 'WRITE'), true);
    assert.equal(up.status, 'waiting');
    t.lock(flock('b', 'UNLOCK'), false);
    const last = t.lock(flock('c', 'UNLOCK'), false);
    assert.deepEqual(last.woken, [d.status === 'waiting' && d.waiterId], 'first come, first served');
    const after = t.lock(flock('d', 'UNLOCK'), false);
    assert.deepEqual(after.woken, [up.status === 'waiting' && up.waiterId]);
  });

  test('flock and POSIX locks never conflict', () => {
    const t = new LockTable();
    t.lock(flock('a', 'WRITE'), false);
    assert.equal(t.lock(posix('b', 'WRITE', 0, TO_EOF), false).status, 'granted');
    assert.equal(t.test(posix('c', 'WRITE', 0, 10))?.kind, 'POSIX');
    assert.equal(t.test(flock('c', 'READ'))?.owner, 'a');
  });
});

describe('LockTable: POSIX ranges', () => {
  test('conflict rules: overlap plus at least one writer, another owner', () => {
    const t = new LockTable();
    t.lock(posix('a', 'WRITE', 0, 100), false);
    assert.equal(t.lock(posix('b', 'WRITE', 100, 200), false).status, 'granted', 'adjacent, no overlap');
    assert.equal(t.lock(posix('c', 'READ', 99, 100), false).status, 'busy');
    assert.equal(t.lock(posix('a', 'WRITE', 50, 150), false).status, 'busy', 'a overlaps b');
    t.lock(posix('c', 'READ', 300, 400), false);
    assert.equal(t.lock(posix('d', 'READ', 350, TO_EOF), false).status, 'granted', 'readers share');
    assert.equal(t.lock(posix('e', 'WRITE', 1000, TO_EOF), false).status, 'busy', 'to EOF meets to EOF');
  });

  test('unlocking the middle splits a range; locking it again merges it back into one', () => {
    const t = new LockTable();
    t.lock(posix('a', 'WRITE', 0, 100), false);
    t.lock(posix('a', 'UNLOCK', 40, 60), false);
    assert.deepEqual(shape(t), ['a PW 0-40', 'a PW 60-100']);
    assert.equal(t.lock(posix('b', 'WRITE', 40, 60), false).status, 'granted', 'the hole is free');
    t.lock(posix('b', 'UNLOCK', 0, TO_EOF), false);
    t.lock(posix('a', 'WRITE', 40, 60), false);
    assert.deepEqual(shape(t), ['a PW 0-100']);
    t.lock(posix('a', 'WRITE', 100, 120), false);
    assert.deepEqual(shape(t), ['a PW 0-120'], 'adjacent ranges of one type merge');
    assert.equal(t.size.held, 1);
  });

  test('a downgrade of the middle gives three ranges; an overlapping read over writes changes their type', () => {
    const t = new LockTable();
    t.lock(posix('a', 'WRITE', 0, 100), false);
    t.lock(posix('a', 'READ', 20, 30), false);
    assert.deepEqual(shape(t), ['a PW 0-20', 'a PR 20-30', 'a PW 30-100']);
    assert.equal(t.lock(posix('b', 'READ', 25, 26), false).status, 'granted', 'the downgraded bytes are shared now');
    t.lock(posix('a', 'READ', 10, TO_EOF), false);
    assert.deepEqual(shape(t), ['a PW 0-10', 'a PR 10-eof', 'b PR 25-26']);
  });

  test('an upgrade refused by another reader is atomic: the old read lock stays', () => {
    const t = new LockTable();
    t.lock(posix('a', 'READ', 0, 10), false);
    t.lock(posix('b', 'READ', 5, 6), false);
    const r = t.lock(posix('a', 'WRITE', 0, 10), false);
    assert.equal(r.status, 'busy');
    assert.deepEqual(shape(t), ['a PR 0-10', 'b PR 5-6']);
    t.lock(posix('b', 'UNLOCK', 0, TO_EOF), false);
    assert.equal(t.lock(posix('a', 'WRITE', 0, 10), false).status, 'granted');
    assert.deepEqual(shape(t), ['a PW 0-10']);
  });

  test('F_GETLK reports the conflicting lock with the lowest start and its pid, ignores own locks', () => {
    const t = new LockTable();
    t.lock(posix('a', 'READ', 50, 60, { pid: 501 }), false);
    t.lock(posix('b', 'WRITE', 10, 20, { pid: 502 }), false);
    t.lock(posix('c', 'WRITE', 100, TO_EOF, { pid: 503 }), false);
    assert.equal(t.test(posix('d', 'WRITE', 0, TO_EOF))?.pid, 502);
    assert.equal(t.test(posix('d', 'READ', 40, 70)), undefined, 'read meets read');
    assert.equal(t.test(posix('d', 'WRITE', 55, 56))?.pid, 501);
    assert.deepEqual(t.test(posix('d', 'READ', 5000, 5001)), { kind: 'POSIX', ino: INO, session: 's1', owner: 'c', type: 'WRITE', start: 100, end: TO_EOF, pid: 503 });
    assert.equal(t.test(posix('b', 'WRITE', 10, 20)), undefined, 'own lock');
    assert.throws(() => t.test(posix('d', 'UNLOCK', 0, 1)), (e) => isDfsError(e, 'EINVAL'));
    assert.equal(t.test({ ...posix('d', 'WRITE', 0, 1), ino: 99 }), undefined, 'another inode');
  });

  test('ranges against a byte-level model: 3 owners, 2,000 random non-blocking operations', () => {
    const BYTES = 48; // finite ranges end at BYTES at most; cell BYTES stands for every byte after
    const owners = ['a', 'b', 'c'];
    const model = new Map(owners.map((o) => [o, new Array<LockType | null>(BYTES + 1).fill(null)]));
    const t = new LockTable();
    let seed = 12345;
    const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    for (let i = 0; i < 2000; i++) {
      const owner = owners[rnd(3)];
      const type = (['READ', 'WRITE', 'UNLOCK'] as const)[rnd(3)];
      const start = rnd(BYTES - 1);
      const end = rnd(5) === 0 ? TO_EOF : start + 1 + rnd(Math.min(12, BYTES - start));
      const last = end === TO_EOF ? BYTES + 1 : end;
      const conflict = type !== 'UNLOCK' && owners.some((o) => o !== owner &&
        model.get(o)!.slice(start, last).some((x) => x !== null && (x === 'WRITE' || type === 'WRITE')));
      const r = t.lock(posix(owner, type, start, end), false);
      assert.equal(r.status, conflict ? 'busy' : 'granted', `op ${i}: ${owner} ${type} [${start}, ${end})`);
      if (!conflict) model.get(owner)!.fill(type === 'UNLOCK' ? null : type, start, last);
      checkAgainstModel(t.locksOf(INO), model, BYTES, i);
    }
  });
});

function checkAgainstModel(held: HeldLock[], model: Map<string, (LockType | null)[]>, bytes: number, op: number): void {
  for (const [owner, want] of model) {
    const mine = held.filter((l) => l.owner === owner);
    const got = new Array<LockType | null>(bytes + 1).fill(null);
    for (const l of mine) got.fill(l.type, l.start, l.end === TO_EOF ? bytes + 1 : l.end);
    assert.deepEqual(got, want, `op ${op}: bytes of ${owner}`);
    for (let i = 1; i < mine.length; i++) {
      assert.ok(mine[i - 1].end <= mine[i].start, `op ${op}: ${owner}'s ranges overlap`);
      assert.ok(!(mine[i - 1].end === mine[i].start && mine[i - 1].type === mine[i].type), `op ${op}: ${owner}'s touching ranges not merged`);
    }
  }
}

describe('LockTable: waiters, deadlocks, sessions, limits', () => {
  test('waiters are retried in arrival order; one unlock can grant several readers', () => {
    const t = new LockTable();
    t.lock(posix('a', 'WRITE', 0, 100), false);
    const w = t.lock(posix('b', 'WRITE', 10, 20), true);
    const r1 = t.lock(posix('c', 'READ', 15, 16), true);
    const r2 = t.lock(posix('d', 'READ', 50, 60), true);
    assert.deepEqual([w.status, r1.status, r2.status], ['waiting', 'waiting', 'waiting']);
    const id = (x: typeof w): number => (x.status === 'waiting' ? x.waiterId : -1);
    const u = t.lock(posix('a', 'UNLOCK', 0, TO_EOF), false);
    assert.deepEqual(u.woken, [id(w), id(r2)], 'b first; c still conflicts with b; d is free');
    assert.deepEqual(t.lock(posix('b', 'UNLOCK', 0, TO_EOF), false).woken, [id(r1)]);
    assert.equal(t.size.waiters, 0);
  });

  test('a granted request does not wait behind queued waiters (Linux)', () => {
    const t = new LockTable();
    t.lock(posix('a', 'READ', 0, 10), false);
    assert.equal(t.lock(posix('w', 'WRITE', 0, 10), true).status, 'waiting');
    assert.equal(t.lock(posix('r', 'READ', 0, 10), false).status, 'granted');
  });

  test('a cancelled waiter is never granted', () => {
    const t = new LockTable();
    t.lock(flock('a', 'WRITE'), false);
    const w = t.lock(flock('b', 'WRITE'), true);
    assert.equal(w.status, 'waiting');
    t.cancel(w.status === 'waiting' ? w.waiterId : -1);
    t.cancel(12345);
    assert.deepEqual(t.lock(flock('a', 'UNLOCK'), false).woken, []);
    assert.deepEqual(t.size, { held: 0, waiters: 0, inodes: 0 });
  });

  test('EDEADLK: two owners waiting on each other, and a three-owner cycle', () => {
    const t = new LockTable();
    t.lock(posix('a', 'WRITE', 0, 10), false);
    t.lock(posix('b', 'WRITE', 10, 20), false);
    t.lock(posix('c', 'WRITE', 20, 30), false);
    assert.equal(t.lock(posix('a', 'WRITE', 10, 20), true).status, 'waiting', 'a waits on b');
    assert.equal(t.lock(posix('b', 'WRITE', 0, 5), false).status, 'busy', 'no wait, no deadlock');
    const dl = t.lock(posix('b', 'WRITE', 0, 5), true);
    assert.equal(dl.status, 'deadlock');
    assert.equal(dl.status === 'deadlock' && dl.conflict.owner, 'a');
    assert.equal(t.lock(posix('b', 'WRITE', 20, 25), true).status, 'waiting', 'b waits on c');
    assert.equal(t.lock(posix('c', 'READ', 0, 1), true).status, 'deadlock', 'c → a → b → c');
    assert.equal(t.lock(posix('d', 'READ', 0, 1), true).status, 'waiting', 'd is in no cycle');
    assert.equal(t.lock(posix('c', 'READ', 1, 2, { ino: INO + 1 }), true).status, 'granted', 'another inode');
  });

  test('the end of a session drops its locks and waiters and grants the waiters of others', () => {
    const t = new LockTable();
    t.lock(flock('m1/fd1', 'WRITE'), false);
    t.lock(posix('m1/p1', 'WRITE', 0, 10), false);
    t.lock(posix('m1/p1', 'READ', 20, 30, { ino: INO + 1 }), false);
    const other = t.lock(posix('m2/p2', 'WRITE', 5, 6), true);
    const mine = t.lock(posix('m1/p9', 'WRITE', 5, 6), true);
    const fl = t.lock(flock('m2/fd2', 'READ'), true);
    const id = (x: typeof other): number => (x.status === 'waiting' ? x.waiterId : -1);
    const r = t.releaseSession('m1');
    assert.deepEqual(r.dropped, [id(mine)]);
    assert.deepEqual(r.woken.sort(), [id(other), id(fl)].sort());
    assert.deepEqual(shape(t), ['fd2 FR 0-eof', 'p2 PW 5-6']);
    assert.deepEqual(shape(t, INO + 1), []);
    assert.deepEqual(t.size, { held: 2, waiters: 0, inodes: 1 });
    assert.deepEqual(t.releaseSession('m2'), { dropped: [], woken: [] });
    assert.deepEqual(t.size, { held: 0, waiters: 0, inodes: 0 }, 'memory per lock, never per file');
  });

  test('limits: ENOLCK past the held-lock and waiter bounds; a failed request leaves nothing behind', () => {
    const t = new LockTable({ locksHeldMax: 2, waitersMax: 1 });
    t.lock(posix('a', 'WRITE', 0, 10), false);
    t.lock(posix('a', 'WRITE', 20, 30), false);
    assert.throws(() => t.lock(posix('a', 'WRITE', 40, 50), false), (e) => isDfsError(e, 'ENOLCK'));
    assert.throws(() => t.lock({ ...flock('b', 'READ'), ino: 99 }, false), (e) => isDfsError(e, 'ENOLCK'));
    assert.equal(t.lock(posix('a', 'WRITE', 10, 20), false).status, 'granted', 'a merge needs no new lock');
    assert.deepEqual(shape(t), ['a PW 0-30']);
    assert.equal(t.lock(posix('b', 'READ', 0, 1), true).status, 'waiting');
    assert.throws(() => t.lock(posix('c', 'READ', 0, 1), true), (e) => isDfsError(e, 'ENOLCK'));
    assert.deepEqual(t.size, { held: 1, waiters: 1, inodes: 1 });
  });

  test('malformed requests fail with EINVAL', () => {
    const t = new LockTable();
    const bad: Partial<LockRequest>[] = [
      { ino: 0 }, { ino: 1.5 }, { session: '' }, { owner: '' }, { start: -1 }, { start: 10, end: 10 }, { start: 10, end: 5 },
      { end: 2 ** 60 }, { kind: 'BOTH' as LockKind }, { type: 'SHARED' as LockType }, { owner: 'o'.repeat(257) },
    ];
    for (const b of bad) assert.throws(() => t.lock({ ...posix('a', 'WRITE', 0, 100), ...b }, false), (e) => isDfsError(e, 'EINVAL'), JSON.stringify(b));
    assert.deepEqual(t.size, { held: 0, waiters: 0, inodes: 0 });
  });
});

describe('LockService: bounded waits', () => {
  test('a wait is granted by an unlock, ends false after its wait, or when aborted', async () => {
    const s = new LockService();
    assert.equal(await s.acquire(flock('a', 'WRITE'), 0), true);
    await assert.rejects(s.acquire(flock('b', 'WRITE'), 0), (e) => isDfsError(e, 'EAGAIN'));
    const granted = s.acquire(flock('b', 'WRITE'), 10_000);
    assert.equal(s.table.size.waiters, 1);
    await s.acquire(flock('a', 'UNLOCK'), 0);
    assert.equal(await granted, true);
    assert.equal(await s.acquire(flock('c', 'READ'), 20), false, 'the wait ended without the lock');
    const ac = new AbortController();
    const aborted = s.acquire(flock('c', 'READ'), 10_000, ac.signal);
    ac.abort();
    assert.equal(await aborted, false);
    assert.deepEqual(s.table.size, { held: 1, waiters: 0, inodes: 1 });
  });

  test('the end of a session ends its waits and grants others; close ends every wait', async () => {
    const s = new LockService();
    await s.acquire(posix('m1/x', 'WRITE', 0, 10), 0);
    const theirs = s.acquire(posix('m2/y', 'READ', 0, 10), 10_000);
    const mine = s.acquire(posix('m1/z', 'READ', 5, 6), 10_000);
    s.releaseSessions(['m1']);
    assert.equal(await theirs, true);
    assert.equal(await mine, false);
    const pending = s.acquire(posix('m4/w', 'WRITE', 0, 1), 10_000);
    s.close();
    assert.equal(await pending, false);
    await assert.rejects(s.acquire(posix('m5/w', 'READ', 100, 101), 0), (e) => isDfsError(e, 'UNAVAILABLE'));
  });

  test('wire: POSIX ranges, flock whole file, unknown kinds and unsafe ranges', () => {
    const wire = { sessionId: 's', ino: 3, kind: 'LOCK_POSIX', owner: 'o', type: 'LOCK_WRITE', start: 10, length: 0, pid: 4, waitMs: 0 } as const;
    assert.deepEqual(lockRequestOfWire(wire), { kind: 'POSIX', type: 'WRITE', ino: 3, session: 's', owner: 'o', pid: 4, start: 10, end: TO_EOF });
    assert.equal(lockRequestOfWire({ ...wire, length: 5 }).end, 15);
    assert.deepEqual([lockRequestOfWire({ ...wire, kind: 'LOCK_FLOCK', start: 7 }).start, lockRequestOfWire({ ...wire, kind: 'LOCK_FLOCK', length: 7 }).end], [0, TO_EOF]);
    assert.throws(() => lockRequestOfWire({ ...wire, kind: 'LOCK_KIND_UNSPECIFIED' }), (e) => isDfsError(e, 'EINVAL'));
    assert.throws(() => lockRequestOfWire({ ...wire, type: 'LOCK_TYPE_UNSPECIFIED' }), (e) => isDfsError(e, 'EINVAL'));
    assert.throws(() => lockRequestOfWire({ ...wire, start: 2 ** 53 }), (e) => isDfsError(e, 'EINVAL'));
    assert.deepEqual(lockInfoOfHeld(undefined), { conflict: false });
    assert.deepEqual(lockInfoOfHeld({ kind: 'POSIX', ino: 3, session: 's', owner: 'o', type: 'READ', start: 10, end: TO_EOF, pid: 4 }),
      { conflict: true, kind: 'LOCK_POSIX', type: 'LOCK_READ', start: 10, length: 0, pid: 4 });
  });
});

describe('Locks over RPC: two mount sessions on an in-process cluster', () => {
  let cluster: TestCluster;
  let a: DfsClient;
  let b: DfsClient;
  let ino: number;

  before(async () => {
    cluster = await TestCluster.start({ chunkservers: 0, config: { 'cluster.sessionTimeoutMs': 1_000, 'cluster.deadAfterMs': 400 } });
    a = cluster.client({ sessionId: 'mount-a' });
    b = cluster.client({ sessionId: 'mount-b' });
    ino = Number((await a.create('/locked')).ino);
  });

  after(async () => {
    await cluster?.stop();
  });

  test('Locks: flock and POSIX locks exclude across two sessions; GetLock reports the holder', async () => {
    assert.equal(await a.lock({ kind: 'FLOCK', ino, owner: '1', type: 'WRITE' }), true);
    await assert.rejects(b.lock({ kind: 'FLOCK', ino, owner: '1', type: 'READ' }), (e) => isDfsError(e, 'EAGAIN'));
    assert.deepEqual(await b.getLock({ kind: 'FLOCK', ino, owner: '1', type: 'READ' }), { kind: 'FLOCK', type: 'WRITE', start: 0, length: 0, pid: 0 });
    await a.lock({ kind: 'FLOCK', ino, owner: '1', type: 'UNLOCK' });
    assert.equal(await b.lock({ kind: 'FLOCK', ino, owner: '1', type: 'READ' }), true);
    assert.equal(await a.lock({ kind: 'FLOCK', ino, owner: '2', type: 'READ' }), true, 'shared');
    await b.lock({ kind: 'FLOCK', ino, owner: '1', type: 'UNLOCK' });
    await a.lock({ kind: 'FLOCK', ino, owner: '2', type: 'UNLOCK' });

    assert.equal(await a.lock({ kind: 'POSIX', ino, owner: '77', type: 'WRITE', start: 0, length: 100, pid: 4242 }), true);
    assert.equal(await b.lock({ kind: 'POSIX', ino, owner: '77', type: 'WRITE', start: 100, length: 0, pid: 5151 }), true);
    await assert.rejects(b.lock({ kind: 'POSIX', ino, owner: '78', type: 'READ', start: 99, length: 1 }), (e) => isDfsError(e, 'EAGAIN'));
    assert.deepEqual(await b.getLock({ kind: 'POSIX', ino, owner: '78', type: 'READ', start: 50, length: 0 }), { kind: 'POSIX', type: 'WRITE', start: 0, length: 100, pid: 4242 });
    assert.deepEqual(await a.getLock({ kind: 'POSIX', ino, owner: '77', type: 'READ', start: 0, length: 0 }), { kind: 'POSIX', type: 'WRITE', start: 100, length: 0, pid: 5151 });
    await a.lock({ kind: 'POSIX', ino, owner: '77', type: 'UNLOCK' });
    await b.lock({ kind: 'POSIX', ino, owner: '77', type: 'UNLOCK' });
    assert.equal(await b.getLock({ kind: 'POSIX', ino, owner: '1', type: 'WRITE' }), undefined);
  });

  test('Locks: bad requests: no session, unknown inode, bad range', async () => {
    const plain = cluster.client();
    await assert.rejects(plain.lock({ kind: 'FLOCK', ino, owner: '1', type: 'READ' }), (e) => isDfsError(e, 'EINVAL'));
    await assert.rejects(a.lock({ kind: 'FLOCK', ino: 999_999, owner: '1', type: 'READ' }), (e) => isDfsError(e, 'ENOENT'));
    await assert.rejects(a.lock({ kind: 'POSIX', ino, owner: '1', type: 'READ', start: -1 }), (e) => isDfsError(e, 'EINVAL'));
    await assert.rejects(a.lock({ kind: 'POSIX', ino, owner: '', type: 'READ' }), (e) => isDfsError(e, 'EINVAL'));
  });

  test('Locks: a blocking wait is woken by the unlock of the other session', async () => {
    await a.lock({ kind: 'POSIX', ino, owner: '1', type: 'WRITE', start: 0, length: 10 });
    let done = false;
    const waiting = b.lock({ kind: 'POSIX', ino, owner: '1', type: 'WRITE', start: 5, length: 1, waitMs: 10_000 }).then((r) => { done = true; return r; });
    // a round trip on b's channel after its Lock: the wait has reached the master
    assert.equal((await b.getLock({ kind: 'POSIX', ino, owner: '2', type: 'READ', start: 0, length: 1 }))?.start, 0);
    assert.equal(done, false, 'no lock while a holds it');
    await a.lock({ kind: 'POSIX', ino, owner: '1', type: 'UNLOCK', start: 0, length: 10 });
    assert.equal(await waiting, true);
    await assert.rejects(a.lock({ kind: 'POSIX', ino, owner: '1', type: 'READ', start: 5, length: 1 }), (e) => isDfsError(e, 'EAGAIN'));
    await b.lock({ kind: 'POSIX', ino, owner: '1', type: 'UNLOCK' });
  });

  test('Locks: the locks of a session go when it ends cleanly, and when it expires (a crashed mount)', async () => {
    const c = cluster.client({ sessionId: 'mount-c' });
    await c.lock({ kind: 'FLOCK', ino, owner: '9', type: 'WRITE' });
    const orphan = Number((await c.create('/open-in-c')).ino);
    await c.delete('/open-in-c');
    assert.equal(await b.lock({ kind: 'FLOCK', ino: orphan, owner: '1', type: 'READ' }), true, 'an unlinked file open in c can be locked');
    await b.lock({ kind: 'FLOCK', ino: orphan, owner: '1', type: 'UNLOCK' });
    await sleep(1_500); // longer than cluster.sessionTimeoutMs: KeepSession keeps the session and its lock
    await assert.rejects(b.lock({ kind: 'FLOCK', ino, owner: '9', type: 'WRITE' }), (e) => isDfsError(e, 'EAGAIN'));
    const waiting = b.lock({ kind: 'FLOCK', ino, owner: '9', type: 'WRITE', waitMs: 10_000 });
    await c.endSession();
    assert.equal(await waiting, true, 'EndSession released the lock');
    await assert.rejects(b.lock({ kind: 'FLOCK', ino: orphan, owner: '1', type: 'READ' }), (e) => isDfsError(e, 'ENOENT'), 'and closed its files');
    await b.lock({ kind: 'FLOCK', ino, owner: '9', type: 'UNLOCK' });

    const d = cluster.client({ sessionId: 'mount-d' });
    await d.lock({ kind: 'POSIX', ino, owner: '3', type: 'WRITE', start: 0, length: 0 });
    d.close(); // no EndSession, no more KeepSession: the master expires it after cluster.sessionTimeoutMs
    while (!(await b.lock({ kind: 'POSIX', ino, owner: '3', type: 'WRITE', start: 0, length: 0, waitMs: 2_000 }))) { /* ask again */ }
    assert.equal((await a.getLock({ kind: 'POSIX', ino, owner: '1', type: 'READ' }))?.type, 'WRITE', 'b holds it now');
    await b.lock({ kind: 'POSIX', ino, owner: '3', type: 'UNLOCK' });
  });
});
