// The mount's FUSE lock/flock adapter (src/mount/locks.ts) without FUSE: two "mounts" (two
// FakeClients with their own sessions on one in-memory lock service) exclude each other.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { constants as os } from 'node:os';
import { FakeClient } from './helpers/fake-client';
import { LockService } from '../src/master/lock-service';
import { logger } from '../src/common/logger';
import {
  MountLocks, F_GETLK, F_SETLK, F_SETLKW, F_RDLCK, F_WRLCK, F_UNLCK, LOCK_SH, LOCK_EX, LOCK_NB, LOCK_UN, type FuseFlock,
} from '../src/mount/locks';

const { EAGAIN, EINVAL, EINTR, EOVERFLOW, EWOULDBLOCK } = os.errno;
const log = logger('test');
const INO = 42;

let fakeA: FakeClient;
let fakeB: FakeClient;
let a: MountLocks;
let b: MountLocks;

beforeEach(() => {
  const shared = new LockService();
  fakeA = new FakeClient();
  fakeB = new FakeClient();
  fakeA.locks = shared;
  fakeB.locks = shared;
  fakeA.lockSession = 'mount-a';
  fakeB.lockSession = 'mount-b';
  a = new MountLocks(fakeA, log);
  b = new MountLocks(fakeB, log);
});

const lk = (type: number, start = 0, len = 0, pid = 0): FuseFlock => ({ type, whence: 0, start, len, pid });

test('Mount locks: F_SETLK excludes the other mount; F_GETLK reports the holder or F_UNLCK', async () => {
  assert.equal((await a.lock(INO, F_SETLK, lk(F_WRLCK, 0, 100, 321), 1n)).code, 0);
  assert.equal((await b.lock(INO, F_SETLK, lk(F_RDLCK, 50, 1), 1n)).code, -EAGAIN);
  assert.equal((await b.lock(INO, F_SETLK, lk(F_WRLCK, 100, 0), 1n)).code, 0, 'past the range');
  assert.deepEqual(await b.lock(INO, F_GETLK, lk(F_RDLCK, 0, 0), '7'), { code: 0, lock: { type: F_WRLCK, whence: 0, start: 0, len: 100, pid: 321 } });
  assert.deepEqual(await a.lock(INO, F_GETLK, lk(F_RDLCK, 0, 100, 5), 1n), { code: 0, lock: lk(F_UNLCK, 0, 100, 5) }, 'own lock: no conflict');
  assert.equal((await a.lock(INO, F_GETLK, lk(F_UNLCK), 1n)).code, -EINVAL);
  assert.equal((await a.lock(INO, F_SETLK, lk(F_UNLCK), 1n)).code, 0);
  assert.equal((await b.lock(INO, F_SETLK, lk(F_WRLCK, 0, 0), 1n)).code, 0, 'whole file now');
});

test('Mount locks: F_SETLKW waits and is granted when the other mount unlocks', async () => {
  await a.lock(INO, F_SETLK, lk(F_WRLCK), 'owner-a');
  let done = false;
  const waiting = b.lock(INO, F_SETLKW, lk(F_WRLCK, 10, 1), 'owner-b').then((r) => { done = true; return r; });
  await b.lock(INO, F_GETLK, lk(F_RDLCK), 'x');
  assert.equal(done, false);
  await a.lock(INO, F_SETLK, lk(F_UNLCK), 'owner-a');
  assert.deepEqual(await waiting, { code: 0 });
});

