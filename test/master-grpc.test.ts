// The master over gRPC on 127.0.0.1:0 with tiny fake chunkservers (Grant/Replicate only):
// allocation, leases, version bumps, repair, reports, deletions, dead servers, sessions,
// uploads and a restart on the same metaDir.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { ManualClock } from '../src/common/clock';
import { loadConfig, type Config } from '../src/common/config';
import { proto, masterClient, callUnary, bindServer, stopServer, type MasterClient } from '../src/common/rpc';
import { CHUNKSERVER_CALLS, serveMetaCalls } from '../src/common/meta-calls';
import type { DfsError } from '../src/common/errors';
import { FILE_CHUNKS_MAX } from '../src/common/limits';
import type { GrantRequest__Output } from '../src/generated/dfs/GrantRequest';
import type { ReplicateRequest__Output } from '../src/generated/dfs/ReplicateRequest';
import type { HeartbeatRequest } from '../src/generated/dfs/HeartbeatRequest';
import type { HeartbeatReply__Output } from '../src/generated/dfs/HeartbeatReply';
import { startMaster, type MasterHandle } from '../src/master/master';
import { DfsClient } from '../src/client/dfs-client';

const CHUNK = 65536;

interface Fake {
  id: string; address: string; server: grpc.Server;
  grants: GrantRequest__Output[]; replicates: ReplicateRequest__Output[];
  failGrant: boolean; failReplicate: boolean;
  /** When set, a Grant is answered only once it resolves. */
  holdGrants?: Promise<void>;
}

async function startFake(id: string): Promise<Fake> {
  const server = new grpc.Server();
  const fake = { id, address: '', server, grants: [], replicates: [], failGrant: false, failReplicate: false } as Fake;
  const streams = new Set<{ end(): void }>();
  const impl: Record<string, unknown> = {
    Calls: (call: Parameters<typeof serveMetaCalls>[0]) => serveMetaCalls(call, impl, streams, CHUNKSERVER_CALLS),
    Grant: async (call: grpc.ServerUnaryCall<GrantRequest__Output, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      if (fake.failGrant) return cb({ code: grpc.status.UNAVAILABLE, details: 'fake failure' });
      fake.grants.push(call.request);
      await fake.holdGrants;
      cb(null, { length: 0 });
    },
    Replicate: (call: grpc.ServerUnaryCall<ReplicateRequest__Output, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      if (fake.failReplicate) return cb({ code: grpc.status.UNAVAILABLE, details: 'fake failure' });
      fake.replicates.push(call.request);
      cb(null, { handle: call.request.task?.handle, version: call.request.task?.version, length: 0 });
    },
  };
  server.addService(proto().dfs.Chunkserver.service, impl as grpc.UntypedServiceImplementation);
  const port = await bindServer(server, '127.0.0.1:0');
  fake.address = `127.0.0.1:${port}`;
  return fake;
}

let dir: string;
let config: Config;
const clock = new ManualClock();
let master: MasterHandle | undefined;
let client: MasterClient;
const fakes: Fake[] = [];

function call<Res>(method: string, req: unknown): Promise<Res> {
  const c = client as unknown as Record<string, unknown>;
  return callUnary(client, c[method] as never, req, 10_000) as Promise<Res>;
}
/** Create; resolves with the file's attributes (the reply's `attr`). */
async function createFile(req: { path: string; mode: number; sessionId?: string }): Promise<{ ino: number; size: number }> {
  return (await call<{ attr: { ino: number; size: number } }>('Create', req)).attr;
}
async function code(p: Promise<unknown>): Promise<string> {
  try { await p; } catch (e) { return (e as DfsError).code; }
  return 'OK';
}
async function start(): Promise<void> {
  master = await startMaster({ config, listen: '127.0.0.1:0', metaDir: join(dir, 'meta'), clock, maintenanceIntervalMs: 0 });
  client?.close();
  client = masterClient(master.address);
}
async function register(f: Fake, freeGiB = 50): Promise<void> {
  await call('Register', { serverId: f.id, address: f.address, capacityBytes: 100 * 2 ** 30, usedBytes: 0, freeBytes: freeGiB * 2 ** 30 });
}

/**
 * Heartbeats of one server on one open stream, as a chunkserver sends them (the end of a stream
 * tells the master the server is unreachable: its chunks granted ahead leave the pool).
 */
function heartbeatStream(serverId: string): { beat(req?: Partial<HeartbeatRequest>): Promise<HeartbeatReply__Output>; end(): void } {
  const stream = client.Heartbeat();
  stream.on('error', () => undefined);
  return {
    async beat(req = {}) {
      const reply = once(stream, 'data') as Promise<[HeartbeatReply__Output]>;
      stream.write({ capacityBytes: 100 * 2 ** 30, freeBytes: 50 * 2 ** 30, usedBytes: 0, serverId, ...req });
      return (await reply)[0];
    },
    end() { stream.end(); },
  };
}

/** One heartbeat on its own stream; resolves with the master's reply. */
async function heartbeat(req: HeartbeatRequest): Promise<HeartbeatReply__Output> {
  const stream = client.Heartbeat();
  const reply = once(stream, 'data') as Promise<[HeartbeatReply__Output]>;
  stream.write({ capacityBytes: 100 * 2 ** 30, freeBytes: 50 * 2 ** 30, usedBytes: 0, ...req });
  const [r] = await reply;
  stream.end();
  stream.on('error', () => undefined);
  return r;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dfs-master-grpc-'));
  config = loadConfig({ env: {}, overrides: {
    'master.httpListen': '127.0.0.1:0',
    'cluster.chunkSizeBytes': CHUNK, 'cluster.replication': 3, 'cluster.garbageGraceMs': 0,
    'cluster.deadAfterMs': 10_000, 'cluster.leaseDurationMs': 60_000, 'cluster.sessionTimeoutMs': 30_000,
    'cluster.uploadTimeoutMs': 60_000, 'log.level': 'silent',
    // the grant protocol is checked call by call; the test of the pool turns it on
    'cluster.grantAheadChunks': 0,
  } });
  process.env.DFS_LOG_LEVEL ??= 'silent';
  for (const id of ['a', 'b', 'c', 'd']) fakes.push(await startFake(id));
  await start();
});

after(async () => {
  client?.close();
  await master?.stop();
  for (const f of fakes) await stopServer(f.server, 200);
  rmSync(dir, { recursive: true, force: true });
});

const byId = (id: string) => fakes.find((f) => f.id === id)!;
const clearCalls = () => fakes.forEach((f) => { f.grants = []; f.replicates = []; });

test('grpc: namespace round trip and errors carry POSIX codes', async () => {
  const d = await call<{ type: string }>('Mkdir', { path: '/dir', mode: 0o755, parents: false });
  assert.equal(d.type, 'DIRECTORY');
  assert.equal(await code(call('Mkdir', { path: '/dir', mode: 0o755 })), 'EEXIST');
  assert.equal(await code(call('Stat', { path: '/nope' })), 'ENOENT');
  const f = await createFile({ path: '/dir/f', mode: 0o644 });
  await call('SetAttr', { ino: f.ino, size: 100 });
  const chmod = await call<{ mode: number; size: number }>('SetAttr', { ino: f.ino, mode: 0o600 });
  assert.equal(chmod.mode, 0o600);
  assert.equal(chmod.size, 100, 'an absent optional field is not a change');
  const list = await call<{ entries: { name: string }[]; eof: boolean }>('List', { path: '/dir' });
  assert.deepEqual(list.entries.map((e) => e.name), ['f']);
  assert.equal(await code(call('Delete', { path: '/', recursive: true })), 'EBUSY');
});

test('grpc: Create and Delete reply with the folder as they left it', async () => {
  await call('Mkdir', { path: '/del', mode: 0o755 });
  await call('Mkdir', { path: '/del/sub', mode: 0o755 });
  const created = await call<{ attr: { ino: number }; parent: { ino: number } }>('Create', { path: '/del/f', mode: 0o644 });
  assert.deepEqual(created.parent, await call('Stat', { path: '/del' }), 'Create\'s parent is what a Stat of the folder gives now');
  assert.equal(created.attr.ino, (await call<{ ino: number }>('Stat', { path: '/del/f' })).ino);
  const before = await call<{ nlink: number }>('Stat', { path: '/del' });
  const afterFile = await call<{ parent: unknown }>('Delete', { path: '/del/f' });
  assert.deepEqual(afterFile.parent, await call('Stat', { path: '/del' }), 'the reply is what a Stat of the folder gives now');
  const afterDir = await call<{ parent: { nlink: number } }>('Delete', { path: '/del/sub', kind: 'DIR_ONLY' });
  assert.equal(afterDir.parent.nlink, before.nlink - 1, 'rmdir drops the folder\'s link count');
  const top = await call<{ parent: { ino: number } }>('Delete', { path: '/del', recursive: true });
  assert.equal(top.parent.ino, (await call<{ ino: number }>('Stat', { path: '/' })).ino);
});

