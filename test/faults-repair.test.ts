/**
 * Fault injection, real OS processes (issue 4 Acceptance 4–5): silent corruption of chunk files
 * found by the scrubber and repaired from good replicas; the master killed with -9 during an
 * upload (no half file, no leaked chunk after GC, safe mode ends by itself, later uploads work).
 * Every scenario ends with every file read back against its SHA-256 and fsck healthy.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { startFaultCluster, stopFaultClusters, MiB } from './helpers/fault-cluster';
import { DFS_BIN } from './helpers/procs';
import { sleep } from '../src/common/clock';
import { chunkserverClient, type ChunkserverClient } from '../src/common/rpc';
import type { DataFrame__Output } from '../src/generated/dfs/DataFrame';

after(stopFaultClusters);
const cluster = startFaultCluster;

/** Reads a whole replica from one chunkserver (its own checksums verified there). */
async function readReplica(address: string, handle: number, version: number): Promise<Buffer> {
  const client: ChunkserverClient = chunkserverClient(address);
  try {
    const parts: Buffer[] = [];
    for await (const f of client.ReadChunk({ handle, version, offset: 0, length: 64 * MiB }) as AsyncIterable<DataFrame__Output>) parts.push(f.data);
    return Buffer.concat(parts);
  } finally {
    (client as unknown as { close(): void }).close();
  }
}

test('Faults 4: random bytes corrupted in 10 chunk files on disk → the scrubber finds each and they are repaired', async () => {
  const c = await cluster(4, { 'chunkserver.scrubBytesPerSec': 64 * MiB, 'chunkserver.scrubPassPauseMs': 300 });
  await c.writeFiles('/s4', 20, 2 * MiB);
  await c.waitHealthy();
  // Ten distinct chunks, one replica each (corrupting every replica of a chunk would lose it).
  const victims: { id: string; handle: number; path: string; bytes: Buffer }[] = [];
  const used = new Set<number>();
  for (const id of ['cs0', 'cs1', 'cs2', 'cs3']) {
    for (const [handle, path] of await c.chunkFiles(id)) {
      if (victims.length >= 10 || used.has(handle) || victims.filter((v) => v.id === id).length >= 3) continue;
      const fh = await open(path, 'r+');
      try {
        const { size } = await fh.stat();
        if (size < 16) continue;
        const at = Math.floor(Math.random() * (size - 16));
        const junk = randomBytes(16);
        await fh.write(junk, 0, 16, at);
        await fh.sync();
      } finally {
        await fh.close();
      }
      used.add(handle);
      victims.push({ id, handle, path, bytes: await readFile(path) });
    }
  }
  assert.equal(victims.length, 10);
  // Each corrupted replica is found and dropped at its server (its file goes, or is made again
  // from a good replica), and the chunk is back at 3 replicas.
  await c.until('every corrupted replica dropped or replaced', async () => {
    for (const v of victims) {
      const now = await readFile(v.path).catch(() => undefined);
      if (now && now.equals(v.bytes)) return false;
    }
    return true;
  }, 60_000);
  await c.waitHealthy(60_000);
  const known = await c.knownHandles();
  for (const v of victims) {
    const version = known.get(v.handle)!;
    let replicas: { serverId: string; address: string }[] = [];
    for (const p of c.files.keys()) {
      const hit = (await c.locate(p)).find((x) => Number(x.handle) === v.handle);
      if (hit) replicas = hit.replicas.map((r) => ({ serverId: r.serverId, address: r.address }));
    }
    assert.equal(replicas.length, 3, `chunk ${v.handle} has 3 replicas`);
    const copies = await Promise.all(replicas.map((r) => readReplica(r.address, v.handle, version)));
    for (const copy of copies) assert.ok(copy.equals(copies[0]), `every replica of chunk ${v.handle} reads back, checksums verified, identical`);
  }
  await c.waitHealthy();
  assert.deepEqual(await c.verifyAll(), []);
});