test('Mount locks: the F_UNLCK of every flush asks the master only for owners that locked the inode', async () => {
  const calls = (): number => fakeA.calls.get('lock') ?? 0;
  assert.equal((await a.lock(INO, F_SETLK, lk(F_UNLCK), 5n)).code, 0);
  assert.equal(calls(), 0, 'never locked: no round trip');
  await a.lock(INO, F_SETLK, lk(F_RDLCK, 0, 10), 5n);
  await a.lock(INO, F_SETLK, lk(F_UNLCK, 0, 5), 5n);
  await a.lock(INO, F_SETLK, lk(F_UNLCK), 6n);
  assert.equal(calls(), 2, 'a partial unlock asks; another owner does not');
  assert.equal((await b.lock(INO, F_SETLK, lk(F_WRLCK, 5, 5), 1n)).code, -EAGAIN, 'bytes 5..9 still locked');
  await a.lock(INO, F_SETLK, lk(F_UNLCK), 5n);
  await a.lock(INO, F_SETLK, lk(F_UNLCK), 5n);
  assert.equal(calls(), 3, 'the whole-file unlock forgot the owner');
  assert.equal((await b.lock(INO, F_SETLK, lk(F_WRLCK, 5, 5), 1n)).code, 0);
});

test('Mount locks: flock shared, exclusive, LOCK_NB, conversion and a blocking wait', async () => {
  assert.equal(await a.flock(INO, LOCK_SH, 1n), 0);
  assert.equal(await b.flock(INO, LOCK_SH | LOCK_NB, 1n), 0);
  assert.equal(await b.flock(INO, LOCK_EX | LOCK_NB, 1n), -EWOULDBLOCK, 'a still shares');
  assert.equal(await a.flock(INO, LOCK_EX | LOCK_NB, 1n), 0, 'b lost its lock in the refused conversion');
  const waiting = b.flock(INO, LOCK_EX, 1n);
  await b.flock(INO, LOCK_UN, 99n);
  assert.equal(await a.flock(INO, LOCK_UN, 1n), 0);
  assert.equal(await waiting, 0);
  assert.equal(await a.flock(INO, LOCK_SH | LOCK_NB, 2n), -EWOULDBLOCK);
});

test('Mount locks: bad arguments fail with EINVAL or EOVERFLOW, bigint and string owners are the same', async () => {
  assert.equal((await a.lock(INO, 99, lk(F_RDLCK), 1n)).code, -EINVAL);
  assert.equal((await a.lock(INO, F_SETLK, lk(7), 1n)).code, -EINVAL);
  assert.equal((await a.lock(INO, F_SETLK, { ...lk(F_RDLCK), whence: 1 }, 1n)).code, -EINVAL);
  assert.equal((await a.lock(INO, F_SETLK, lk(F_RDLCK, -1, 1), 1n)).code, -EINVAL);
  assert.equal((await a.lock(INO, F_SETLK, { ...lk(F_RDLCK), start: 2n ** 60n }, 1n)).code, -EOVERFLOW);
  assert.equal((await a.lock(INO, F_SETLK, { ...lk(F_RDLCK), start: 2n ** 53n - 2n, len: 2n }, 1n)).code, -EOVERFLOW);
  assert.equal(await a.flock(INO, LOCK_SH | LOCK_EX, 1n), -EINVAL);
  assert.equal(await a.flock(INO, 0, 1n), -EINVAL);
  assert.equal((await a.lock(INO, F_SETLK, { ...lk(F_WRLCK), start: 10n, len: 5n }, 18446744073709551615n)).code, 0);
  assert.equal((await a.lock(INO, F_SETLK, lk(F_WRLCK, 12, 1), '18446744073709551615')).code, 0, 'the same owner');
  assert.equal((await b.lock(INO, F_SETLK, lk(F_RDLCK, 14, 1), 1n)).code, -EAGAIN);
});

test('Mount locks: unmount ends a blocking wait with EINTR', async () => {
  await a.flock(INO, LOCK_EX, 1n);
  await a.lock(INO, F_SETLK, lk(F_WRLCK), 1n);
  const fl = b.flock(INO, LOCK_EX, 1n);
  const px = b.lock(INO, F_SETLKW, lk(F_RDLCK), 1n);
  b.close();
  await fakeB.endSession(); // as the mount does at unmount: the master drops the session's waiters
  assert.equal(await fl, -EINTR);
  assert.deepEqual(await px, { code: -EINTR });
  assert.equal(EAGAIN, EWOULDBLOCK);
});
