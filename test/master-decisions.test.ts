// Table tests of the master's pure decisions: placement, report verdicts, dead servers,
// re-replication planning, and the session bookkeeping behind orphans.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { place, withRoomFor, PlacementCandidate } from '../src/master/placement';
import { judgeReport, ChunkMap, DeletionQueue, GarbageTracker } from '../src/master/chunk-map';
import { silentServers, ServerInfo } from '../src/master/server-registry';
import { COPY_WEIGHT_MIN, copyWeight, planReplication, ChunkHealth } from '../src/master/replication-plan';
import { Sessions } from '../src/master/sessions';

const GiB = 1024 ** 3;
function cand(id: string, pendingWrites: number, freeGiB: number, alive = true, capacityGiB = 100): PlacementCandidate {
  return { id, alive, pendingWrites, freeBytes: freeGiB * GiB, capacityBytes: capacityGiB * GiB };
}
const byName = (id: string) => id.charCodeAt(id.length - 1);
const onHost = (c: PlacementCandidate, host: string): PlacementCandidate => ({ ...c, host });

test('placement: table', () => {
  const cases: { name: string; servers: PlacementCandidate[]; count: number; exclude?: string[]; want: string[] }[] = [
    { name: 'no servers', servers: [], count: 3, want: [] },
    { name: 'count 0', servers: [cand('a', 0, 50)], count: 0, want: [] },
    { name: 'fewer pending writes first', servers: [cand('a', 2, 90), cand('b', 0, 10), cand('c', 1, 50)], count: 3, want: ['b', 'c', 'a'] },
    { name: 'same pending: more free fraction first', servers: [cand('a', 0, 10), cand('b', 0, 90), cand('c', 0, 50)], count: 2, want: ['b', 'c'] },
    { name: 'free fraction, not bytes', servers: [cand('a', 0, 50, true, 1000), cand('b', 0, 40, true, 50)], count: 1, want: ['b'] },
    { name: 'dead servers skipped', servers: [cand('a', 0, 90, false), cand('b', 5, 10)], count: 2, want: ['b'] },
    { name: 'excluded skipped', servers: [cand('a', 0, 90), cand('b', 0, 50), cand('c', 0, 10)], count: 3, exclude: ['a'], want: ['b', 'c'] },
    { name: 'duplicates counted once', servers: [cand('a', 0, 90), cand('a', 0, 90), cand('b', 0, 10)], count: 3, want: ['a', 'b'] },
    { name: 'near-equal free fractions: tie-break decides', servers: [cand('b', 0, 50.2), cand('a', 0, 50)], count: 2, want: ['a', 'b'] },
    { name: 'zero capacity counts as full', servers: [cand('a', 0, 0, true, 0), cand('b', 0, 1)], count: 1, want: ['b'] },
    { name: 'one replica per host first', servers: [onHost(cand('a1', 0, 90), 'A'), onHost(cand('a2', 0, 80), 'A'), onHost(cand('b1', 0, 20), 'B'), onHost(cand('c1', 0, 10), 'C')],
      count: 3, want: ['a1', 'b1', 'c1'] },
    { name: 'fewer hosts than replicas: the rest in order', servers: [onHost(cand('a1', 0, 90), 'A'), onHost(cand('a2', 0, 80), 'A'), onHost(cand('b1', 0, 20), 'B')],
      count: 3, want: ['a1', 'b1', 'a2'] },
  ];
  for (const c of cases) {
    assert.deepEqual(place(c.servers, c.count, new Set(c.exclude ?? []), byName), c.want, c.name);
  }
});

test('placement: replicas are always distinct and alive (random tie-break)', () => {
  const servers = Array.from({ length: 8 }, (_, i) => cand(`s${i}`, i % 3, 50, i !== 4));
  for (let i = 0; i < 200; i++) {
    const got = place(servers, 5);
    assert.equal(new Set(got).size, got.length);
    assert.ok(!got.includes('s4'));
    assert.equal(got.length, 5);
  }
});

test('report verdicts: table', () => {
  const cases: [number, number | undefined, string][] = [
    [3, 3, 'current'], [2, 3, 'stale'], [4, 3, 'adopt'], [1, undefined, 'garbage'],
  ];
  for (const [reported, known, want] of cases) assert.equal(judgeReport(reported, known), want, `${reported} vs ${known}`);
});

