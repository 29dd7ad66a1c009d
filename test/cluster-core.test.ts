/**
 * In-process cluster scenarios of the core (issue 2): replicated put/get, corruption, bad input.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable, Writable, PassThrough } from 'node:stream';
import { open, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { TestCluster } from './helpers/cluster';
import { DfsClient } from '../src/client/dfs-client';
import { DfsError } from '../src/common/errors';
import { REMOVE_BATCH_ENTRIES } from '../src/master/namespace';
import { chunkserverClient, callUnary, fromServiceError, masterClient } from '../src/common/rpc';
import { crc32c } from '../src/common/crc32c';
import { sleep } from '../src/common/clock';

const MiB = 1024 * 1024;

/** A deterministic pseudo-random stream of `size` bytes (never all in memory at once). */
function randomStream(size: number, seed: number): { stream: Readable; sha256: Promise<string> } {
  const hash = createHash('sha256');
  let left = size;
  let state = seed;
  const stream = new Readable({
    read() {
      if (left === 0) { this.push(null); return; }
      const n = Math.min(left, MiB);
      const buf = Buffer.allocUnsafe(n);
      for (let i = 0; i < n; i += 4) { state = (state * 1103515245 + 12345) >>> 0; buf.writeUInt32LE(state, i); }
      left -= n;
      hash.update(buf);
      this.push(buf);
    },
  });
  const sha256 = new Promise<string>((res) => stream.on('end', () => res(hash.digest('hex'))));
  return { stream, sha256 };
}

function hashSink(): { sink: Writable; digest: () => string; bytes: () => number } {
  const hash = createHash('sha256');
  let n = 0;
  const sink = new Writable({ write(chunk, _enc, cb) { hash.update(chunk); n += chunk.length; cb(); } });
  return { sink, digest: () => hash.digest('hex'), bytes: () => n };
}

let cluster: TestCluster;
before(async () => { cluster = await TestCluster.start({ chunkservers: 3 }); });
after(async () => { await cluster?.stop(); });

test('Cluster: put/get 200 MiB, 4 MiB chunks, R=3: byte-identical, every chunk on 3 distinct disks', async () => {
  const client = cluster.client();
  const size = 200 * MiB;
  const { stream, sha256 } = randomStream(size, 42);
  const attr = await client.put(stream, '/big.bin', { chunkSizeBytes: 4 * MiB, replication: 3 });
  assert.equal(attr.size, size);
  assert.equal(attr.chunkCount, 50);
  const want = await sha256;
  assert.equal(attr.sha256.toString('hex'), want);

  const { sink, digest, bytes } = hashSink();
  await client.get('/big.bin', sink);
  assert.equal(bytes(), size);
  assert.equal(digest(), want);

  const files = await Promise.all([0, 1, 2].map((i) => cluster.chunkFiles(i)));
  const names = files.map((list) => new Set(list.map((f) => basename(f))));
  const all = new Set(files.flat().map((f) => basename(f)));
  assert.equal(all.size, 50, 'one chunk file name per chunk');
  for (const name of all) {
    assert.ok(names.every((s) => s.has(name)), `chunk ${name} is on all three chunkservers`);
  }
});