test('grpc: GetLease of a chunk past the largest file is EFBIG, and the master keeps serving', async () => {
  const f = await createFile({ path: '/efbig', mode: 0o644 });
  assert.equal(await code(call('GetLease', { ino: f.ino, index: FILE_CHUNKS_MAX })), 'EFBIG');
  assert.equal(await code(call('GetLease', { ino: f.ino, index: 2 ** 30 })), 'EFBIG');
  assert.equal((await call<{ size: number }>('Stat', { path: '/efbig' })).size, 0);
});

test('grpc: GetLease with no chunkserver is NO_SERVERS once cluster.deadAfterMs has passed since the start', async () => {
  const f = await createFile({ path: '/nos', mode: 0o644 });
  clock.advance(config.cluster.deadAfterMs); // before that, chunkservers may still be re-registering: the call waits
  assert.equal(await code(call('GetLease', { ino: f.ino, index: 0 })), 'NO_SERVERS');
});

test('grpc: GetLease allocates on distinct servers, grants before recording, reuses a valid lease', async () => {
  for (const id of ['a', 'b', 'c']) await register(byId(id));
  await register(byId('d'), 1); // nearly full: placed last
  clearCalls();
  const f = await createFile({ path: '/w', mode: 0o644 });
  const lease = await call<{ chunk: { handle: number; version: number; replicas: { serverId: string; address: string }[] }; primaryServerId: string; leaseDurationMs: number }>('GetLease', { ino: f.ino, index: 2 });
  const ids = lease.chunk.replicas.map((r) => r.serverId);
  assert.equal(ids.length, 3);
  assert.equal(new Set(ids).size, 3);
  assert.ok(!ids.includes('d'), 'placement prefers free space');
  assert.equal(lease.primaryServerId, ids[0]);
  assert.equal(lease.chunk.version, 1);
  assert.equal(lease.leaseDurationMs, 60_000);
  for (const id of ids) {
    const g = byId(id).grants;
    assert.equal(g.length, 1);
    assert.equal(g[0].handle, lease.chunk.handle);
    assert.equal(g[0].create, true);
    assert.equal(g[0].version, 1);
    assert.equal(g[0].primary, id === ids[0]);
    assert.equal(byId(id).address, lease.chunk.replicas[ids.indexOf(id)].address);
  }
  const again = await call<typeof lease>('GetLease', { ino: f.ino, index: 2 });
  assert.equal(again.primaryServerId, lease.primaryServerId);
  assert.equal(again.chunk.version, 1);
  assert.equal(fakes.reduce((n, x) => n + x.grants.length, 0), 3, 'a valid lease costs no grant');
  const chunks = await call<{ attr: { chunkCount: number }; chunks: { index: number; handle: number; version: number; replicas: { serverId: string }[] }[] }>('GetChunks', { ino: f.ino });
  assert.equal(chunks.attr.chunkCount, 3, 'slots 0 and 1 are holes');
  assert.equal(chunks.chunks.length, 1);
  assert.equal(chunks.chunks[0].index, 2);
  assert.equal(chunks.chunks[0].replicas[0].serverId, lease.primaryServerId, 'primary first');
});

test('grpc: excluding a replica bumps the version, drops it and repairs from the others', async () => {
  clearCalls();
  const f = await call<{ ino: number }>('Stat', { path: '/w' });
  const first = await call<{ chunk: { handle: number; version: number; replicas: { serverId: string }[] }; primaryServerId: string }>('GetLease', { ino: f.ino, index: 2 });
  const bad = first.chunk.replicas[1].serverId;
  const lease = await call<typeof first>('GetLease', { ino: f.ino, index: 2, excludeServerIds: [bad] });
  const ids = lease.chunk.replicas.map((r) => r.serverId);
  assert.equal(lease.chunk.version, 2);
  assert.ok(!ids.includes(bad));
  assert.ok(ids.includes('d'), 'the spare server got a copy and joined the chain');
  assert.equal(byId('d').replicates.length, 1);
  assert.equal(byId('d').replicates[0].task?.version, 2);
  assert.equal(byId(bad).grants.length, 0);
  for (const id of ids.filter((x) => x !== 'd')) {
    const g = byId(id).grants;
    assert.equal(g.length, 1);
    assert.equal(g[0].version, 2);
    assert.equal(g[0].expectedVersion, 1);
    assert.equal(g[0].create, false);
    assert.equal(g[0].primary, id === lease.primaryServerId);
  }
  const chunks = await call<{ chunks: { version: number; replicas: { serverId: string }[] }[] }>('GetChunks', { ino: f.ino, firstIndex: 2, count: 1 });
  assert.equal(chunks.chunks[0].version, 2);
  assert.ok(!chunks.chunks[0].replicas.some((r) => r.serverId === bad));
});

test('grpc: a replica whose grant fails is replaced at allocation', async () => {
  clearCalls();
  byId('a').failGrant = true;
  try {
    const f = await createFile({ path: '/rep', mode: 0o644 });
    const lease = await call<{ chunk: { replicas: { serverId: string }[] }; primaryServerId: string }>('GetLease', { ino: f.ino, index: 0 });
    const ids = lease.chunk.replicas.map((r) => r.serverId).sort();
    assert.deepEqual(ids, ['b', 'c', 'd']);
    assert.equal(lease.chunk.replicas[0].serverId, lease.primaryServerId);
  } finally {
    byId('a').failGrant = false;
  }
});

test('grpc: heartbeats: unknown server re-registers, stale and garbage replicas are deleted, removed files too', async () => {
  assert.equal((await heartbeat({ serverId: 'ghost' })).reregister, true);
  const f = await call<{ ino: number }>('Stat', { path: '/w' });
  const c = (await call<{ chunks: { handle: number; version: number; replicas: { serverId: string }[] }[] }>('GetChunks', { ino: f.ino })).chunks[0];
  const holder = c.replicas[0].serverId;
  const stale = await heartbeat({ serverId: holder, chunks: [{ handle: c.handle, version: c.version - 1, length: 0 }, { handle: 999_999, version: 1, length: 0 }] });
  assert.equal(stale.reregister, false);
  const deleted = stale.deleteChunks.map((r) => [r.handle, r.version]);
  assert.deepEqual(deleted.sort(), [[999_999, 1], [c.handle, c.version - 1]].sort());
  const after = (await call<{ chunks: { replicas: { serverId: string }[] }[] }>('GetChunks', { ino: f.ino })).chunks[0];
  assert.ok(!after.replicas.some((r) => r.serverId === holder), 'a stale replica is not handed out');
  await heartbeat({ serverId: holder, chunks: [{ handle: c.handle, version: c.version, length: 0 }] });
  const back = (await call<{ chunks: { replicas: { serverId: string }[] }[] }>('GetChunks', { ino: f.ino })).chunks[0];
  assert.ok(back.replicas.some((r) => r.serverId === holder), 'an up-to-date report adds the location');
  await call('Delete', { path: '/w' });
  const holders = back.replicas.map((r) => r.serverId);
  for (const id of holders) {
    const r = await heartbeat({ serverId: id });
    assert.ok(r.deleteChunks.some((x) => x.handle === c.handle), `${id} is told to delete the removed chunk`);
  }
});

test('grpc: a newer reported version is adopted', async () => {
  const f = await createFile({ path: '/adopt', mode: 0o644 });
  const lease = await call<{ chunk: { handle: number; version: number; replicas: { serverId: string }[] } }>('GetLease', { ino: f.ino, index: 0 });
  const [x, y] = lease.chunk.replicas.map((r) => r.serverId);
  const r = await heartbeat({ serverId: x, chunks: [{ handle: lease.chunk.handle, version: 5, length: 0 }] });
  assert.equal(r.deleteChunks.length, 0);
  const c = (await call<{ chunks: { version: number; replicas: { serverId: string }[] }[] }>('GetChunks', { ino: f.ino })).chunks[0];
  assert.equal(c.version, 5);
  assert.deepEqual(c.replicas.map((q) => q.serverId), [x], 'replicas still at the old version are dropped');
  const ry = await heartbeat({ serverId: y });
  assert.ok(ry.deleteChunks.some((d) => d.handle === lease.chunk.handle && d.version === 1));
});