test('Faults 4b: chunk files deleted behind running chunkservers (a data file, a meta file) → the scrubber reports them and the chunks are copied back to 3', async () => {
  const c = await cluster(4, { 'chunkserver.scrubBytesPerSec': 64 * MiB, 'chunkserver.scrubPassPauseMs': 300 });
  await c.writeFiles('/s4b', 6, 2 * MiB);
  await c.waitHealthy();
  const [a, b] = [...(await c.chunkFiles('cs0')).entries()];
  const metaOf = (path: string): string => path.replace(/\.chunk$/, '.meta');
  await rm(a[1]); // the data file of one replica
  await rm(metaOf(b[1])); // the meta file of another
  // Nobody reads these files: the scrubber finds them, cs0 reports them bad, the master copies
  // the chunks elsewhere (or back), and every replica it lists then really holds the chunk.
  const readable = async (handle: number): Promise<boolean> => {
    const version = (await c.knownHandles()).get(handle);
    for (const p of c.files.keys()) {
      const hit = (await c.locate(p)).find((x) => Number(x.handle) === handle);
      if (!hit) continue;
      if (hit.replicas.length !== 3 || version === undefined) return false;
      const reads = await Promise.all(hit.replicas.map((r) => readReplica(r.address, handle, version).then(() => true, () => false)));
      return reads.every(Boolean);
    }
    return false;
  };
  await c.until('both chunks back at 3 replicas that all read', async () => (await readable(a[0])) && (await readable(b[0])), 60_000);
  await c.waitHealthy(60_000);
  assert.deepEqual(await c.verifyAll(), []);
});

/** The replicas the master lists for `handle` (of a remembered file), primary first while a lease runs. */
async function replicasOf(c: Awaited<ReturnType<typeof cluster>>, handle: number): Promise<{ serverId: string; address: string }[]> {
  for (const p of c.files.keys()) {
    const hit = (await c.locate(p)).find((x) => Number(x.handle) === handle);
    if (hit) return hit.replicas.map((r) => ({ serverId: r.serverId, address: r.address }));
  }
  return [];
}

/** Whether every replica the master lists for `handle` reads back (checksums verified there) with the same bytes. */
async function replicasAgree(c: Awaited<ReturnType<typeof cluster>>, handle: number, count = 3): Promise<boolean> {
  const version = (await c.knownHandles()).get(handle);
  const replicas = await replicasOf(c, handle);
  if (version === undefined || replicas.length !== count) return false;
  const copies = await Promise.all(replicas.map((r) => readReplica(r.address, handle, version).catch(() => undefined)));
  return copies.every((x) => x !== undefined && x.equals(copies[0]!));
}

function chunkPathOn(c: Awaited<ReturnType<typeof cluster>>, id: string, handle: number): string {
  return join(c.dataDir(id), 'chunks', (handle % 256).toString(16).padStart(2, '0'), `${handle}.chunk`);
}

test('Faults 4c: a meta file damaged and a data file replaced by a folder, behind running chunkservers → the scrubber reports both and the chunks are copied back to 3', async () => {
  const c = await cluster(4, { 'chunkserver.scrubBytesPerSec': 64 * MiB, 'chunkserver.scrubPassPauseMs': 300 });
  await c.writeFiles('/s4c', 6, 2 * MiB);
  await c.waitHealthy();
  const [a, b] = [...(await c.chunkFiles('cs1')).entries()];
  // as a black-box tester did: `printf XXXX | dd of=X.meta bs=1 seek=20 conv=notrunc`, `rm X.chunk; mkdir X.chunk`
  const fh = await open(a[1].replace(/\.chunk$/, '.meta'), 'r+');
  await fh.write(Buffer.from('XXXX'), 0, 4, 20);
  await fh.close();
  await rm(b[1]);
  await mkdir(b[1]);
  // Nobody reads them: only the scrubber can find them (before, it logged EISDIR at every pass
  // and counted the meta's mismatch without telling anyone, and fsck stayed HEALTHY).
  await c.until('both chunks back at 3 replicas that all read alike', async () => (await replicasAgree(c, a[0])) && (await replicasAgree(c, b[0])), 60_000);
  await c.waitHealthy(60_000);
  assert.deepEqual(await c.verifyAll(), []);
});