test('dead servers: silent for deadAfterMs, only ALIVE ones', () => {
  const s = (id: string, state: ServerInfo['state'], last: number): ServerInfo => ({
    id, address: 'x:1', state, capacityBytes: 0, usedBytes: 0, freeBytes: 0, activeWrites: 0, chunkCount: 0, lastHeartbeatMs: last, recentGrantsMs: [], instance: '',
  });
  const servers = [s('fresh', 'ALIVE', 9_500), s('edge', 'ALIVE', 0), s('old', 'ALIVE', -5), s('dead', 'DEAD', 0)];
  assert.deepEqual(silentServers(servers, 10_000, 10_000), ['edge', 'old']);
});

test('chunk map: full report replaces a server inventory, pages accumulate', () => {
  const m = new ChunkMap();
  m.add(1, 'a'); m.add(2, 'a'); m.add(2, 'b');
  m.fullReportPage('a', [2, 3], false);
  m.add(3, 'a');
  assert.deepEqual(m.holders(1), ['a'], 'nothing removed before the last page');
  m.fullReportPage('a', [4], true);
  assert.deepEqual(m.holders(1), []);
  assert.deepEqual(m.holders(2).sort(), ['a', 'b']);
  assert.deepEqual(m.dropServer('a').sort(), [2, 3]);
  assert.deepEqual(m.holders(2), ['b']);
  assert.equal(m.countOn('a'), 0);
});

test('deletion queue is bounded and delivered in batches', () => {
  const q = new DeletionQueue(3);
  assert.ok(q.add('a', 1, 0) && q.add('a', 2, 5) && q.add('a', 3, 0));
  assert.equal(q.add('a', 4, 0), false, 'over the bound');
  assert.equal(q.add('a', 2, 6), true, 'update of a queued handle');
  assert.deepEqual(q.take('a', 2), [{ handle: 1, version: 0 }, { handle: 2, version: 6 }]);
  assert.deepEqual(q.take('a', 10), [{ handle: 3, version: 0 }]);
  assert.deepEqual(q.take('a', 10), []);
});

test('garbage is ripe only after the grace period', () => {
  const g = new GarbageTracker(10);
  assert.equal(g.isRipe('a', 7, 1000, 500), false);
  assert.equal(g.isRipe('a', 7, 1400, 500), false);
  assert.equal(g.isRipe('a', 7, 1500, 500), true);
  assert.equal(g.isRipe('b', 7, 1500, 0), true, 'no grace');
  g.isRipe('a', 8, 1000, 500);
  g.forget('a', 8);
  assert.equal(g.isRipe('a', 8, 2000, 500), false, 'forgotten: the clock starts again');
});

test('re-replication plan: most endangered first, bounded per server, no copy onto a holder', () => {
  const servers = ['a', 'b', 'c', 'd'].map((id) => cand(id, 0, id === 'd' ? 90 : 50));
  const chunks: ChunkHealth[] = [
    { handle: 10, version: 1, goal: 3, holders: ['a', 'b'], leased: false },
    { handle: 11, version: 2, goal: 3, holders: ['a'], leased: false },
    { handle: 12, version: 1, goal: 3, holders: [], leased: false },
    { handle: 13, version: 1, goal: 2, holders: ['a', 'b', 'c'], leased: false },
    { handle: 14, version: 1, goal: 1, holders: ['a', 'b'], leased: true },
  ];
  const plan = planReplication(chunks, servers, new Map([['c', 1]]), { copiesPerServerMax: 1, tasksMax: 10 }, byName);
  assert.deepEqual(plan.copies.map((c) => [c.handle, c.target]), [[11, 'd']], 'd takes the most endangered; c is busy; then no free target');
  assert.deepEqual(plan.copies[0].sources, ['a']);
  assert.deepEqual(plan.extras.map((e) => [e.handle, e.server]), [[13, 'a']]);
  const wider = planReplication(chunks, servers, new Map(), { copiesPerServerMax: 2, tasksMax: 10 }, byName);
  for (const c of wider.copies) assert.ok(!chunks.find((x) => x.handle === c.handle)!.holders.includes(c.target));
  assert.deepEqual(wider.copies.map((c) => [c.handle, c.target]), [[11, 'd'], [10, 'd']]);
  assert.ok(!wider.copies.some((c) => c.handle === 12), 'no source: cannot copy');
  assert.equal(planReplication(chunks, servers, new Map(), { copiesPerServerMax: 2, tasksMax: 1 }).copies.length, 1);
});