test('grpc: StatFs and Nodes', async () => {
  const s = await call<{ liveServers: number; capacityBytes: number; files: number; chunks: number }>('StatFs', {});
  assert.equal(s.liveServers, 4);
  assert.equal(s.capacityBytes, 4 * 100 * 2 ** 30);
  assert.ok(s.files >= 5);
  assert.ok(s.chunks >= 2);
  const n = await call<{ nodes: { serverId: string; state: string; address: string }[] }>('Nodes', {});
  assert.deepEqual(n.nodes.map((x) => x.serverId).sort(), ['a', 'b', 'c', 'd']);
  assert.ok(n.nodes.every((x) => x.state === 'ALIVE'));
});

test('grpc: an open file survives unlink in its session and is collected at release', async () => {
  const f = await createFile({ path: '/open', mode: 0o644, sessionId: 'm1' });
  await call('GetLease', { ino: f.ino, index: 0 });
  await call('Delete', { path: '/open', sessionId: 'm1' });
  assert.equal(await code(call('Stat', { path: '/open' })), 'ENOENT');
  const still = await call<{ attr: { nlink: number }; chunks: unknown[] }>('GetChunks', { ino: f.ino });
  assert.equal(still.attr.nlink, 0);
  assert.equal(still.chunks.length, 1);
  await call('CommitWrite', { ino: f.ino, minSize: 10 });
  await call('Release', { ino: f.ino, sessionId: 'm1' });
  assert.equal(await code(call('GetChunks', { ino: f.ino })), 'ENOENT');
  // the last close of a file that is no orphan writes nothing (it was an empty durable commit)
  const kept = await createFile({ path: '/kept', mode: 0o644, sessionId: 'm1' });
  const before = await transactions();
  await call('Release', { ino: kept.ino, sessionId: 'm1' });
  assert.equal(await transactions(), before);
  assert.equal((await call<{ ino: number }>('Stat', { path: '/kept' })).ino, kept.ino);
  const g = await createFile({ path: '/open2', mode: 0o644 });
  await call('KeepSession', { sessionId: 'm2', openInos: [g.ino] });
  await call('Delete', { path: '/open2' });
  await call('GetChunks', { ino: g.ino });
  clock.advance(31_000);
  await heartbeatAll();
  await master!.maintain();
  assert.equal(await code(call('GetChunks', { ino: g.ino })), 'ENOENT', 'session expired: orphan collected');
});

test('grpc: dfs_master_lmdb_used_bytes follows the records, where data.mdb keeps its high-water size', async () => {
  await call('Mkdir', { path: '/lmdb', mode: 0o755 });
  const before = await metric('dfs_master_lmdb_used_bytes');
  const fileBefore = statSync(join(dir, 'meta', 'data.mdb')).size;
  const n = 2_000;
  for (let i = 0; i < n; i += 100) {
    await Promise.all(Array.from({ length: 100 }, (_, k) => createFile({ path: `/lmdb/f${i + k}`, mode: 0o644 })));
  }
  const grown = await metric('dfs_master_lmdb_used_bytes');
  // an inode and a name per file, a few dozen bytes each, in 4 KiB pages
  assert.ok(grown - before > n * 50 && grown - before < n * 1_000, `grew ${grown - before} bytes for ${n} files`);
  await call('Delete', { path: '/lmdb', recursive: true });
  const after = await metric('dfs_master_lmdb_used_bytes');
  assert.ok(after - before < (grown - before) / 4, `after deleting them: ${after - before} bytes above the start`);
  assert.ok(statSync(join(dir, 'meta', 'data.mdb')).size >= fileBefore, 'the data file does not shrink');
});

/** An unlabelled metric from the master's /metrics. */
async function metric(name: string): Promise<number> {
  const text = await (await fetch(`http://${master!.httpAddress}/metrics`)).text();
  const m = new RegExp(`^${name} (\\d+)$`, 'm').exec(text);
  assert.ok(m, `${name} in /metrics`);
  return Number(m[1]);
}

/** dfs_master_transactions_total from the master's /metrics. */
function transactions(): Promise<number> {
  return metric('dfs_master_transactions_total');
}

/** Keeps every fake alive across a clock jump. */
async function heartbeatAll(): Promise<void> {
  for (const f of fakes) await heartbeat({ serverId: f.id });
}

test('grpc: uploads link atomically; expired ones are collected', async () => {
  const up = await call<{ ino: number; chunkSize: number; replication: number }>('BeginUpload', { path: '/up', mode: 0o644 });
  assert.equal(up.chunkSize, CHUNK);
  await call('GetLease', { ino: up.ino, index: 0 });
  assert.equal(await code(call('Stat', { path: '/up' })), 'ENOENT', 'invisible before commit');
  assert.equal(await code(call('CommitUpload', { ino: up.ino, path: '/up', size: 2 * CHUNK })), 'EINVAL');
  const a = await call<{ size: number; sha256: Buffer }>('CommitUpload', { ino: up.ino, path: '/up', size: 10, sha256: Buffer.alloc(32, 1) });
  assert.equal(a.size, 10);
  assert.equal(a.sha256.length, 32);
  const gone = await call<{ ino: number }>('BeginUpload', { path: '/up-expire', mode: 0o644 });
  clock.advance(61_000);
  await heartbeatAll();
  await master!.maintain();
  assert.equal(await code(call('CommitUpload', { ino: gone.ino, path: '/up-expire', size: 0 })), 'UPLOAD_NOT_FOUND');
});

test('grpc: a silent server goes DEAD and its replicas are no longer handed out', async () => {
  const f = await createFile({ path: '/dead', mode: 0o644 });
  const lease = await call<{ chunk: { replicas: { serverId: string }[] } }>('GetLease', { ino: f.ino, index: 0 });
  const victim = lease.chunk.replicas[0].serverId;
  clock.advance(11_000);
  for (const x of fakes) if (x.id !== victim) await heartbeat({ serverId: x.id });
  await master!.maintain();
  const n = await call<{ nodes: { serverId: string; state: string }[] }>('Nodes', {});
  assert.equal(n.nodes.find((x) => x.serverId === victim)!.state, 'DEAD');
  const c = (await call<{ chunks: { replicas: { serverId: string }[] }[] }>('GetChunks', { ino: f.ino })).chunks[0];
  assert.ok(!c.replicas.some((r) => r.serverId === victim));
  assert.equal((await heartbeat({ serverId: victim })).reregister, true);
});

test('grpc: re-replication restores the goal through heartbeat tasks, extras are trimmed', async () => {
  const f = await call<{ ino: number }>('Stat', { path: '/dead' });
  const holders = async () => (await call<{ chunks: { handle: number; version: number; replicas: { serverId: string }[] }[] }>('GetChunks', { ino: f.ino })).chunks[0];
  const before = await holders();
  assert.equal(before.replicas.length, 2, 'one replica was on the dead server');
  const victimBack = fakes.find((x) => !before.replicas.some((r) => r.serverId === x.id) && x.grants.some((g) => g.handle === before.handle))!;
  // no copy while a lease runs on the chunk (a copy then could miss writes under it): outwaited;
  // each round the live servers heartbeat (and carry out the copies they are given) before the
  // master plans, so none is declared dead after the jump
  clock.advance(61_000);
  for (let round = 0; round < 10 && (await holders()).replicas.length < 3; round++) {
    for (const x of fakes) {
      if (x === victimBack) continue;
      const r = await heartbeat({ serverId: x.id });
      for (const t of r.replicate) {
        assert.ok(t.sources.length > 0);
        assert.ok(!t.sources.some((s) => s.serverId === x.id), 'never a copy onto a holder');
        await heartbeat({ serverId: x.id, chunks: [{ handle: t.handle, version: t.version, length: 0 }] });
      }
    }
    await master!.maintain();
  }
  const restored = await holders();
  assert.equal(restored.replicas.length, 3);
  assert.ok(restored.replicas.every((r) => r.serverId !== victimBack.id));
  // The dead server comes back with its old replica: four copies, one is trimmed.
  await register(victimBack);
  assert.equal((await heartbeat({ serverId: victimBack.id })).reregister, false);
  await heartbeat({ serverId: victimBack.id, fullReport: true, lastPage: true, chunks: [{ handle: before.handle, version: before.version, length: 0 }] });
  assert.equal((await holders()).replicas.length, 4);
  // A chunk is trimmed only once no lease runs on it (the dead primary's lease is outwaited).
  clock.advance(61_000);
  await heartbeatAll();
  await master!.maintain();
  let deletes = 0;
  for (const x of fakes) deletes += (await heartbeat({ serverId: x.id })).deleteChunks.filter((d) => d.handle === before.handle).length;
  assert.equal(deletes, 1);
  assert.equal((await holders()).replicas.length, 3);
});

