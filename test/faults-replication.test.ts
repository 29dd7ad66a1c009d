/**
 * Fault injection, real OS processes (issue 4 Acceptance 1–3): chunkservers killed with -9,
 * re-replication back to the goal, and a returning server whose stale and deleted replicas
 * are removed and never served. Every scenario ends with every file read back against its
 * SHA-256 and fsck healthy within a bounded time.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startFaultCluster, stopFaultClusters, MiB } from './helpers/fault-cluster';

after(stopFaultClusters);
const cluster = startFaultCluster;

test('Faults 1: 4 chunkservers, replication 3, 50 files: kill -9 of one → every chunk back to 3 replicas on the others', async () => {
  const c = await cluster(4);
  await c.writeFiles('/s1', 50, 2 * MiB);
  await c.waitHealthy();
  await c.kill('cs1');
  await c.waitDead('cs1');
  const r = await c.waitHealthy(60_000);
  assert.equal(r.liveServers, 3);
  for (const path of c.files.keys()) {
    for (const chunk of await c.locate(path)) {
      const ids = chunk.replicas.map((x) => x.serverId);
      assert.equal(ids.length, 3, `${path} chunk ${chunk.index}: ${ids}`);
      assert.ok(!ids.includes('cs1'));
    }
  }
  assert.deepEqual(await c.verifyAll(), []);
});

test('Faults 2: kill -9 of two of four at once, replication 3 → nothing lost; replicas restored when servers join', async () => {
  const c = await cluster(4);
  await c.writeFiles('/s2', 30, 2 * MiB);
  await c.waitHealthy();
  await Promise.all([c.kill('cs0'), c.kill('cs3')]);
  await c.until('two servers dead', async () => (await c.nodes()).filter((n) => n.state === 'DEAD').length === 2, 10_000);
  // Nothing lost: every chunk kept at least one replica, and every file reads back now.
  const f = await c.fsck();
  assert.equal(f.missing + f.corrupt, 0, JSON.stringify(f.problems));
  assert.deepEqual(await c.verifyAll(), []);
  // Two live servers can hold at most two replicas each; with two fresh servers the goal is met again.
  c.startChunkserver('cs4');
  c.startChunkserver('cs5');
  await c.waitForAlive(4);
  await c.waitHealthy(60_000);
  assert.deepEqual(await c.verifyAll(), []);
});

test('Faults 3: a killed chunkserver returns after re-replication, deletes and rewrites → its stale and deleted replicas are removed, none served', async () => {
  const c = await cluster(4);
  await c.writeFiles('/s3', 20, 2 * MiB);
  await c.waitHealthy();
  const before = await c.chunkFiles('cs2');
  assert.ok(before.size > 0, 'cs2 holds replicas');
  await c.kill('cs2');
  await c.waitDead('cs2');
  await c.waitHealthy(60_000);
  const paths = [...c.files.keys()].filter((p) => !p.endsWith('/f0.bin'));
  // While cs2 is away: delete 4 files, rewrite 4 (new chunks), modify 4 in place (new versions).
  const gone = new Set<number>();
  const bumped = new Set<number>();
  for (const p of paths.slice(0, 4)) {
    for (const ch of await c.locate(p)) gone.add(Number(ch.handle));
    await c.deleteFile(p);
  }
  for (const p of paths.slice(4, 8)) {
    for (const ch of await c.locate(p)) gone.add(Number(ch.handle));
    await c.putBytes(p, randomBytes(MiB + 333));
  }
  for (const p of paths.slice(8, 12)) {
    await c.writeInPlace(p, 0, randomBytes(1000));
    bumped.add(Number((await c.locate(p))[0].handle));
  }
  await c.waitHealthy(60_000);
  const staleOnDisk = [...bumped].filter((h) => before.has(h));
  const deletedOnDisk = [...gone].filter((h) => before.has(h));
  assert.ok(staleOnDisk.length + deletedOnDisk.length > 0, 'cs2 comes back with something stale or deleted');
  c.startChunkserver('cs2');
  await c.waitForAlive(4);
  // Its stale and garbage replicas disappear from its disk; the surplus of current ones is trimmed.
  await c.until('stale and deleted replicas removed from cs2', async () => {
    const now = await c.chunkFiles('cs2');
    return [...staleOnDisk, ...deletedOnDisk].every((h) => !now.has(h));
  }, 30_000);
  await c.waitHealthy(60_000);
  const known = await c.knownHandles();
  await c.until('no chunk file on any server that the master does not know', async () => {
    for (const id of ['cs0', 'cs1', 'cs2', 'cs3']) for (const h of (await c.chunkFiles(id)).keys()) if (!known.has(h)) return false;
    return true;
  }, 30_000);
  // None served: every replica the master hands out for the bumped chunks is at the new version.
  for (const p of paths.slice(8, 12)) {
    for (const ch of await c.locate(p)) assert.ok(!ch.replicas.some((r) => r.serverId === 'cs2' && staleOnDisk.includes(Number(ch.handle))));
  }
  assert.deepEqual(await c.verifyAll(), []);
});

test('Faults: a replica added for a higher goal while a writer holds the chunk\'s lease is never a stale copy: the later writes are on it too', async () => {
  const c = await cluster(4, { 'cluster.leaseDurationMs': 20_000 });
  const path = '/lease-setrep.bin';
  await c.putBytes(path, Buffer.alloc(MiB, 'A'));
  await c.waitHealthy();
  const first = (await c.locate(path))[0].replicas.map((x) => x.serverId);
  const ino = await c.inoOf(path);
  await c.writeAt(ino, 0, Buffer.alloc(64 * 1024, 'B')); // takes the lease, kept by the client
  const r = await c.dfs('setrep', '4', path);
  assert.equal(r.code, 0, r.stderr.toString());
  await new Promise((res) => setTimeout(res, 2_500)); // a copy made now would miss the next write
  await c.writeAt(ino, 0, Buffer.alloc(64 * 1024, 'C')); // under the same lease, as a mount's next flush
  await c.until('the chunk on 4 servers', async () => (await c.locate(path))[0].replicas.length === 4, 60_000);
  // the added replica alone: the first three stopped, the file read through it
  for (const id of first) await c.kill(id);
  const data = await c.read(path);
  assert.equal(data.subarray(0, 8).toString(), 'CCCCCCCC', `the replica added on ${(await c.locate(path))[0].replicas.map((x) => x.serverId).filter((id) => !first.includes(id))}`);
});