test('Faults 4d: the primary cannot open its replica during an in-place write (a folder in place of its data file) → the write succeeds on the others at a new version, the failed replica is dropped and the chunk copied back to 3, every replica alike', async () => {
  const c = await cluster(4);
  const data = randomBytes(100_000);
  await c.putBytes('/s4d.bin', data);
  const [chunk] = await c.locate('/s4d.bin');
  const handle = Number(chunk.handle);
  const before = Number(chunk.version);
  const primary = chunk.replicas[0].serverId; // the put's lease still runs: its primary comes first
  await rm(chunkPathOn(c, primary, handle));
  await mkdir(chunkPathOn(c, primary, handle));
  // A small write: the primary sends it to the other replicas while it writes its own, so they
  // applied it when the primary failed to open its file. Before, the primary's EISDIR was final
  // for the client (the write failed) and the replicas were left different at one version.
  await c.writeInPlace('/s4d.bin', 1000, Buffer.from('patched through the other replicas'));
  const [after] = await c.locate('/s4d.bin');
  assert.ok(Number(after.version) > before, `a new version (${before} -> ${after.version}): the failed replica is stale`);
  assert.ok(!after.replicas.some((r) => r.serverId === primary), 'the failed replica is not listed');
  await c.until('the chunk back at 3 replicas that all read alike', () => replicasAgree(c, handle), 60_000);
  await c.waitHealthy(60_000);
  assert.deepEqual(await c.verifyAll(), []);
});

test('Faults 4e: a chunkserver\'s data folder deleted while it runs → writes go on without it, it stops with exit status 1 saying why, and its chunks are copied back to 3', async () => {
  const c = await cluster(4);
  await c.writeFiles('/s4e', 6, 2 * MiB);
  await c.waitHealthy();
  const victim = c.servers.get('cs2')!;
  await rm(c.dataDir('cs2'), { recursive: true });
  // Before: "dfs: cannot create ...: No such file or directory" (its ENOENT reached the user as
  // final), and the server went on without a folder, made chunks/ again for copies it was sent.
  for (let i = 0; i < 6; i++) await c.putBytes(`/s4e/after-${i}.bin`, randomBytes(MiB + 4096 * i));
  const code = await Promise.race([victim.exited, sleep(10_000).then(() => 'still running')]);
  assert.equal(code, 1, `exit status (stderr: ${victim.stderr().slice(-2000)})`);
  assert.match(victim.stderr(), /dfs: chunkserver: data folder \S+ is no longer usable: \S+in_use\.lock is gone/);
  assert.equal(existsSync(c.dataDir('cs2')), false, 'the folder was not made again');
  c.servers.delete('cs2');
  await c.waitHealthy(60_000);
  assert.deepEqual(await c.verifyAll(), []);
});

test('Faults 5: master kill -9 during an upload → no half file, no leaked chunk after GC, safe mode ends by itself, later uploads work', async () => {
  const c = await cluster(3, { 'cluster.safeModeTimeoutMs': 20_000 });
  await c.writeFiles('/s5', 10, 2 * MiB);
  await c.waitHealthy();
  const put = spawn(process.execPath, [DFS_BIN, 'put', '-', '/s5/partial.bin', '--config', c.cfg, '--master', c.masterAddress], { stdio: ['pipe', 'ignore', 'ignore'] });
  const putExited = new Promise((r) => put.on('exit', r));
  put.stdin!.on('error', () => {});
  for (let i = 0; i < 4; i++) {
    put.stdin!.write(randomBytes(MiB));
    await sleep(150);
  }
  await c.killMaster();
  put.kill('SIGKILL');
  await putExited;
  await c.startMaster(`127.0.0.1:${c.masterAddress.split(':')[1]}`);
  await c.waitForAlive(3);
  await c.until('safe mode off by itself', async () => !(await c.admin.call('SafeMode', { action: 'SAFE_MODE_GET' })).on, 25_000);
  const r = await c.dfs('stat', '/s5/partial.bin');
  assert.equal(r.code, 1, 'no half file is visible');
  // The abandoned upload expires (cluster.uploadTimeoutMs) and its chunks become garbage everywhere.
  const known = await c.knownHandles();
  await c.until('no chunk file the master does not know, on any server', async () => {
    for (const id of ['cs0', 'cs1', 'cs2']) for (const h of (await c.chunkFiles(id)).keys()) if (!known.has(h)) return false;
    return true;
  }, 40_000);
  await c.putBytes('/s5/after.bin', randomBytes(3 * MiB + 5));
  await c.waitHealthy();
  assert.deepEqual(await c.verifyAll(), []);
});