test('grpc: restart on the same metaDir keeps the namespace and chunk records', async () => {
  const f = await createFile({ path: '/dir/persist', mode: 0o640 });
  const lease = await call<{ chunk: { handle: number; version: number } }>('GetLease', { ino: f.ino, index: 0 });
  await call('CommitWrite', { ino: f.ino, minSize: 1234 });
  await master!.stop();
  await start();
  const a = await call<{ ino: number; size: number; mode: number; chunkCount: number }>('Stat', { path: '/dir/persist' });
  assert.equal(a.ino, f.ino);
  assert.equal(a.size, 1234);
  assert.equal(a.mode, 0o640);
  assert.equal(a.chunkCount, 1);
  assert.equal((await heartbeat({ serverId: 'a' })).reregister, true, 'servers are relearned');
  const fresh = await createFile({ path: '/dir/new', mode: 0o644 });
  assert.ok(fresh.ino > f.ino, 'inode numbers are never reused');
  // until cluster.deadAfterMs after the start, a reader waits for the chunk's replicas to be
  // reported instead of being told there are none, and a writer waits for servers
  const located = call<{ chunks: { handle: number; version: number; replicas: { serverId: string }[] }[] }>('GetChunks', { ino: f.ino });
  const early = await createFile({ path: '/dir/early', mode: 0o644 });
  const earlyLease = call<{ chunk: { handle: number; replicas: unknown[] } }>('GetLease', { ino: early.ino, index: 0 });
  await new Promise((r) => setTimeout(r, 300));
  for (const x of fakes) await register(x);
  await heartbeat({ serverId: 'a', chunks: [{ handle: lease.chunk.handle, version: lease.chunk.version }] });
  const c = await located;
  assert.equal(c.chunks[0].handle, lease.chunk.handle);
  assert.equal(c.chunks[0].version, lease.chunk.version);
  assert.deepEqual(c.chunks[0].replicas.map((r) => r.serverId), ['a'], 'answered once reported');
  assert.equal((await earlyLease).chunk.replicas.length, 3, 'the write waited for the servers, not NO_SERVERS');
  const other = await createFile({ path: '/dir/h', mode: 0o644 });
  const l2 = await call<{ chunk: { handle: number } }>('GetLease', { ino: other.ino, index: 0 });
  assert.ok(l2.chunk.handle > lease.chunk.handle, 'chunk handles are never reused');
});

test('grpc: new chunks granted ahead: the next empty slot costs no grant, a pooled chunk is no garbage, unused ones are deleted', async () => {
  for (const x of fakes) await register(x);
  clock.advance(config.cluster.safeModeTimeoutMs); // out of the safe mode of the restart before: no pool in it
  await heartbeatAll();
  await master!.maintain();
  config.cluster.grantAheadChunks = 4;
  const streams = fakes.map((x) => heartbeatStream(x.id)); // ended streams would empty the pool
  try {
    clearCalls();
    const grants = () => fakes.reduce((n, x) => n + x.grants.length, 0);
    const first = await createFile({ path: '/dir/pool0', mode: 0o644 });
    const firstLease = await call<{ chunk: { handle: number } }>('GetLease', { ino: first.ino, index: 0 }); // granted as before; the pool fills behind it
    for (let i = 0; i < 100 && (grants() < 3 + 4 * 3 || await metric('dfs_master_chunks_granted_ahead') < 4); i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await metric('dfs_master_chunks_granted_ahead'), 4);
    assert.equal(grants(), 15, 'one chunk, then four granted ahead on three servers each');
    const ahead = new Map<number, Array<{ id: string; g: GrantRequest__Output }>>();
    for (const x of fakes) for (const g of x.grants) ahead.set(g.handle, [...(ahead.get(g.handle) ?? []), { id: x.id, g }]);
    clearCalls();
    const f = await createFile({ path: '/dir/pool1', mode: 0o644 });
    const lease = await call<{ chunk: { handle: number; version: number; replicas: { serverId: string }[] }; primaryServerId: string; leaseDurationMs: number }>('GetLease', { ino: f.ino, index: 0 });
    assert.equal(grants(), 0, 'taken from the pool: no grant');
    const granted = ahead.get(lease.chunk.handle);
    assert.ok(granted, 'the chunk is one granted ahead');
    assert.equal(granted.length, 3);
    assert.ok(granted.every(({ g }) => g.create && g.version === 1));
    assert.equal(lease.chunk.version, 1);
    assert.ok(lease.leaseDurationMs > 30_000 && lease.leaseDurationMs <= 60_000);
    assert.deepEqual(lease.chunk.replicas.map((r) => r.serverId).sort(), granted.map((x) => x.id).sort(), 'the servers it was granted on');
    assert.equal(lease.primaryServerId, granted.find((x) => x.g.primary)!.id, 'the primary is the one granted the lease');
    assert.equal(await metric('dfs_master_chunks_granted_ahead'), 3);
    const chunks = await call<{ chunks: { handle: number; version: number }[] }>('GetChunks', { ino: f.ino });
    assert.deepEqual(chunks.chunks.map((c) => [c.handle, c.version]), [[lease.chunk.handle, 1]], 'recorded in the file');
    // a server reporting a chunk still in the pool is not told to delete it (garbageGraceMs is 0 here)
    const pooled = [...ahead.keys()].filter((h) => h !== lease.chunk.handle && h !== firstLease.chunk.handle);
    assert.equal(pooled.length, 3);
    for (const [i, x] of fakes.entries()) {
      const mine = pooled.filter((h) => ahead.get(h)!.some((y) => y.id === x.id));
      const r = await streams[i].beat({ chunks: mine.map((handle) => ({ handle, version: 1, length: 0 })) });
      assert.deepEqual(r.deleteChunks.filter((d) => pooled.includes(d.handle)), [], `${x.id} keeps the pooled chunks`);
    }
    // demand stopped: once half their lease is gone they are dropped and deleted on their servers
    config.cluster.grantAheadChunks = 0;
    clock.advance(30_001);
    for (const st of streams) await st.beat();
    await master!.maintain();
    assert.equal(await metric('dfs_master_chunks_granted_ahead'), 0);
    const deleted = new Set<string>();
    for (const [i, x] of fakes.entries()) for (const d of (await streams[i].beat()).deleteChunks) if (pooled.includes(d.handle)) deleted.add(`${d.handle}@${x.id}`);
    assert.equal(deleted.size, pooled.length * 3, 'every replica of every unused chunk');
  } finally {
    config.cluster.grantAheadChunks = 0;
    for (const st of streams) st.end();
  }
});

test('grpc: a chunk granted ahead on a server that registered again since is not used (a restart lost it)', async () => {
  config.cluster.grantAheadChunks = 2;
  try {
    const f0 = await createFile({ path: '/dir/epoch0', mode: 0o644 });
    await call('GetLease', { ino: f0.ino, index: 0 });
    for (let i = 0; i < 100 && await metric('dfs_master_chunks_granted_ahead') < 2; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await metric('dfs_master_chunks_granted_ahead'), 2);
    for (const x of fakes) await register(x); // every server restarted: what they were granted is gone
    clearCalls();
    const f = await createFile({ path: '/dir/epoch1', mode: 0o644 });
    const lease = await call<{ chunk: { handle: number } }>('GetLease', { ino: f.ino, index: 0 });
    const created = fakes.flatMap((x) => x.grants).filter((g) => g.handle === lease.chunk.handle && g.create);
    assert.equal(created.length, 3, 'granted anew, not taken from the pool');
  } finally {
    config.cluster.grantAheadChunks = 0;
  }
});

/**
 * Empties the pool of chunks granted ahead, opens a heartbeat stream per server (the end of one
 * empties the pool again: the caller ends them) and fills the pool with `n` chunks on the
 * GetLease of a new file at `path` (the fakes' grants are cleared before it: they hold that
 * file's chunk, `firstHandle`, and the pooled ones); refilling is off again on return.
 */
