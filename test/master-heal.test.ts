// Table tests of the self-healing decisions (issue 4): safe mode exit, fsck classification,
// balancer moves, re-replication with draining servers, and the server state machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { safeModeExit } from '../src/master/safe-mode';
import { classifyChunk } from '../src/master/fsck';
import { planBalance } from '../src/master/balance-plan';
import { planReplication } from '../src/master/replication-plan';
import { ServerRegistry } from '../src/master/server-registry';
import { GarbageTracker } from '../src/master/chunk-map';
import { logger } from '../src/common/logger';

test('safe mode: exits on the reported fraction or the timeout, not before', () => {
  const limits = { threshold: 0.999, timeoutMs: 30_000 };
  const cases: [number, number, number, string | undefined][] = [
    [0, 0, 0, 'threshold'],          // empty namespace
    [1000, 998, 100, undefined],     // 99.8% < 99.9%
    [1000, 999, 100, 'threshold'],
    [1000, 0, 29_999, undefined],
    [1000, 0, 30_000, 'timeout'],
  ];
  for (const [total, reported, elapsed, want] of cases) assert.equal(safeModeExit(total, reported, elapsed, limits), want, `${reported}/${total} after ${elapsed}`);
});

test('fsck: chunk classification table', () => {
  const host = (id: string) => (id.startsWith('a') ? 'hostA' : 'hostB');
  const base = { goal: 3, badReplicas: 0, hostOf: host, hostsInService: 2 };
  const cases: { name: string; inService: string[]; live?: string[]; bad?: number; goal?: number; hosts?: number; want: string[] }[] = [
    { name: 'healthy', inService: ['a1', 'b1', 'b2'], want: [] },
    { name: 'missing', inService: [], want: ['MISSING'] },
    { name: 'corrupt', inService: [], bad: 1, want: ['CORRUPT'] },
    { name: 'under', inService: ['a1', 'b1'], want: ['UNDER_REPLICATED'] },
    { name: 'over', inService: ['a1', 'b1', 'b2', 'a2'], want: ['OVER_REPLICATED'] },
    { name: 'draining replica does not count', inService: ['a1', 'b1'], live: ['a1', 'b1', 'b9'], want: ['UNDER_REPLICATED'] },
    { name: 'only on draining servers: under, not missing', inService: [], live: ['b9'], want: ['UNDER_REPLICATED'] },
    { name: 'one host although two exist', inService: ['b1', 'b2', 'b3'], want: ['MIS_REPLICATED'] },
    { name: 'single-host cluster is never mis-replicated', inService: ['b1', 'b2', 'b3'], hosts: 1, want: [] },
  ];
  for (const c of cases) {
    const got = classifyChunk({ ...base, goal: c.goal ?? 3, inService: c.inService, live: c.live ?? c.inService, badReplicas: c.bad ?? 0, hostsInService: c.hosts ?? 2 });
    assert.deepEqual(got, c.want, c.name);
  }
});

test('balancer: moves from the fullest to the emptiest, never to a holder, and stops within the threshold', () => {
  const MiB = 1024 * 1024;
  const chunks = (id: string, n: number, others: string[]) => Array.from({ length: n }, (_, i) => ({ handle: id.charCodeAt(0) * 1000 + i, version: 1, holders: [id, ...others] }));
  const nodes = [
    { id: 'a', usedBytes: 40 * MiB, capacityBytes: 100 * MiB, chunks: chunks('a', 40, ['b']) },
    { id: 'b', usedBytes: 40 * MiB, capacityBytes: 100 * MiB, chunks: chunks('b', 40, ['a']) },
    { id: 'c', usedBytes: 0, capacityBytes: 100 * MiB, chunks: [] },
  ];
  const plan = planBalance(nodes, 5, 1000, 1000);
  assert.equal(plan.balanced, false);
  assert.ok(Math.abs(plan.meanPct - 26.67) < 0.01);
  assert.ok(plan.moves.length > 0);
  for (const m of plan.moves) {
    assert.equal(m.target, 'c');
    assert.ok(!nodes.find((n) => n.id === m.source)!.chunks.find((x) => x.handle === m.handle)!.holders.includes(m.target));
  }
  assert.equal(new Set(plan.moves.map((m) => m.handle)).size, plan.moves.length, 'a chunk moves once per round');
  // c ends within the threshold, without overshooting the mean.
  const cGets = plan.moves.length;
  assert.ok(cGets >= 22 && cGets <= 27, `c gets ${cGets} MiB`);
  assert.equal(planBalance(nodes, 50, 1000, 1000).balanced, true);
  assert.equal(planBalance(nodes, 5, 3, 1000).moves.length, 3, 'bounded by movesMax');
});