test('Cluster: a corrupted replica is never served; get returns the right bytes and the master learns of it', async () => {
  const client = cluster.client();
  const data = randomBytes(3 * MiB + 123);
  await client.put(Readable.from([data]), '/corrupt.bin', { chunkSizeBytes: 1 * MiB, replication: 3 });
  const before = new Set((await cluster.chunkFiles(0)).map((f) => basename(f)));
  // Flip one byte in every chunk file of chunkserver 0 that belongs to this file.
  const attr = await client.stat('/corrupt.bin');
  assert.equal(attr.chunkCount, 4);
  let corrupted = 0;
  for (const f of await cluster.chunkFiles(0)) {
    const st = await stat(f);
    if (st.size === 0) continue;
    const h = await open(f, 'r+');
    try {
      const b = Buffer.alloc(1);
      await h.read(b, 0, 1, 10);
      b[0] ^= 0xff;
      await h.write(b, 0, 1, 10);
      corrupted++;
    } finally { await h.close(); }
  }
  assert.ok(corrupted >= 4 && before.size >= 4);
  // Read several times: whichever replica is tried first, the bytes must be right.
  for (let i = 0; i < 3; i++) {
    const chunks: Buffer[] = [];
    const sink = new Writable({ write(c, _e, cb) { chunks.push(c); cb(); } });
    await client.get('/corrupt.bin', sink);
    assert.ok(Buffer.concat(chunks).equals(data), 'get returns the original bytes');
  }
  // Reading each chunk straight from cs0 fails with CHECKSUM_MISMATCH, never with bad bytes.
  const cs0 = cluster.chunkservers[0]!;
  const direct = chunkserverClient(cs0.address);
  try {
    for (const chunk of await client.locate('/corrupt.bin')) {
      if (!chunk.replicas.some((r) => r.serverId === cs0.id)) continue;
      const got = await new Promise<string>((resolve) => {
        const s = direct.readChunk({ handle: chunk.handle, version: chunk.version, offset: 0, length: MiB }, { deadline: Date.now() + 5000 });
        s.on('data', () => {});
        s.on('error', (e) => resolve(fromServiceError(e).code));
        s.on('end', () => resolve('no error'));
      });
      assert.equal(got, 'CHECKSUM_MISMATCH', `chunk ${chunk.handle} on ${cs0.id}`);
    }
  } finally { direct.close(); }
  // The master drops the bad replicas from its locations (reported by cs0).
  const deadline = Date.now() + 10_000;
  for (;;) {
    const chunks = await client.locate('/corrupt.bin');
    const onCs0 = chunks.filter((c) => c.replicas.some((r) => r.serverId === cs0.id)).length;
    if (onCs0 === 0) break;
    if (Date.now() > deadline) assert.fail(`the master still lists ${onCs0} corrupted replicas on ${cs0.id}`);
    await sleep(100);
  }
});

test('Cluster: bad paths get clear errors', async () => {
  const client = cluster.client();
  const cases: [() => Promise<unknown>, string][] = [
    [() => client.mkdir(''), 'EINVAL'],
    [() => client.mkdir('/a\0b'), 'EINVAL'],
    [() => client.mkdir('/../x'), 'EINVAL'],
    [() => client.mkdir('/' + 'n'.repeat(300)), 'ENAMETOOLONG'],
    [() => client.stat('/missing'), 'ENOENT'],
    [() => client.mkdir('/'), 'EEXIST'],
    [() => client.delete('/', { recursive: true }), 'EBUSY'],
  ];
  for (const [fn, code] of cases) {
    await assert.rejects(fn, (e: unknown) => e instanceof DfsError && e.code === code, `expected ${code}`);
  }
});

test('Cluster: namespace errors are POSIX codes', async () => {
  const client = cluster.client();
  await client.mkdir('/ns/a/b', { parents: true });
  await client.put(Readable.from([Buffer.from('hi')]), '/ns/f');
  const cases: [() => Promise<unknown>, string][] = [
    [() => client.mkdir('/ns/a'), 'EEXIST'],
    [() => client.mkdir('/ns/x/y'), 'ENOENT'],
    [() => client.mkdir('/ns/f/y'), 'ENOTDIR'],
    [() => client.delete('/ns/a'), 'ENOTEMPTY'],
    [() => client.delete('/ns/a', { kind: 'FILE_ONLY' }), 'EISDIR'],
    [() => client.delete('/ns/f', { kind: 'DIR_ONLY' }), 'ENOTDIR'],
    [() => client.rename('/ns/a', '/ns/a/b/c'), 'EINVAL'],
    [() => client.rename('/ns/missing', '/ns/z'), 'ENOENT'],
    [() => client.rename('/ns/f', '/ns/a'), 'EISDIR'],
    [() => client.rename('/ns/a', '/ns/f'), 'ENOTDIR'],
    [() => client.list('/ns/f'), 'ENOTDIR'],
  ];
  for (const [fn, code] of cases) {
    await assert.rejects(fn, (e: unknown) => e instanceof DfsError && e.code === code, `expected ${code}`);
  }
  await client.rename('/ns/f', '/ns/a/b/g');
  assert.equal((await client.stat('/ns/a/b/g')).size, 2);
  await client.delete('/ns', { recursive: true });
  await assert.rejects(() => client.stat('/ns'), (e: unknown) => e instanceof DfsError && e.code === 'ENOENT');
});