async function fillPool(n: number, path: string): Promise<{ streams: Array<ReturnType<typeof heartbeatStream>>; firstHandle: number }> {
  clock.advance(config.cluster.leaseDurationMs / 2 + 1); // what the tests before left in the pool is dropped
  await heartbeatAll();
  await master!.maintain();
  assert.equal(await metric('dfs_master_chunks_granted_ahead'), 0);
  const streams = fakes.map((x) => heartbeatStream(x.id));
  config.cluster.grantAheadChunks = n;
  try {
    for (const st of streams) await st.beat();
    clearCalls();
    const f0 = await createFile({ path, mode: 0o644 });
    const l0 = await call<{ chunk: { handle: number } }>('GetLease', { ino: f0.ino, index: 0 });
    for (let i = 0; i < 100 && await metric('dfs_master_chunks_granted_ahead') < n; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await metric('dfs_master_chunks_granted_ahead'), n);
    return { streams, firstHandle: l0.chunk.handle };
  } catch (e) {
    for (const st of streams) st.end();
    throw e;
  } finally {
    config.cluster.grantAheadChunks = 0;
  }
}

test('grpc: a chunkserver whose heartbeat stream ended, or that missed heartbeats, has its chunks granted ahead taken out of the pool', async () => {
  assert.equal(fakes.length, 4, 'each chunk of 3 replicas leaves out one server');
  const { streams, firstHandle } = await fillPool(4, '/dir/gone0');
  try {
    const holders = new Map<number, string[]>();
    for (const x of fakes) for (const g of x.grants) if (g.handle !== firstHandle) holders.set(g.handle, [...(holders.get(g.handle) ?? []), x.id]);
    // the server on most pooled chunks stops: its heartbeat stream ends (a kill -9 closes it)
    const onCount = (id: string) => [...holders.values()].filter((ids) => ids.includes(id)).length;
    const gone = fakes.map((x, i) => ({ x, i })).sort((a, b) => onCount(b.x.id) - onCount(a.x.id))[0];
    const without = [...holders.values()].filter((ids) => !ids.includes(gone.x.id)).length;
    assert.ok(without < 4);
    streams[gone.i].end();
    for (let i = 0; i < 100 && await metric('dfs_master_chunks_granted_ahead') > without; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await metric('dfs_master_chunks_granted_ahead'), without, `the chunks granted on ${gone.x.id} left the pool`);
    // another server falls silent without its stream ending (cut off): after three missed
    // heartbeats its pooled chunks are not handed out either (each one left holds it: 4 servers, 3 replicas)
    const silent = fakes.find((x) => x !== gone.x)!;
    clock.advance(3 * config.chunkserver.heartbeatIntervalMs + 1);
    for (const [i, st] of streams.entries()) if (i !== gone.i && fakes[i] !== silent) await st.beat();
    clearCalls();
    const f1 = await createFile({ path: '/dir/gone1', mode: 0o644 });
    const l1 = await call<{ chunk: { handle: number } }>('GetLease', { ino: f1.ino, index: 0 });
    assert.ok(!holders.has(l1.chunk.handle), `not a chunk granted ahead on ${silent.id}, still ALIVE but silent`);
    const created = fakes.flatMap((x) => x.grants).filter((g) => g.handle === l1.chunk.handle && g.create);
    assert.equal(created.length, 3, 'granted anew');
  } finally {
    config.cluster.grantAheadChunks = 0;
    for (const st of streams) st.end();
  }
});

test('grpc: a new chunk whose unreachable primary got nothing from the one client holding its lease is replaced at once; a lease handed out twice is outwaited', async () => {
  type Lease = { chunk: { handle: number; version: number; replicas: { serverId: string }[] }; primaryServerId: string };
  const f = await createFile({ path: '/dir/unwritten0', mode: 0o644 });
  const l0 = await call<Lease>('GetLease', { ino: f.ino, index: 0 });
  const l1 = await call<Lease>('GetLease', { ino: f.ino, index: 0, excludeServerIds: [l0.primaryServerId], unwrittenHandle: l0.chunk.handle });
  assert.notEqual(l1.chunk.handle, l0.chunk.handle, 'a new chunk');
  assert.equal(l1.chunk.version, 1);
  assert.ok(!l1.chunk.replicas.some((r) => r.serverId === l0.primaryServerId), 'not on the unreachable server');
  const chunks = await call<{ chunks: { handle: number }[] }>('GetChunks', { ino: f.ino });
  assert.deepEqual(chunks.chunks.map((c) => c.handle), [l1.chunk.handle], 'the file holds the new chunk only');
  const deleted = new Set<string>();
  for (const x of fakes) for (const d of (await heartbeat({ serverId: x.id })).deleteChunks) if (d.handle === l0.chunk.handle) deleted.add(x.id);
  assert.deepEqual([...deleted].sort(), l0.chunk.replicas.map((r) => r.serverId).sort(), 'the given-up chunk is deleted on its servers');
  // the lease went out twice (another writer may have had a write acknowledged): no replacement
  const g = await createFile({ path: '/dir/unwritten1', mode: 0o644 });
  const m0 = await call<Lease>('GetLease', { ino: g.ino, index: 0 });
  const m1 = await call<Lease>('GetLease', { ino: g.ino, index: 0 });
  assert.equal(m1.chunk.handle, m0.chunk.handle);
  const rpcTimeoutMs = config.client.rpcTimeoutMs;
  config.client.rpcTimeoutMs = 200; // the master outwaits the lease for half of it, then UNAVAILABLE (the manual clock stands still)
  try {
    assert.equal(await code(call('GetLease', { ino: g.ino, index: 0, excludeServerIds: [m0.primaryServerId], unwrittenHandle: m0.chunk.handle })), 'UNAVAILABLE');
  } finally {
    config.client.rpcTimeoutMs = rpcTimeoutMs;
  }
  const kept = await call<{ chunks: { handle: number }[] }>('GetChunks', { ino: g.ino });
  assert.deepEqual(kept.chunks.map((c) => c.handle), [m0.chunk.handle], 'kept');
  // without the claim the lease is outwaited too
  const h = await createFile({ path: '/dir/unwritten2', mode: 0o644 });
  const n0 = await call<Lease>('GetLease', { ino: h.ino, index: 0 });
  config.client.rpcTimeoutMs = 200;
  try {
    assert.equal(await code(call('GetLease', { ino: h.ino, index: 0, excludeServerIds: [n0.primaryServerId] })), 'UNAVAILABLE');
  } finally {
    config.client.rpcTimeoutMs = rpcTimeoutMs;
  }
});

