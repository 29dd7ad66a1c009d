/**
 * The master's paths for big clusters (issue 6, master at scale): the re-replication scan in
 * slices that stops scanning a healthy idle cluster until something changes, full reports
 * applied in slices (and dropped when the server re-registers meanwhile), the inventory drift
 * check that is skipped when it could only find nothing again, and the off-heap holder table.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetaStore } from '../src/master/meta-store';
import { Namespace, Effects } from '../src/master/namespace';
import { ServerRegistry } from '../src/master/server-registry';
import { ChunkMap, DeletionQueue, GarbageTracker } from '../src/master/chunk-map';
import { Replicator } from '../src/master/replicator';
import { ChunkManager, REPORT_SLICE_CHUNKS } from '../src/master/chunk-manager';
import { ManualClock } from '../src/common/clock';
import { loadConfig } from '../src/common/config';
import { logger } from '../src/common/logger';
import { buildBloom } from '../src/common/bloom';
import { HolderTable } from '../src/master/holder-table';
import { driftCheckRedundant, sameDriftInput, type DriftState } from '../src/master/inventory-drift';
import type { ChunkserverLink } from '../src/master/chunkserver-link';
import type { HeartbeatRequest__Output } from '../src/generated/dfs/HeartbeatRequest';

const dirs: string[] = [];
after(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

const SERVERS = ['s0', 's1', 's2', 's3'];

/** A master's state without gRPC: CHUNKS chunks in one file, replication 3, every replica on s0..s2. */
async function setup(chunks: number) {
  const dir = await mkdtemp(join(tmpdir(), 'dfs-scale-paths-'));
  dirs.push(dir);
  const store = new MetaStore(dir);
  const clock = new ManualClock();
  const config = loadConfig({ env: {} });
  const log = logger('test');
  const ns = new Namespace({ store, clock, defaults: { chunkSizeBytes: config.cluster.chunkSizeBytes, replication: 3 }, isOpen: () => false });
  await store.tx(() => {
    ns.ensureRoot();
    const ino = Number(ns.create('/f', { mode: 0o644, uid: 0, gid: 0, chunkSize: 0, replication: 3, exclusive: true, truncate: false }, new Effects()).ino);
    for (let i = 0; i < chunks; i++) ns.recordNewChunk(ino, i, i + 1, 1);
  });
  const registry = new ServerRegistry(log);
  for (const id of SERVERS) registry.register(id, `${id}:1`, { capacityBytes: 1e12, usedBytes: 0, freeBytes: 1e12 }, clock.nowMs());
  const chunkMap = new ChunkMap();
  for (let h = 1; h <= chunks; h++) for (const id of SERVERS.slice(0, 3)) chunkMap.add(h, id);
  const deletions = new DeletionQueue(100_000);
  const garbage = new GarbageTracker(100_000);
  const link: ChunkserverLink = { grant: async () => {}, replicate: async () => {}, reachable: async () => true, close: () => {} };
  const replicator = new Replicator({ store, registry, chunkMap, deletions, clock, config, log, isLeased: () => false });
  const manager = new ChunkManager({ store, ns, registry, chunkMap, deletions, garbage, link, clock, config, log });
  // Counts the chunk records the replicator reads.
  let rangeReads = 0;
  const getRange = store.chunks.getRange.bind(store.chunks);
  store.chunks.getRange = ((opts: Parameters<typeof getRange>[0]) => {
    const it = getRange(opts);
    return { [Symbol.iterator]: function* () { for (const e of it) { rangeReads++; yield e; } } };
  }) as unknown as typeof store.chunks.getRange;
  return { store, clock, registry, chunkMap, replicator, manager, reads: () => rangeReads, close: () => store.close() };
}

test('re-replication scan: a healthy idle cluster is scanned once, then not until a replica goes', async () => {
  const s = await setup(2_500); // more than one scan slice
  await s.replicator.plan();
  assert.equal(s.reads(), 2_500, 'one whole pass');
  await s.replicator.plan();
  await s.replicator.plan();
  assert.equal(s.reads(), 2_500, 'nothing changed: no more scanning');
  s.chunkMap.remove(1_234, 's1');
  await s.replicator.plan();
  assert.equal(s.reads(), 5_000, 'a change: a new pass');
  const tasks = [...s.replicator.take('s1'), ...s.replicator.take('s3')];
  assert.deepEqual(tasks.map((t) => t.handle), [1_234], 'the under-replicated chunk is copied to a server without it');
  await s.close();
});

test('re-replication scan: a server state change or a namespace write starts a new pass', async () => {
  const s = await setup(100);
  await s.replicator.plan();
  await s.replicator.plan();
  assert.equal(s.reads(), 100);
  s.registry.transition(s.registry.get('s3')!, 'DEAD', 'test');
  await s.replicator.plan();
  assert.equal(s.reads(), 200);
  await s.replicator.plan();
  assert.equal(s.reads(), 200);
  await s.store.tx(() => s.store.meta.put('nextHandle', 10_000));
  await s.replicator.plan();
  assert.equal(s.reads(), 300);
  await s.close();
});