test('re-replication plan: an under-replicated chunk a writer holds a lease on is not copied (the copy would miss the writes under that lease at the same version)', () => {
  const servers = ['a', 'b', 'c', 'd'].map((id) => cand(id, 0, 50));
  const chunks: ChunkHealth[] = [
    { handle: 20, version: 3, goal: 4, holders: ['a', 'b', 'c'], leased: true },
    { handle: 21, version: 1, goal: 4, holders: ['a', 'b', 'c'], leased: false },
  ];
  const plan = planReplication(chunks, servers, new Map(), { copiesPerServerMax: 4, tasksMax: 10 }, byName);
  assert.deepEqual(plan.copies.map((c) => [c.handle, c.target]), [[21, 'd']]);
});

test('re-replication plan: a small chunk\'s copy weighs its share of a full chunk (at least 1/16), so a target takes many at once', () => {
  const servers = ['a', 'b', 'c'].map((id) => cand(id, 0, 50));
  const tiny = (handle: number, weight?: number): ChunkHealth => ({ handle, version: 1, goal: 3, holders: ['a', 'b'], leased: false, weight });
  const limits = { copiesPerServerMax: 2, tasksMax: 100 };
  assert.equal(copyWeight(2000, 64 * 1024 * 1024), COPY_WEIGHT_MIN);
  assert.equal(copyWeight(16 * 1024 * 1024, 64 * 1024 * 1024), 0.25);
  assert.equal(copyWeight(64 * 1024 * 1024, 64 * 1024 * 1024), 1);
  const whole = planReplication(Array.from({ length: 40 }, (_, i) => tiny(100 + i)), servers, new Map(), limits, byName);
  assert.equal(whole.copies.length, 2, 'full chunks: copiesPerServerMax copies to c');
  const small = planReplication(Array.from({ length: 40 }, (_, i) => tiny(100 + i, COPY_WEIGHT_MIN)), servers, new Map(), limits, byName);
  assert.equal(small.copies.length, 32, 'tiny chunks: 2 / (1/16) copies to c');
  assert.ok(small.copies.every((c) => c.target === 'c' && c.weight === COPY_WEIGHT_MIN));
  const loaded = planReplication(Array.from({ length: 40 }, (_, i) => tiny(100 + i, 0.25)), servers, new Map([['c', 1.5]]), limits, byName);
  assert.equal(loaded.copies.length, 2, 'what is in flight counts by weight too: 1.5 + 2 x 0.25');
});

test('sessions: opens are counted, keep replaces the set, expiry closes', () => {
  const s = new Sessions();
  s.open('m1', 5, 0); s.open('m1', 5, 0); s.open('m2', 5, 0); s.open('m1', 6, 0);
  assert.equal(s.release('m1', 5, 1), false);
  assert.equal(s.release('m1', 5, 1), false, 'm2 still holds it');
  assert.equal(s.release('m2', 5, 1), true);
  assert.deepEqual(s.keep('m1', [7], 2), [6]);
  assert.ok(s.isOpen(7));
  assert.deepEqual(s.expire(100, 50), { sessions: ['m1', 'm2'], closed: [7] });
  assert.equal(s.isOpen(7), false);
  s.open('m3', 9, 100);
  assert.deepEqual(s.expire(120, 50).closed, [], 'a live session keeps its files');
});

test('sessions: a KeepSession whose list predates an Open does not drop that young open', () => {
  const s = new Sessions(1000);
  s.open('m', 5, 0);
  assert.deepEqual(s.keep('m', [], 500), [], 'opened 500 ms ago: an Open in flight when the list was made');
  assert.ok(s.isOpen(5));
  assert.deepEqual(s.keep('m', [], 1500), [5], 'still not listed a keepalive later: closed');
  s.open('m', 6, 2000);
  s.open('m', 6, 2900); // a second open renews the grace
  assert.deepEqual(s.keep('m', [], 3500), []);
  assert.equal(s.release('m', 6, 3600), false);
  assert.equal(s.release('m', 6, 3700), true);
});

test('Placement: a server with less than one chunk free is left out (disk full)', () => {
  const MiB = 1024 * 1024;
  const servers: PlacementCandidate[] = [
    { id: 'full', alive: true, pendingWrites: 0, freeBytes: MiB - 1, capacityBytes: 20 * MiB },
    { id: 'exact', alive: true, pendingWrites: 0, freeBytes: MiB, capacityBytes: 20 * MiB },
    { id: 'roomy', alive: true, pendingWrites: 3, freeBytes: 500 * MiB, capacityBytes: 1000 * MiB },
  ];
  assert.deepEqual(withRoomFor(servers, MiB).map((s) => s.id), ['exact', 'roomy']);
  assert.deepEqual(place(withRoomFor(servers, MiB), 3, new Set(), (id) => id.length).sort(), ['exact', 'roomy']);
  assert.deepEqual(withRoomFor(servers, 64 * MiB).map((s) => s.id), ['roomy']);
});