test('grpc: Create with want_lease takes a chunk granted ahead as chunk 0 and returns its lease; the last close of a file left empty gives it back', async () => {
  type Lease = { chunk: { index: number; handle: number; version: number; replicas: { serverId: string }[] }; primaryServerId: string; leaseDurationMs: number };
  type Created = { attr: { ino: number }; firstLease?: Lease | null };
  const { streams } = await fillPool(3, '/dir/first0');
  try {
    const pooled = new Set(fakes.flatMap((x) => x.grants.map((g) => g.handle)));
    clearCalls();
    const grants = () => fakes.reduce((n, x) => n + x.grants.length, 0);

    // no session, or not asked: no lease
    assert.ok(!(await call<Created>('Create', { path: '/dir/first1', mode: 0o644, wantLease: true })).firstLease);
    const unasked = await call<Created>('Create', { path: '/dir/first2', mode: 0o644, sessionId: 'first-s' });
    assert.ok(!unasked.firstLease);
    await call('Release', { sessionId: 'first-s', ino: unasked.attr.ino });

    // written: the chunk stays
    const a = await call<Created>('Create', { path: '/dir/first3', mode: 0o644, sessionId: 'first-s', wantLease: true });
    assert.ok(a.firstLease, 'a lease with the reply');
    assert.equal(a.firstLease.chunk.index, 0);
    assert.equal(a.firstLease.chunk.version, 1);
    assert.ok(pooled.has(a.firstLease.chunk.handle), 'a chunk granted ahead');
    assert.ok(a.firstLease.leaseDurationMs > config.cluster.leaseDurationMs / 2);
    assert.equal(grants(), 0, 'no grant');
    assert.equal(await metric('dfs_master_chunks_granted_ahead'), 2);
    const chunksOf = async (ino: number) => (await call<{ chunks: { handle: number }[] }>('GetChunks', { ino })).chunks.map((c) => c.handle);
    assert.deepEqual(await chunksOf(a.attr.ino), [a.firstLease.chunk.handle], 'recorded by the Create');
    const again = await call<Lease>('GetLease', { ino: a.attr.ino, index: 0 });
    assert.equal(again.chunk.handle, a.firstLease.chunk.handle, 'GetLease hands out the same lease');
    await call('CommitWrite', { ino: a.attr.ino, minSize: 4096 });
    await call('Release', { sessionId: 'first-s', ino: a.attr.ino });
    assert.deepEqual(await chunksOf(a.attr.ino), [a.firstLease.chunk.handle], 'kept: the file has data');

    // left empty: its last close gives the chunk back, and its replicas are deleted
    const b = await call<Created>('Create', { path: '/dir/first4', mode: 0o644, sessionId: 'first-s', wantLease: true });
    assert.ok(b.firstLease);
    assert.deepEqual(await chunksOf(b.attr.ino), [b.firstLease.chunk.handle]);
    await call('Release', { sessionId: 'first-s', ino: b.attr.ino });
    assert.deepEqual(await chunksOf(b.attr.ino), [], 'given back');
    const deleted = new Set<string>();
    for (const [i, x] of fakes.entries()) for (const d of (await streams[i].beat()).deleteChunks) if (d.handle === b.firstLease.chunk.handle) deleted.add(x.id);
    assert.deepEqual([...deleted].sort(), b.firstLease.chunk.replicas.map((r) => r.serverId).sort());

    // so does a chunk a writer got by GetLease and never committed to (it went away)
    const c = await call<Created>('Create', { path: '/dir/first5', mode: 0o644, sessionId: 'first-s' });
    const cl = await call<Lease>('GetLease', { ino: c.attr.ino, index: 1 });
    assert.deepEqual(await chunksOf(c.attr.ino), [cl.chunk.handle]);
    await call('Release', { sessionId: 'first-s', ino: c.attr.ino });
    assert.deepEqual(await chunksOf(c.attr.ino), [], 'an empty file keeps no chunk');
  } finally {
    config.cluster.grantAheadChunks = 0;
    for (const st of streams) st.end();
  }
});

test('grpc: a file a truncate grew and no one wrote gives its Create\'s chunk back at its last close when the client says it never wrote under it and no one else got the lease', async () => {
  type Created = { attr: { ino: number; chunkSize: number }; firstLease?: { chunk: { handle: number } } | null };
  type StatReply = { size: number; chunkCount: number; storedBytes?: number | null };
  const { streams } = await fillPool(3, '/dir/grown0');
  try {
    const chunksOf = async (ino: number) => (await call<{ chunks: { handle: number }[] }>('GetChunks', { ino })).chunks.map((c) => c.handle);
    const grown = async (path: string): Promise<Created & { firstLease: { chunk: { handle: number } } }> => {
      const c = await call<Created>('Create', { path, mode: 0o644, sessionId: 'grow-s', wantLease: true });
      assert.ok(c.firstLease, 'a pooled chunk as chunk 0');
      await call('SetAttr', { ino: c.attr.ino, size: 1 << 30 }); // truncate -s 1G
      return c as Created & { firstLease: { chunk: { handle: number } } };
    };

    const a = await grown('/dir/grown1');
    let st = await call<StatReply>('Stat', { path: '/dir/grown1' });
    assert.deepEqual([st.chunkCount, st.storedBytes], [1, a.attr.chunkSize], 'the unwritten chunk counts while it is held');
    await call('Release', { sessionId: 'grow-s', ino: a.attr.ino, unwrittenHandle: a.firstLease.chunk.handle });
    assert.deepEqual(await chunksOf(a.attr.ino), [], 'given back');
    st = await call<StatReply>('Stat', { path: '/dir/grown1' });
    assert.deepEqual([st.size, st.chunkCount, st.storedBytes], [1 << 30, 0, 0]);

    // without the claim the client may have written: kept (as before)
    const b = await grown('/dir/grown2');
    await call('Release', { sessionId: 'grow-s', ino: b.attr.ino });
    assert.deepEqual(await chunksOf(b.attr.ino), [b.firstLease.chunk.handle]);

    // another writer got the lease: kept whatever the claim
    const c = await grown('/dir/grown3');
    await call('GetLease', { ino: c.attr.ino, index: 0 });
    await call('Release', { sessionId: 'grow-s', ino: c.attr.ino, unwrittenHandle: c.firstLease.chunk.handle });
    assert.deepEqual(await chunksOf(c.attr.ino), [c.firstLease.chunk.handle]);
  } finally {
    config.cluster.grantAheadChunks = 0;
    for (const st of streams) st.end();
  }
});

test('grpc: a GetLease that granted a new chunk while a Create filled the slot leases the Create\'s chunk', async () => {
  const { streams } = await fillPool(2, '/dir/race0');
  let release!: () => void;
  try {
    const f = await createFile({ path: '/dir/race1', mode: 0o644 }); // empty, no chunk
    const held = new Promise<void>((r) => { release = r; });
    for (const x of fakes) x.holdGrants = held;
    clearCalls();
    // a retry (a server to avoid) never takes the pool: it grants a new chunk and waits for the grants
    const leasing = call<{ chunk: { handle: number } }>('GetLease', { ino: f.ino, index: 0, excludeServerIds: ['no-such-server'] });
    for (let i = 0; i < 100 && fakes.reduce((n, x) => n + x.grants.length, 0) < 3; i++) await new Promise((r) => setTimeout(r, 10));
    const created = await call<{ firstLease?: { chunk: { handle: number } } | null }>('Create', { path: '/dir/race1', mode: 0o644, sessionId: 'race-s', wantLease: true });
    assert.ok(created.firstLease, 'the Create took a pooled chunk for the empty slot');
    release();
    const lease = await leasing;
    assert.equal(lease.chunk.handle, created.firstLease.chunk.handle, 'the chunk in the slot, not an error');
    const chunks = await call<{ chunks: { handle: number }[] }>('GetChunks', { ino: f.ino });
    assert.deepEqual(chunks.chunks.map((c) => c.handle), [created.firstLease.chunk.handle]);
  } finally {
    release?.();
    for (const x of fakes) x.holdGrants = undefined;
    config.cluster.grantAheadChunks = 0;
    for (const st of streams) st.end();
  }
});

test('grpc: a server a client failed to write to takes its chunks granted ahead out of the pool', async () => {
  clock.advance(config.cluster.leaseDurationMs / 2 + 1); // what the test before left in the pool is dropped
  await heartbeatAll();
  await master!.maintain();
  assert.equal(await metric('dfs_master_chunks_granted_ahead'), 0);
  config.cluster.grantAheadChunks = 2;
  try {
    clearCalls();
    const f0 = await createFile({ path: '/dir/excl0', mode: 0o644 });
    const l0 = await call<{ chunk: { handle: number } }>('GetLease', { ino: f0.ino, index: 0 });
    for (let i = 0; i < 100 && await metric('dfs_master_chunks_granted_ahead') < 2; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await metric('dfs_master_chunks_granted_ahead'), 2);
    const holders = new Map<number, string[]>();
    for (const x of fakes) for (const g of x.grants) if (g.handle !== l0.chunk.handle) holders.set(g.handle, [...(holders.get(g.handle) ?? []), x.id]);
    assert.equal(holders.size, 2);
    config.cluster.grantAheadChunks = 0; // no refill from here: the pool holds what is left
    const f1 = await createFile({ path: '/dir/excl1', mode: 0o644 });
    const l1 = await call<{ chunk: { handle: number }; primaryServerId: string }>('GetLease', { ino: f1.ino, index: 0 });
    const left = [...holders.keys()].find((h) => h !== l1.chunk.handle)!;
    assert.ok(holders.has(l1.chunk.handle), 'the first from the pool');
    // not l1's primary: excluding a primary makes the master outwait its lease (the manual clock stands still)
    const bad = holders.get(left)!.find((id) => id !== l1.primaryServerId)!;
    await call('GetLease', { ino: f1.ino, index: 0, excludeServerIds: [bad] }); // a client could not write to it
    const f2 = await createFile({ path: '/dir/excl2', mode: 0o644 });
    const l2 = await call<{ chunk: { handle: number; replicas: { serverId: string }[] } }>('GetLease', { ino: f2.ino, index: 0 });
    assert.notEqual(l2.chunk.handle, left, `the pooled chunk on ${bad} was dropped`);
    assert.equal(await metric('dfs_master_chunks_granted_ahead'), 0);
  } finally {
    config.cluster.grantAheadChunks = 0;
  }
});