test('balancer: a move never leaves its chunk on fewer hosts', () => {
  const MiB = 1024 * 1024;
  // b (host B) full of chunks also on a (host A, whose own chunks may not move); the empty
  // server a2 is on host A, c on host C
  const nodes = [
    { id: 'a', usedBytes: 40 * MiB, capacityBytes: 100 * MiB, chunks: [] },
    { id: 'b', usedBytes: 40 * MiB, capacityBytes: 100 * MiB, chunks: Array.from({ length: 40 }, (_, i) => ({ handle: 1000 + i, version: 1, holders: ['b', 'a'] })) },
    { id: 'a2', usedBytes: 0, capacityBytes: 100 * MiB, chunks: [] },
  ];
  const hostOf = (id: string) => (id.startsWith('a') ? 'A' : 'B');
  assert.ok(planBalance(nodes, 5, 1000, 1000).moves.length > 0, 'without hosts a2 takes them');
  assert.deepEqual(planBalance(nodes, 5, 1000, 1000, hostOf).moves, [], 'b to a2 would leave the chunks on host A alone');
  const withC = [...nodes, { id: 'c', usedBytes: 0, capacityBytes: 100 * MiB, chunks: [] }];
  const plan = planBalance(withC, 5, 1000, 1000, (id) => (id === 'c' ? 'C' : hostOf(id)));
  assert.ok(plan.moves.length > 0);
  for (const m of plan.moves) {
    const holders = ['a', 'b'].filter((id) => id !== m.source).concat(m.target);
    assert.equal(new Set(holders.map((id) => (id === 'c' ? 'C' : hostOf(id)))).size, 2, `${m.source} -> ${m.target}`);
  }
});

test('balancer: an empty server below the band is filled even when no server is above it', () => {
  const MiB = 1024 * 1024;
  const chunks = (id: string, n: number) => Array.from({ length: n }, (_, i) => ({ handle: id.charCodeAt(0) * 1000 + i, version: 1, holders: [id] }));
  // Mean 23.6%: the fullest are only +7.7 and +6.8 points above it, the new one is 13 below.
  const used = { a: 24.1, b: 21.6, c: 31.4, d: 30.4, e: 10.6 };
  const nodes = Object.entries(used).map(([id, pct]) => ({ id, usedBytes: pct * MiB, capacityBytes: 100 * MiB, chunks: chunks(id, Math.round(pct)) }));
  const plan = planBalance(nodes, 10, 1000, 1000);
  assert.equal(plan.balanced, false);
  assert.ok(plan.moves.length > 0, 'moves are planned');
  assert.ok(plan.moves.every((m) => m.target === 'e' || m.target === 'b'), 'towards the emptiest');
  const into = plan.moves.filter((m) => m.target === 'e').length;
  assert.ok(10.6 + into >= 23.6 - 10, `e reaches the band (${10.6 + into}%)`);
});

test('re-replication: a draining holder is a source, does not count towards the goal, and is never trimmed', () => {
  const servers = ['a', 'b', 'c', 'd'].map((id) => ({ id, alive: true, pendingWrites: 0, freeBytes: 50, capacityBytes: 100 }));
  const plan = planReplication([
    { handle: 1, version: 1, goal: 3, holders: ['a', 'b'], sources: ['a', 'b', 'x'], leased: false },
    { handle: 2, version: 1, goal: 1, holders: [], sources: ['x'], leased: false },
  ], servers, new Map(), { copiesPerServerMax: 2, tasksMax: 10 });
  assert.equal(plan.copies.length, 2);
  const two = plan.copies.find((c) => c.handle === 2)!;
  assert.deepEqual(two.sources, ['x']);
  assert.ok(plan.copies[0].handle === 2, 'the chunk with no in-service replica goes first');
  const one = plan.copies.find((c) => c.handle === 1)!;
  assert.ok(!['a', 'b', 'x'].includes(one.target));
  assert.deepEqual(plan.extras, []);
});

test('server registry: decommission states change only along allowed transitions, and a drained server stays drained', () => {
  const reg = new ServerRegistry(logger('test'));
  const stats = { capacityBytes: 1, usedBytes: 0, freeBytes: 1 };
  const s = reg.register('cs1', '127.0.0.1:1', stats, 0);
  assert.equal(s.state, 'ALIVE');
  reg.decommission(s);
  assert.equal(s.state, 'DECOMMISSIONING');
  assert.ok(reg.isLive('cs1') && !reg.isAlive('cs1'));
  reg.transition(s, 'DECOMMISSIONED', 'test');
  reg.transition(s, 'DEAD', 'test');
  reg.register('cs1', '127.0.0.1:2', stats, 1);
  assert.equal(s.state, 'DECOMMISSIONING', 're-registers drained');
  reg.recommission(s);
  assert.equal(s.state, 'ALIVE');
  assert.throws(() => reg.transition(s, 'DECOMMISSIONED', 'skips DECOMMISSIONING'), /not a valid transition/);
  assert.equal(reg.find('127.0.0.1:2'), s);
});

test('garbage tracker: due after the grace period, ripe once, bounded', () => {
  const g = new GarbageTracker(2);
  assert.equal(g.isRipe('s', 1, 0, 1000), false);
  assert.equal(g.due('s', 999, 1000), false);
  assert.equal(g.due('s', 1000, 1000), true);
  assert.equal(g.isRipe('s', 1, 1000, 1000), true);
  assert.equal(g.size, 0);
  g.note('s', 1, 0); g.note('s', 2, 0); g.note('s', 3, 0);
  assert.equal(g.size, 2);
  g.prune(10_000, 5_000);
  assert.equal(g.size, 0);
});