test('Chunkserver: unknown handles, escaping handles, bad frames and wrong versions are refused; the server keeps serving', async () => {
  const client = cluster.client();
  const data = randomBytes(200_000);
  await client.put(Readable.from([data]), '/keep.bin', { chunkSizeBytes: 1 * MiB });
  const cs = cluster.chunkservers[1]!;
  const c = chunkserverClient(cs.address);
  try {
    const read = (req: object) => new Promise<void>((resolve, reject) => {
      const s = c.readChunk(req, { deadline: Date.now() + 5000 });
      s.on('data', () => {});
      s.on('error', reject);
      s.on('end', resolve);
    });
    for (const handle of [0, 1e15 + 7, -1]) {
      await assert.rejects(read({ handle, version: 1, offset: 0, length: 10 }), `handle ${handle}`);
    }
    await assert.rejects(callUnary(c, c.chunkStat, { handle: 99_999_999 }, 5000));
    const write = (frames: object[]) => new Promise<void>((resolve, reject) => {
      const s = c.writeChunk({ deadline: Date.now() + 5000 }, (err) => (err ? reject(err) : resolve()));
      for (const f of frames) s.write(f);
      s.end();
    });
    const payload = Buffer.alloc(100, 1);
    // No header.
    await assert.rejects(write([{ data: payload, crc32c: crc32c(payload) }]));
    // Wrong CRC.
    await assert.rejects(write([{ header: { handle: 1, version: 1, offset: 0, length: 100 }, data: payload, crc32c: 1 }]));
    // Fewer bytes than announced (truncated stream).
    await assert.rejects(write([{ header: { handle: 1, version: 1, offset: 0, length: 1000 }, data: payload, crc32c: crc32c(payload) }]));
    // Stale version on a chunk this server holds.
    await assert.rejects(write([{ header: { handle: 1, version: 999, offset: 0, length: 100, fromPrimary: true }, data: payload, crc32c: crc32c(payload) }]));
    // Oversized frame (over the 8 MiB message limit) is refused by the transport.
    const huge = Buffer.alloc(9 * MiB);
    await assert.rejects(write([{ header: { handle: 1, version: 1, offset: 0, length: huge.length, fromPrimary: true }, data: huge, crc32c: crc32c(huge) }]));
  } finally { c.close(); }
  // The data is intact and the cluster still serves it.
  const chunks: Buffer[] = [];
  await client.get('/keep.bin', new Writable({ write(x, _e, cb) { chunks.push(x); cb(); } }));
  assert.ok(Buffer.concat(chunks).equals(data));
});

test('Cluster: get and cat through pipes keep memory bounded on a stream larger than the chunk', async () => {
  const client = cluster.client();
  const { stream, sha256 } = randomStream(24 * MiB, 7);
  await client.put(stream, '/stream.bin', { chunkSizeBytes: 2 * MiB });
  const pass = new PassThrough({ highWaterMark: 64 * 1024 });
  const { sink, digest } = hashSink();
  pass.pipe(sink);
  const finished = new Promise((r) => sink.on('finish', r));
  await client.get('/stream.bin', pass);
  pass.end();
  await finished;
  assert.equal(digest(), await sha256);
});