test('grpc: a second process registering under the id of a running one is refused (DUPLICATE_ID); its heartbeats neither keep the id alive nor end it', async () => {
  const dup = await startFake('dup');
  fakes.push(dup);
  const reg = (instanceId: string, address: string) => call('Register', {
    serverId: 'dup', address, capacityBytes: 100 * 2 ** 30, usedBytes: 0, freeBytes: 50 * 2 ** 30, instanceId,
  });
  await reg('first', dup.address);
  const first = heartbeatStream('dup');
  assert.equal((await first.beat({ instanceId: 'first', fullReport: true, lastPage: true })).reregister, false);
  assert.equal(await code(reg('second', '127.0.0.9:1')), 'DUPLICATE_ID');
  const nodes = await call<{ nodes: { serverId: string; address: string }[]; refused: { serverId: string; inUseBy: string }[] }>('Nodes', {});
  assert.equal(nodes.nodes.find((n) => n.serverId === 'dup')?.address, dup.address, 'the running one keeps its address');
  assert.deepEqual(nodes.refused.filter((r) => r.serverId === 'dup').map((r) => r.inUseBy), [dup.address]);
  const second = heartbeatStream('dup');
  assert.equal((await second.beat({ instanceId: 'second' })).reregister, true, 'not the registered process');
  second.end();
  assert.equal((await first.beat({ instanceId: 'first' })).reregister, false, 'the end of the other stream did not end this one');
  // a restart: the first process's stream ended, so a new process gets the id at once
  first.end();
  for (let i = 0; i < 50 && (await code(reg('third', dup.address))) === 'DUPLICATE_ID'; i++) await new Promise((r) => setTimeout(r, 20));
  const third = heartbeatStream('dup');
  assert.equal((await third.beat({ instanceId: 'third', fullReport: true, lastPage: true })).reregister, false);
  const late = heartbeatStream('dup');
  assert.equal((await late.beat({ instanceId: 'first' })).reregister, true, 'the old process is told to register again');
  late.end();
  third.end();
});

