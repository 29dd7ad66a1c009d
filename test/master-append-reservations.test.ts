/** Where the master places O_APPEND writes (append-reservations.ts), without a cluster. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppendReservations } from '../src/master/append-reservations';

test('AppendReservations: appends follow each other past the committed size and the caller\'s own end; a commit past them, a truncate or the TTL lets them start at the size again', () => {
  const r = new AppendReservations(60_000);
  assert.equal(r.reserve(7, 100, 0, 10, 0), 100, 'the first at the committed size');
  assert.equal(r.reserve(7, 100, 0, 5, 1), 110, 'the next after it, though nothing was committed yet');
  assert.equal(r.reserve(7, 100, 200, 5, 2), 200, 'after the caller\'s own uncommitted end');
  assert.equal(r.reserve(8, 0, 0, 3, 2), 0, 'files are apart');
  r.committed(7, 150);
  assert.equal(r.reserve(7, 150, 0, 1, 3), 205, 'a commit short of the reserved end keeps it');
  r.committed(7, 206);
  assert.equal(r.size, 1, 'a commit past the reserved end drops it');
  assert.equal(r.reserve(7, 206, 0, 4, 4), 206);
  r.forget(7);
  assert.equal(r.reserve(7, 0, 0, 4, 5), 0, 'truncated: from the size again');
  assert.equal(r.reserve(7, 0, 0, 4, 5 + 60_000), 0, 'a reservation older than the TTL (its writer died) is given out again');
  assert.throws(() => r.reserve(7, 0, 0, -1, 6), /bad append length/);
});