test('Cluster: a master started on another (empty) meta folder is refused by the chunkservers, which keep every chunk', async () => {
  const c = await TestCluster.start({ chunkservers: 2, config: { 'cluster.replication': 2, 'cluster.garbageGraceMs': 200 } });
  try {
    const data = randomBytes(300_000);
    await c.client().put(Readable.from([data]), '/kept');
    const files = [...await c.chunkFiles(0), ...await c.chunkFiles(1)];
    assert.equal(files.length, 2);
    const first = await readFile(join(c.root, 'cs0', 'cluster-id'), 'utf8');
    assert.match(first, /^CID-[0-9a-f]{12}\n$/);

    await c.master.stop();
    await c.startMaster('wrong-folder');
    await sleep(2_500); // garbage grace 200 ms, heartbeats every 200 ms: time enough to delete
    const wrong = c.client();
    assert.equal((await wrong.nodes()).length, 0, 'no chunkserver registers with the other cluster');
    const seen = await wrong.nodesReply();
    assert.deepEqual(seen.refused.map((r) => `${r.serverId} ${r.clusterId}`).sort(), [`cs0 ${first.trim()}`, `cs1 ${first.trim()}`], 'dfs nodes shows whom it refused');
    assert.notEqual(seen.clusterId, first.trim());
    assert.deepEqual([...await c.chunkFiles(0), ...await c.chunkFiles(1)].sort(), files.sort());

    await c.master.stop();
    await c.startMaster();
    await c.waitForServers(2);
    const { sink, digest } = hashSink();
    await c.client().get('/kept', sink);
    assert.equal(digest(), createHash('sha256').update(data).digest('hex'));
    assert.equal(await readFile(join(c.root, 'cs1', 'cluster-id'), 'utf8'), first);
  } finally {
    await c.stop();
  }
});

test('Cluster: every replica of a chunk reported bad (a client wrong about all three) → the last copy is kept and comes back, nothing is lost', async () => {
  const client = cluster.client();
  const data = randomBytes(200_000);
  await client.put(Readable.from([data]), '/reported.bin', { replication: 3 });
  const [chunk] = await client.locate('/reported.bin');
  assert.equal(chunk.replicas.length, 3);
  const master = masterClient(cluster.masterAddress);
  try {
    for (const r of chunk.replicas) {
      await callUnary(master, master.ReportBadReplica, { handle: chunk.handle, serverId: r.serverId, reason: 'frame CRC32C mismatch (test)' }, 5_000);
    }
  } finally { master.close(); }
  // the first two reports find a good replica elsewhere (deleted, copied again); the last copy
  // stays on its disk, and its server's full report puts it back on the map
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { sink, digest } = hashSink();
    const ok = await client.get('/reported.bin', sink).then(() => true, () => false);
    if (ok) { assert.equal(digest(), createHash('sha256').update(data).digest('hex')); break; }
    if (Date.now() > deadline) assert.fail('the file never became readable again');
    await sleep(200);
  }
  const files = (await Promise.all([0, 1, 2].map((i) => cluster.chunkFiles(i)))).flat().filter((f) => basename(f) === `${chunk.handle}.chunk`);
  assert.ok(files.length >= 1, 'a replica is still on disk');
});

test('Cluster: rm -r of a tree bigger than one transaction returns at once and the master removes the rest in the background', async () => {
  const client = cluster.client();
  const before = (await client.statFs()).files;
  await client.mkdir('/bigtree/sub', { parents: true });
  let next = 0;
  const n = REMOVE_BATCH_ENTRIES + 1_500;
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next < n) { const i = next++; await client.create(`/bigtree${i % 2 ? '/sub' : ''}/f${i}`, { exclusive: true }); }
  }));
  assert.equal((await client.statFs()).files, before + n + 2);
  await client.delete('/bigtree', { recursive: true });
  await assert.rejects(client.stat('/bigtree'), (e: DfsError) => e.code === 'ENOENT');
  const deadline = Date.now() + 15_000;
  while ((await client.statFs()).files !== before) {
    if (Date.now() > deadline) assert.fail(`${(await client.statFs()).files - before} inodes of the deleted tree left`);
    await sleep(100);
  }
});

test('Cluster: a file deleted by another client while its Create commits stays open for its creator (an orphan), never dropped under it', async () => {
  const creator = new DfsClient({ masterAddress: cluster.masterAddress, config: cluster.config, sessionId: `race-${Date.now()}` });
  const other = cluster.client();
  let lost = 0;
  try {
    for (let round = 0; round < 30; round++) {
      const path = `/crrace${round}`;
      const [created] = await Promise.all([creator.create(path, { truncate: true }), other.delete(path).catch(() => undefined)]);
      await other.delete(path).catch(() => undefined); // deleted now in any case: only the creator's open keeps it
      const still = await creator.statIno(created.ino).then(() => true, () => false);
      if (!still) lost++;
    }
  } finally { creator.close(); }
  assert.equal(lost, 0, `${lost} of 30 new files dropped while their creator had them open`);
});