test('grpc: a chunkserver registered at an address the master cannot connect to shows UNREACHABLE and gets no new chunks until a probe connects', async () => {
  // a port nobody listens on: bound, then closed
  const closed = new grpc.Server();
  const port = await bindServer(closed, '127.0.0.1:0');
  await stopServer(closed, 0);
  await call('Register', { serverId: 'lost', address: `127.0.0.1:${port}`, capacityBytes: 100 * 2 ** 30, usedBytes: 0, freeBytes: 99 * 2 ** 30, instanceId: 'l1' });
  const lostNode = async () => (await call<{ nodes: { serverId: string; unreachable: boolean; address: string }[] }>('Nodes', {})).nodes.find((n) => n.serverId === 'lost')!;
  for (let i = 0; i < 100 && !(await lostNode()).unreachable; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal((await lostNode()).unreachable, true);
  const dfsClient = new DfsClient({ masterAddress: master!.address, config });
  try {
    const alive = (await call<{ nodes: { state: string; unreachable: boolean }[] }>('Nodes', {})).nodes.filter((n) => n.state === 'ALIVE');
    assert.equal(await dfsClient.aliveServers(), alive.length - 1, 'put/setrep/decommission warnings do not count it');
  } finally {
    dfsClient.close();
  }
  for (let i = 0; i < 8; i++) {
    const f = await createFile({ path: `/dir/unreach${i}`, mode: 0o644 });
    const lease = await call<{ chunk: { replicas: { serverId: string }[] } }>('GetLease', { ino: f.ino, index: 0 });
    assert.ok(!lease.chunk.replicas.some((r) => r.serverId === 'lost'), 'the emptiest server, but unreachable');
  }
  // registered again at an address that answers: reachable once its probe connected
  const back = await startFake('lost');
  fakes.push(back);
  await call('Register', { serverId: 'lost', address: back.address, capacityBytes: 100 * 2 ** 30, usedBytes: 0, freeBytes: 99 * 2 ** 30, instanceId: 'l2' });
  for (let i = 0; i < 100 && (await lostNode()).unreachable; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal((await lostNode()).unreachable, false);
});

test('grpc: a replica reporting the version a renew is granting right now is not adopted as ahead of the master', async () => {
  type Lease = { chunk: { handle: number; version: number; replicas: { serverId: string }[] } };
  const f = await createFile({ path: '/dir/bump', mode: 0o644 });
  const l1 = await call<Lease>('GetLease', { ino: f.ino, index: 0 });
  const handle = l1.chunk.handle;
  const holders = l1.chunk.replicas.map((r) => r.serverId);
  clock.advance(config.cluster.leaseDurationMs + 1); // the lease ran out: the next GetLease bumps the version
  let release!: () => void;
  const held = new Promise<void>((r) => { release = r; });
  for (const x of fakes) x.holdGrants = held;
  clearCalls();
  try {
    const leasing = call<Lease>('GetLease', { ino: f.ino, index: 0 });
    for (let i = 0; i < 100 && fakes.reduce((n, x) => n + x.grants.filter((g) => g.handle === handle).length, 0) < holders.length; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    // one holder applied the new version and reports it before the master recorded it
    await heartbeat({ serverId: holders[0], chunks: [{ handle, version: l1.chunk.version + 1, length: 0 }] });
    release();
    const l2 = await leasing;
    assert.equal(l2.chunk.version, l1.chunk.version + 1);
    for (const other of holders.slice(1)) {
      const reply = await heartbeat({ serverId: other, chunks: [] });
      assert.ok(!reply.deleteChunks.some((d) => d.handle === handle), `${other}'s replica is current, not stale`);
    }
    const chunks = await call<{ chunks: { handle: number; replicas: { serverId: string }[] }[] }>('GetChunks', { ino: f.ino });
    assert.deepEqual(chunks.chunks[0].replicas.map((r) => r.serverId).sort(), [...holders].sort());
  } finally {
    release?.();
    for (const x of fakes) x.holdGrants = undefined;
  }
});

/**
 * A master of its own on `metaDir` (the shared fake clock and the fakes' addresses), for the
 * restart tests: calls, Register of a fake by id, and one heartbeat on a stream of its own.
 */
async function masterAt(metaDir: string) {
  const m = await startMaster({ config, listen: '127.0.0.1:0', metaDir, clock, maintenanceIntervalMs: 0 });
  const c = masterClient(m.address);
  const call2 = <Res>(method: string, req: unknown): Promise<Res> =>
    callUnary(c, (c as unknown as Record<string, unknown>)[method] as never, req, 10_000) as Promise<Res>;
  const reg = (id: string) => call2('Register', { serverId: id, address: byId(id).address, capacityBytes: 100 * 2 ** 30, usedBytes: 0, freeBytes: 50 * 2 ** 30 });
  const beat = async (id: string, extra: Record<string, unknown> = {}): Promise<{ replicate: { handle: number }[] }> => {
    const stream = c.Heartbeat();
    stream.on('error', () => undefined);
    const reply = once(stream, 'data') as Promise<[{ replicate: { handle: number }[] }]>;
    stream.write({ serverId: id, capacityBytes: 100 * 2 ** 30, freeBytes: 50 * 2 ** 30, usedBytes: 0, ...extra });
    const [r] = await reply;
    stream.end();
    return r;
  };
  return { m, c, call2, reg, beat };
}

test('grpc: right after a restart, a new chunk waits for enough servers for its goal even once safe mode is off; a new cluster does not wait', async () => {
  const metaDir = join(dir, 'meta-restart');
  type Lease = { chunk: { handle: number; version: number; replicas: { serverId: string }[] } };
  const open = () => masterAt(metaDir);
  // a new cluster: one server of three is enough to write at once (replication capped)
  let s = await open();
  let first: Lease;
  try {
    await s.reg('a');
    const f = (await s.call2<{ attr: { ino: number } }>('Create', { path: '/one', mode: 0o644 })).attr;
    first = await s.call2<Lease>('GetLease', { ino: f.ino, index: 0 });
    assert.deepEqual(first.chunk.replicas.map((r) => r.serverId), ['a']);
  } finally {
    s.c.close();
    await s.m.stop();
  }
  // restarted: 'a' reports the only chunk (safe mode ends), but b and c are still coming back
  s = await open();
  try {
    await s.reg('a');
    const beat = s.c.Heartbeat();
    beat.on('error', () => undefined);
    const replied = once(beat, 'data');
    beat.write({ serverId: 'a', capacityBytes: 100 * 2 ** 30, freeBytes: 50 * 2 ** 30, usedBytes: 0, fullReport: true, lastPage: true,
      chunks: [{ handle: first.chunk.handle, version: first.chunk.version, length: 0 }] });
    await replied;
    const again = once(beat, 'data'); // safe mode is judged at the start of a heartbeat: the next one sees the report
    beat.write({ serverId: 'a', capacityBytes: 100 * 2 ** 30, freeBytes: 50 * 2 ** 30, usedBytes: 0 });
    await again;
    beat.end();
    assert.equal((await s.call2<{ safeMode: boolean }>('StatFs', {})).safeMode, false, 'every chunk reported: safe mode is off');
    const f = (await s.call2<{ attr: { ino: number } }>('Create', { path: '/early', mode: 0o644 })).attr;
    let settled = false;
    const leasing = s.call2<Lease>('GetLease', { ino: f.ino, index: 0 }).finally(() => { settled = true; });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(settled, false, 'one server of three: the lease waits');
    await s.reg('b');
    await s.reg('c');
    const lease = await leasing;
    assert.equal(lease.chunk.replicas.length, 3);
  } finally {
    s.c.close();
    await s.m.stop();
  }
});

test('grpc: within leaseDurationMs of a restart an under-replicated chunk is not copied (a lease granted before it may still run there); after that it is', async () => {
  const metaDir = join(dir, 'meta-restart-copy');
  type Lease = { chunk: { handle: number; version: number; replicas: { serverId: string }[] } };
  const open = () => masterAt(metaDir);
  let s = await open();
  let lease: Lease;
  try {
    for (const id of ['a', 'b', 'c']) await s.reg(id);
    const f = (await s.call2<{ attr: { ino: number } }>('Create', { path: '/copied-late', mode: 0o644, replication: 3 })).attr;
    lease = await s.call2<Lease>('GetLease', { ino: f.ino, index: 0 });
    assert.equal(lease.chunk.replicas.length, 3);
  } finally {
    s.c.close();
    await s.m.stop();
  }
  const holders = lease.chunk.replicas.map((r) => r.serverId);
  const [gone, ...kept] = holders;
  const spare = ['a', 'b', 'c', 'd'].find((id) => !holders.includes(id))!;
  s = await open();
  try {
    for (const id of [...kept, spare]) await s.reg(id);
    const report = { fullReport: true, lastPage: true, chunks: [{ handle: lease.chunk.handle, version: lease.chunk.version, length: 0 }] };
    const tasks = async (): Promise<number> => {
      let n = 0;
      for (const id of kept) n += (await s.beat(id, report)).replicate.filter((t) => t.handle === lease.chunk.handle).length;
      n += (await s.beat(spare)).replicate.filter((t) => t.handle === lease.chunk.handle).length;
      await s.m.maintain();
      for (const id of [...kept, spare]) n += (await s.beat(id)).replicate.filter((t) => t.handle === lease.chunk.handle).length;
      return n;
    };
    clock.advance(config.cluster.safeModeTimeoutMs + 1); // safe mode over: only the restart's lease window holds copies
    let n = 0;
    for (let round = 0; round < 3; round++) n += await tasks();
    assert.equal(n, 0, `no copy of the chunk that lost ${gone} while a lease from before the restart may run`);
    const nodes = await s.call2<{ nodes: { serverId: string; state: string }[] }>('Nodes', {});
    assert.deepEqual(nodes.nodes.filter((x) => x.state === 'ALIVE').map((x) => x.serverId).sort(), [...kept, spare].sort(), 'a target was there');
    clock.advance(config.cluster.leaseDurationMs);
    for (let round = 0; round < 3 && n === 0; round++) n += await tasks();
    assert.ok(n > 0, 'copied once no lease from before the restart can run');
  } finally {
    s.c.close();
    await s.m.stop();
  }
});

test('grpc: a bad replica reported for a chunk freed meanwhile is deleted as garbage, not kept as a last copy (no full report asked)', async () => {
  const f = await createFile({ path: '/dir/freed-bad', mode: 0o644 });
  const lease = await call<{ chunk: { handle: number; replicas: { serverId: string }[] } }>('GetLease', { ino: f.ino, index: 0 });
  const reporter = lease.chunk.replicas[0].serverId;
  await call('Delete', { path: '/dir/freed-bad' });
  await heartbeatAll(); // what the delete queued, and any full report asked before
  await call('ReportBadReplica', { handle: lease.chunk.handle, serverId: reporter, reason: 'checksum mismatch (test)' });
  const r = await heartbeat({ serverId: reporter });
  assert.equal(r.sendFullReport, false, 'a freed chunk has no last copy to save');
  await heartbeatAll();
});

test('grpc: a server whose grant failed and that carries it out late is not taken for a current replica: its replica is deleted', async () => {
  type Lease = { chunk: { handle: number; version: number; replicas: { serverId: string }[] } };
  const f = await createFile({ path: '/dir/lategrant', mode: 0o644 });
  const hung = byId('d');
  hung.failGrant = true; // as a hung server's time-out: the master goes on without it
  hung.failReplicate = true;
  // busy (writes in progress): placed last, so never the primary (a failed primary makes the lease a renew's, at version 2)
  await heartbeat({ serverId: 'd', activeWrites: 100 });
  try {
    // a, b and d are the only candidates for 3 replicas: d is tried, fails, and the chunk goes on a and b
    const others = fakes.filter((x) => !['a', 'b', 'd'].includes(x.id)).map((x) => x.id);
    const lease = await call<Lease>('GetLease', { ino: f.ino, index: 0, excludeServerIds: others });
    const handle = lease.chunk.handle;
    assert.deepEqual(lease.chunk.replicas.map((r) => r.serverId).sort(), ['a', 'b']);
    assert.equal(lease.chunk.version, 1, 'the lease of the allocation itself');
    // the hung server resumes, carries the create out and reports an empty replica at version 1
    const reply = await heartbeat({ serverId: 'd', chunks: [{ handle, version: 1, length: 0 }] });
    const chunks = await call<{ chunks: { replicas: { serverId: string }[] }[] }>('GetChunks', { ino: f.ino });
    assert.deepEqual(chunks.chunks[0].replicas.map((r) => r.serverId).sort(), ['a', 'b'], 'not a holder');
    assert.ok(reply.deleteChunks.some((d) => d.handle === handle && d.version === 1), 'its replica is deleted');
  } finally {
    hung.failGrant = false;
    hung.failReplicate = false;
    await heartbeat({ serverId: 'd', activeWrites: 0 });
  }
});

test('grpc: a server whose grant failed but that a chain repair then copied the chunk to is a current holder', async () => {
  type Lease = { chunk: { handle: number; version: number; replicas: { serverId: string }[] } };
  const others = fakes.filter((x) => !['a', 'b', 'd'].includes(x.id)).map((x) => x.id);
  const f = await createFile({ path: '/dir/repaired', mode: 0o644 });
  const l1 = await call<Lease>('GetLease', { ino: f.ino, index: 0, excludeServerIds: others });
  assert.deepEqual(l1.chunk.replicas.map((r) => r.serverId).sort(), ['a', 'b', 'd']);
  clock.advance(config.cluster.leaseDurationMs + 1); // the next GetLease bumps the version
  const d = byId('d');
  d.failGrant = true; // the bump fails on d; the chain's repair then copies the chunk to it
  // busy: never the primary (a failed primary makes the renew bump once more, past d's failed version)
  await heartbeat({ serverId: 'd', activeWrites: 100 });
  try {
    const l2 = await call<Lease>('GetLease', { ino: f.ino, index: 0, excludeServerIds: others });
    assert.equal(l2.chunk.version, l1.chunk.version + 1);
    assert.ok(l2.chunk.replicas.some((r) => r.serverId === 'd'), 'd is in the repaired chain');
    const reply = await heartbeat({ serverId: 'd', chunks: [{ handle: l2.chunk.handle, version: l2.chunk.version, length: 0 }] });
    assert.ok(!reply.deleteChunks.some((x) => x.handle === l2.chunk.handle), 'the copy is not taken for the late grant');
    const chunks = await call<{ chunks: { replicas: { serverId: string }[] }[] }>('GetChunks', { ino: f.ino });
    assert.ok(chunks.chunks[0].replicas.some((r) => r.serverId === 'd'));
  } finally {
    d.failGrant = false;
    await heartbeat({ serverId: 'd', activeWrites: 0 });
  }
});
