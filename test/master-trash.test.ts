/**
 * Trash (issue 4, as HDFS): `dfs rm` moves to /.trash/<unixMs>/PATH when
 * cluster.trashRetentionMs > 0, `--skip-trash` and paths inside /.trash delete at once, and
 * the master's maintenance loop empties buckets older than the retention. Pure layout rules
 * first, then the CLI command against an in-process cluster (the removal time is injected).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { TestCluster } from './helpers/cluster';
import { cmdRm, type Io } from '../src/client/cli-commands';
import { expiredTrashBuckets, isInTrash, trashTarget } from '../src/common/trash';
import { isDfsError } from '../src/common/errors';
import type { DfsClient } from '../src/client/dfs-client';

const RETENTION_MS = 60_000;

test('Trash: layout rules (target path, collision suffix, in-trash check, expiry)', () => {
  assert.equal(trashTarget('/a/b.txt', 1700000000123), '/.trash/1700000000123/a/b.txt');
  assert.equal(trashTarget('/a//b/', 5, 2), '/.trash/5/a/b.2');
  assert.equal(isInTrash('/.trash'), true);
  assert.equal(isInTrash('/.trash/5/a'), true);
  assert.equal(isInTrash('/.trashy'), false);
  assert.equal(isInTrash('/a/.trash'), false);
  assert.deepEqual(expiredTrashBuckets(['100', '500', 'notes', '1000'], 1100, 600), ['100', '500']);
  assert.deepEqual(expiredTrashBuckets(['100'], 1_000_000, 0), [], 'retention 0: the master never empties');
});

let cluster: TestCluster;
let client: DfsClient;
let stderr = '';

function io(): Io {
  const err = new PassThrough();
  err.on('data', (d: Buffer) => { stderr += d.toString(); });
  return { stdin: Readable.from([]), stdout: new PassThrough().resume(), stderr: err, progress: false, onInterrupt: () => () => {} };
}

async function put(path: string, text: string): Promise<void> {
  await client.put(Readable.from([Buffer.from(text)]), path);
}

async function content(path: string): Promise<string> {
  const chunks: Buffer[] = [];
  const out = new PassThrough();
  out.on('data', (d: Buffer) => chunks.push(d));
  await client.get(path, out);
  return Buffer.concat(chunks).toString();
}

async function exists(path: string): Promise<boolean> {
  try {
    await client.stat(path);
    return true;
  } catch (e) {
    if (isDfsError(e, 'ENOENT')) return false;
    throw e;
  }
}

before(async () => {
  // No background maintenance: the tests plant expired buckets and empty them with maintain().
  cluster = await TestCluster.start({ chunkservers: 2, maintenanceIntervalMs: 0, config: { 'cluster.replication': 2, 'cluster.trashRetentionMs': RETENTION_MS } });
  client = cluster.client();
});

after(async () => {
  await cluster?.stop();
});

test('Trash: rm moves a file to /.trash/<unixMs>/PATH; a collision gets a suffix', async () => {
  await client.mkdir('/docs');
  await put('/docs/a.txt', 'first');
  const t = Date.now();
  assert.equal(await cmdRm(client, io(), ['/docs/a.txt'], { trashRetentionMs: RETENTION_MS, nowMs: () => t }), 0, stderr);
  assert.equal(await exists('/docs/a.txt'), false);
  assert.equal(await content(`/.trash/${t}/docs/a.txt`), 'first');
  await put('/docs/a.txt', 'second');
  assert.equal(await cmdRm(client, io(), ['/docs/a.txt'], { trashRetentionMs: RETENTION_MS, nowMs: () => t }), 0, stderr);
  assert.equal(await content(`/.trash/${t}/docs/a.txt.1`), 'second');
});

test('Trash: rm -r moves a directory; rm of a directory without -r fails; -f ignores missing paths', async () => {
  await client.mkdir('/tree/sub', { parents: true });
  await put('/tree/sub/x', 'x');
  const t = Date.now() + 1;
  stderr = '';
  assert.equal(await cmdRm(client, io(), ['/tree'], { trashRetentionMs: RETENTION_MS, nowMs: () => t }), 1);
  assert.match(stderr, /Is a directory/);
  assert.equal(await cmdRm(client, io(), ['/tree'], { recursive: true, trashRetentionMs: RETENTION_MS, nowMs: () => t }), 0, stderr);
  assert.equal(await exists('/tree'), false);
  assert.equal(await content(`/.trash/${t}/tree/sub/x`), 'x');
  assert.equal(await cmdRm(client, io(), ['/missing'], { force: true, trashRetentionMs: RETENTION_MS }), 0);
  stderr = '';
  assert.equal(await cmdRm(client, io(), ['/missing'], { trashRetentionMs: RETENTION_MS }), 1);
  assert.match(stderr, /No such file or directory/);
});

test('Trash: --skip-trash, retention 0 and paths inside /.trash delete at once', async () => {
  const before = (await client.list('/.trash')).entries.length;
  await put('/skip.txt', 's');
  assert.equal(await cmdRm(client, io(), ['/skip.txt'], { skipTrash: true, trashRetentionMs: RETENTION_MS }), 0, stderr);
  await put('/zero.txt', 'z');
  assert.equal(await cmdRm(client, io(), ['/zero.txt'], { trashRetentionMs: 0 }), 0, stderr);
  assert.equal(await exists('/skip.txt'), false);
  assert.equal(await exists('/zero.txt'), false);
  assert.equal((await client.list('/.trash')).entries.length, before, 'no new trash bucket');
  await put('/gone.txt', 'g');
  const t = Date.now() + 2;
  assert.equal(await cmdRm(client, io(), ['/gone.txt'], { trashRetentionMs: RETENTION_MS, nowMs: () => t }), 0, stderr);
  assert.equal(await cmdRm(client, io(), [`/.trash/${t}/gone.txt`], { trashRetentionMs: RETENTION_MS }), 0, stderr);
  assert.equal(await exists(`/.trash/${t}/gone.txt`), false);
  assert.equal(await exists(`/.trash/${t}`), true, 'only the named path went');
});

test('Trash: the master empties buckets older than the retention and keeps newer ones', async () => {
  await put('/old.txt', 'old');
  await put('/new.txt', 'new');
  const old = Date.now() - RETENTION_MS - 1_000;
  const fresh = Date.now() + 3;
  assert.equal(await cmdRm(client, io(), ['/old.txt'], { trashRetentionMs: RETENTION_MS, nowMs: () => old }), 0, stderr);
  assert.equal(await cmdRm(client, io(), ['/new.txt'], { trashRetentionMs: RETENTION_MS, nowMs: () => fresh }), 0, stderr);
  await cluster.master.maintain();
  assert.equal(await exists(`/.trash/${old}`), false, 'expired bucket deleted');
  assert.equal(await content(`/.trash/${fresh}/new.txt`), 'new');
});