function fullReport(server: string, handles: number[]): HeartbeatRequest__Output {
  return {
    serverId: server, capacityBytes: 0, usedBytes: 0, freeBytes: 0, activeWrites: 0, chunkCount: handles.length,
    fullReport: true, lastPage: true, chunks: handles.map((h) => ({ handle: h, version: 1, length: 0 })), removed: [], bad: [], digest: null, instanceId: '',
  };
}

test('full report: a report bigger than a slice is applied whole; one of a registration that ended is dropped', async () => {
  const n = REPORT_SLICE_CHUNKS * 2 + 7;
  const s = await setup(n);
  s.chunkMap.dropServer('s3');
  const all = Array.from({ length: n }, (_, i) => i + 1);
  await s.manager.applyReport('s3', fullReport('s3', all));
  assert.equal(s.chunkMap.countOn('s3'), n);
  assert.ok(s.chunkMap.fullyReported('s3'));
  // Two big reports queue one behind the other; s3 re-registers while the second waits.
  s.manager.serverDead('s3');
  const first = s.manager.applyReport('s2', fullReport('s2', all));
  const stale = s.manager.applyReport('s3', fullReport('s3', all));
  s.manager.serverDead('s3'); // Register again: the waiting report belongs to the old registration
  await Promise.all([first, stale]);
  assert.equal(s.chunkMap.countOn('s2'), n);
  assert.equal(s.chunkMap.countOn('s3'), 0, 'nothing of the old report applied');
  assert.ok(!s.chunkMap.fullyReported('s3'));
  await s.close();
});

test('inventory drift: a check is redundant only when every handle was checked clean against the same digest and set', () => {
  const d = buildBloom([1, 2, 3], 3);
  const other = buildBloom([1, 2, 4], 3);
  const state = (o: Partial<DriftState>): DriftState => ({ cursor: 0, handles: new Set(), mapChanges: 5, bits: d.bits, hashes: d.hashes, cleanChecked: 3, ...o });
  assert.equal(driftCheckRedundant(undefined, 5, d, 3), false, 'never checked');
  assert.equal(driftCheckRedundant(state({}), 5, d, 3), true, 'all checked, nothing changed');
  assert.equal(driftCheckRedundant(state({ bits: Uint8Array.from(d.bits) }), 5, d, 3), true, 'equal bytes in another buffer');
  assert.equal(driftCheckRedundant(state({}), 6, d, 3), false, 'the replica set changed');
  assert.equal(driftCheckRedundant(state({}), 5, other, 3), false, 'the digest changed');
  assert.equal(driftCheckRedundant(state({ cleanChecked: 2 }), 5, d, 3), false, 'not every handle checked yet');
  assert.equal(driftCheckRedundant(state({ handles: new Set([9]) }), 5, d, 3), false, 'a suspect awaits confirmation');
  assert.equal(sameDriftInput(state({}), 5, { ...d, hashes: 6 }), false, 'other hash count');
});

test('holder table: behaves as a Map of insertion-ordered Sets under 20,000 random adds and removes', () => {
  const t = new HolderTable();
  const model = new Map<number, Set<string>>();
  let seed = 7;
  const rand = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
  const handles = [1, 2, 3, 4095, 4096, 4097, 123_456, 2 ** 40 + 3, Number.MAX_SAFE_INTEGER];
  const servers = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  for (let i = 0; i < 20_000; i++) {
    const h = handles[rand(handles.length)];
    const id = servers[rand(servers.length)];
    const set = model.get(h) ?? new Set<string>();
    if (rand(3) < 2) {
      assert.equal(t.add(h, id), !set.has(id));
      set.add(id);
      model.set(h, set);
    } else {
      assert.equal(t.remove(h, id), set.has(id));
      set.delete(id);
      if (set.size === 0) model.delete(h);
    }
    if (i % 97 === 0 || i > 19_900) {
      for (const x of handles) {
        assert.deepEqual(t.list(x), [...(model.get(x) ?? [])], `handle ${x} after op ${i}`);
        for (const sv of servers) assert.equal(t.has(x, sv), model.get(x)?.has(sv) ?? false);
      }
      assert.equal(t.size, model.size);
      assert.deepEqual([...t.keys()].sort((a, b) => a - b), [...model.keys()].sort((a, b) => a - b));
    }
  }
  assert.equal(t.remove(999, 'zz'), false);
  assert.deepEqual(t.list(999), []);
});

test('bad replicas: the last copy is kept and its server asked for one full report, not one per report of it', async () => {
  const s = await setup(1);
  s.manager.badReplica(1, 's0');
  s.manager.badReplica(1, 's1');
  assert.deepEqual(s.chunkMap.holders(1), ['s2']);
  assert.equal(s.manager.takeRecheck('s0') || s.manager.takeRecheck('s1'), false, 'another good copy: deleted, no recheck');
  s.manager.badReplica(1, 's2');
  assert.deepEqual(s.chunkMap.holders(1), [], 'out of the map');
  assert.equal(s.manager.takeRecheck('s2'), true, 'its server is asked for a full report');
  // that full report lists the bad replica again (as every later one does): no new request
  for (let i = 0; i < 3; i++) {
    await s.manager.applyReport('s2', { ...fullReport('s2', []), bad: [{ handle: 1, serverId: 's2', reason: 'block 0 does not match its checksum' }] });
    assert.equal(s.manager.takeRecheck('s2'), false, `report ${i}: no full report asked again`);
  }
  await s.close();
});