test('placement: a copy goes to a host that holds no replica yet, and to a used one only when no other is left', () => {
  const a1 = onHost(cand('a1', 0, 90), 'A');
  const b1 = onHost(cand('b1', 0, 10), 'B');
  assert.deepEqual(place([a1, b1], 1, new Set(), byName, ['A']), ['b1']);
  assert.deepEqual(place([a1, b1], 1, new Set(), byName, ['A', 'B']), ['a1'], 'every host used: the best one');
  const plan = planReplication([{ handle: 7, version: 1, goal: 3, holders: ['a2', 'c1'], leased: false }],
    [a1, onHost(cand('a2', 0, 50), 'A'), b1, onHost(cand('c1', 0, 50), 'C')], new Map(), { copiesPerServerMax: 2, tasksMax: 10 }, byName);
  assert.deepEqual(plan.copies.map((t) => t.target), ['b1'], 'not a1, on the host of a2, though it has more room');
});

test('re-replication plan: a chunk on fewer hosts than it could span moves a replica off a doubled host; extras go from doubled hosts first', () => {
  const a1 = onHost(cand('a1', 0, 30), 'A');
  const a2 = onHost(cand('a2', 0, 60), 'A');
  const b1 = onHost(cand('b1', 0, 50), 'B');
  const c1 = onHost(cand('c1', 0, 50), 'C');
  const servers = [a1, a2, b1, c1];
  const limits = { copiesPerServerMax: 2, tasksMax: 10 };
  const spread = (handle: number, holders: string[], hostsWanted: number): ChunkHealth =>
    ({ handle, version: 1, goal: 3, holders, leased: false, holderHosts: holders.map((id) => id[0].toUpperCase()), hostsWanted });
  const plan = planReplication([spread(1, ['a1', 'a2', 'b1'], 3)], servers, new Map(), limits, byName);
  assert.deepEqual(plan.copies, []);
  assert.deepEqual(plan.moves.map((m) => [m.source, m.target]), [['a1', 'c1']], 'from the fuller server of host A to host C');
  assert.equal(plan.moves[0].sources[0], 'a1');
  assert.deepEqual(planReplication([spread(1, ['a1', 'a2', 'b1'], 2)], servers, new Map(), limits, byName).moves, [], 'two hosts wanted, two spanned');
  assert.deepEqual(planReplication([{ ...spread(1, ['a1', 'a2', 'b1'], 3), leased: true }], servers, new Map(), limits, byName).moves, [], 'leased: left alone');
  assert.deepEqual(planReplication([spread(1, ['a1', 'a2', 'b1'], 3)], [a1, a2, b1, onHost(cand('a3', 0, 90), 'A')], new Map(), limits, byName).moves, [],
    'no server on a new host: no move onto a host already used');
  assert.deepEqual(planReplication([spread(1, ['a1', 'a2', 'b1'], 3)], servers, new Map([['c1', 2]]), limits, byName).moves, [], 'the only target is busy');
  // under-replicated chunks go first within tasksMax
  const both = planReplication([spread(1, ['a1', 'a2', 'b1'], 3), spread(2, ['a1'], 3)], servers, new Map(), { ...limits, tasksMax: 1 }, byName);
  assert.deepEqual([both.copies.length, both.moves.length], [1, 0]);
  // an over-replicated chunk loses the replica on a doubled host, even when a single-host one is fuller
  const over = planReplication([spread(3, ['a1', 'a2', 'b1', 'c1'], 3)], [a1, a2, onHost(cand('b1', 0, 1), 'B'), c1], new Map(), limits, byName);
  assert.deepEqual(over.extras.map((e) => e.server), ['a1']);
  const twoExtra = planReplication([{ ...spread(4, ['a1', 'a2', 'b1', 'c1'], 3), goal: 2 }], servers, new Map(), limits, byName);
  assert.deepEqual(twoExtra.extras.map((e) => e.server).sort(), ['a1', 'b1'], 'then the fullest of the rest; host A keeps a2');
});
