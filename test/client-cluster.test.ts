/**
 * The client against a real in-process cluster (master + 3 chunkservers on 127.0.0.1 port 0,
 * 1 MiB chunks): whole-file put/get, ranges, truncation, a dead chunkserver during writes and
 * a corrupt replica during reads.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { readFile, writeFile } from 'node:fs/promises';
import { TestCluster } from './helpers/cluster';
import { DfsError } from '../src/common/errors';
import type { DfsClient } from '../src/client/dfs-client';

const MiB = 1024 * 1024;
let cluster: TestCluster;
let client: DfsClient;

before(async () => {
  cluster = await TestCluster.start({ config: { 'cluster.chunkSizeBytes': MiB, 'client.frameBytes': 256 * 1024, 'client.parallelChunks': 3 } });
  client = cluster.client();
});

after(async () => {
  await cluster?.stop();
});

function pieces(data: Buffer, piece: number): Readable {
  const parts: Buffer[] = [];
  for (let pos = 0; pos < data.length; pos += piece) parts.push(data.subarray(pos, pos + piece));
  return Readable.from(parts);
}

async function getAll(path: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  await client.get(path, new Writable({ write(chunk, _e, cb) { parts.push(chunk); cb(); } }));
  return Buffer.concat(parts);
}

test('Client cluster: put/get of 5.3 MiB, streamed with and without a size hint', async () => {
  const data = randomBytes(5 * MiB + 300 * 1024);
  await client.mkdir('/c', { parents: true });
  const a = await client.put(pieces(data, 64 * 1024), '/c/known.bin', { sizeHint: data.length });
  assert.equal(a.size, data.length);
  assert.deepEqual(a.sha256, createHash('sha256').update(data).digest());
  await client.put(pieces(data, 100_000), '/c/stream.bin');
  assert.ok((await getAll('/c/known.bin')).equals(data));
  assert.ok((await getAll('/c/stream.bin')).equals(data));
  const chunks = await client.locate('/c/known.bin');
  assert.equal(chunks.length, 6);
  for (const c of chunks) assert.equal(c.replicas.length, 3, `chunk ${c.index} on 3 replicas`);
  const names: string[] = [];
  for await (const e of client.listAll('/c')) names.push(e.name);
  assert.deepEqual(names, ['known.bin', 'stream.bin']);
});

test('Client cluster: no-overwrite put of an existing path fails and keeps the old file', async () => {
  const old = randomBytes(1000);
  await client.put(pieces(old, 1000), '/c/keep.bin');
  await assert.rejects(client.put(pieces(randomBytes(10), 10), '/c/keep.bin', { overwrite: false }), (e: unknown) => e instanceof DfsError && e.code === 'EEXIST');
  assert.ok((await getAll('/c/keep.bin')).equals(old));
});

test('Client cluster: writeRange + commitWrite + readRange, then truncate into a chunk reads zeros after extension', async () => {
  const attr = await client.create('/c/ranges.bin');
  const data = randomBytes(MiB + 4096);
  await client.writeRange(attr.ino, 1000, data);
  const after1 = await client.commitWrite(attr.ino, 1000 + data.length);
  assert.equal(after1.size, 1000 + data.length);
  const back = await client.readRange(attr.ino, 0, after1.size + 100);
  assert.equal(back.length, after1.size);
  assert.ok(back.subarray(0, 1000).equals(Buffer.alloc(1000)));
  assert.ok(back.subarray(1000).equals(data));
  await client.setAttr({ ino: attr.ino, size: MiB + 10 });
  await client.setAttr({ ino: attr.ino, size: MiB + 5000 });
  client.invalidate(attr.ino);
  const tail = await client.readRange(attr.ino, MiB, 5000);
  assert.ok(tail.subarray(0, 10).equals(data.subarray(MiB - 1000, MiB - 990)));
  assert.ok(tail.subarray(10).equals(Buffer.alloc(4990)), 'bytes cut by the truncation come back as zeros');
});

test('Client cluster: growing a file reads zeros past its old end, not bytes written there and never committed', async () => {
  const attr = await client.create('/c/uncommitted.bin');
  const data = randomBytes(3000);
  await client.writeRange(attr.ino, 0, data);
  await client.commitWrite(attr.ino, 1000); // bytes 1000-2999 written, never committed (a writer that died)
  await client.setAttr({ ino: attr.ino, size: 5000 });
  client.invalidate(attr.ino);
  const back = await client.readRange(attr.ino, 0, 5000);
  assert.ok(back.subarray(0, 1000).equals(data.subarray(0, 1000)));
  assert.ok(back.subarray(1000).equals(Buffer.alloc(4000)), 'the grown range reads zeros');
});

test('Client cluster: writeRanges puts scattered runs, one crossing a chunk boundary, in one chunk write per chunk', async () => {
  const attr = await client.create('/c/scattered.bin');
  const model = Buffer.alloc(2 * MiB + 300);
  const runs = [
    { offset: 5, data: randomBytes(70_000) },               // chunk 0, spans a 64 KiB block edge
    { offset: 200_000, data: randomBytes(10) },             // chunk 0, inside one block
    { offset: MiB - 3000, data: randomBytes(9000) },        // chunk 0 and chunk 1
    { offset: MiB + 500_000, data: randomBytes(1) },        // chunk 1
    { offset: 2 * MiB, data: randomBytes(300) },            // chunk 2
  ];
  for (const r of runs) r.data.copy(model, r.offset);
  // out of order on purpose: writeRanges sorts
  await client.writeRanges(attr.ino, [runs[3], runs[0], runs[4], runs[2], runs[1]]);
  const committed = await client.commitWrite(attr.ino, model.length);
  assert.equal(committed.size, model.length);
  client.invalidate(attr.ino);
  assert.ok((await client.readRange(attr.ino, 0, model.length)).equals(model));
  // over what is there: a second batch changes only its runs
  const again = [{ offset: 6, data: randomBytes(3) }, { offset: MiB + 1, data: randomBytes(65_536) }];
  for (const r of again) r.data.copy(model, r.offset);
  await client.writeRanges(attr.ino, again);
  client.invalidate(attr.ino);
  assert.ok((await client.readRange(attr.ino, 0, model.length)).equals(model));
});

test('Client cluster: a corrupt replica is skipped and the file still reads correctly', async () => {
  const data = randomBytes(2 * MiB);
  await client.put(pieces(data, 64 * 1024), '/c/corrupt.bin', { sizeHint: data.length });
  const [first] = await client.locate('/c/corrupt.bin');
  const index = cluster.chunkservers.findIndex((cs) => cs?.id === first.replicas[0].serverId);
  const file = cluster.chunkservers[index]!.chunkPath(first.handle);
  const bytes = await readFile(file);
  bytes[100] ^= 0xff;
  await writeFile(file, bytes);
  assert.ok((await getAll('/c/corrupt.bin')).equals(data));
});

test('Client cluster: a dead chunkserver is excluded and writes go on', async () => {
  await cluster.stopChunkserver(2);
  const data = randomBytes(3 * MiB + 7);
  await client.put(pieces(data, 128 * 1024), '/c/after-death.bin', { sizeHint: data.length });
  assert.ok((await getAll('/c/after-death.bin')).equals(data));
});

test('Client cluster: a file created with a first lease, grown by a truncate and never written gives its chunk 0 back at its last release; a written one keeps it', async () => {
  const s = cluster.client({ sessionId: 'grow-session' });
  try {
    await s.mkdir('/grow', { parents: true });
    // the pool of chunks granted ahead fills once chunks are asked for (replication 1: an earlier
    // test leaves a chunkserver dead, and a pooled chunk needs every replica alive)
    let first = await s.create('/grow/warm', { wantLease: true, replication: 1 });
    await s.writeRange(Number(first.ino), 0, Buffer.from('x'));
    await s.release(Number(first.ino));
    let held = false;
    for (let i = 0; i < 100 && !held; i++) {
      const a = await s.create(`/grow/sparse${i}`, { wantLease: true, replication: 1 });
      held = (await s.locate(`/grow/sparse${i}`)).length === 1; // Create's first chunk
      await s.setAttr({ ino: a.ino, path: '', size: 64 * MiB });
      await s.release(Number(a.ino));
      if (held) assert.equal((await s.locate(`/grow/sparse${i}`)).length, 0, 'given back at the last release');
      else await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(held, 'a Create took a pooled chunk');
    first = await s.create('/grow/written', { wantLease: true, replication: 1 });
    await s.setAttr({ ino: first.ino, path: '', size: 3 * MiB });
    await s.writeRange(Number(first.ino), 10, Buffer.from('data'));
    await s.release(Number(first.ino));
    assert.equal((await s.locate('/grow/written')).length, 1, 'a written chunk stays');
    assert.ok((await s.readRange(Number(first.ino), 8, 8)).equals(Buffer.from('\0\0data\0\0')));
  } finally {
    s.close();
  }
});
