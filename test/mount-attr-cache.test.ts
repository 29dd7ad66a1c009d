/**
 * The mount's attribute cache (src/mount/attr-cache.ts) over the in-memory FakeClient: stat is
 * answered from what List/Create/Stat returned within the TTL, and every mutation made through
 * the wrapper drops what it may have changed, so this mount never sees its own changes late.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../src/common/clock';
import { AttrCache, withAttrCache } from '../src/mount/attr-cache';
import type { Attr } from '../src/client/types';
import { FakeClient } from './helpers/fake-client';

const TTL_MS = 1000;

function statCalls(fake: FakeClient): number {
  return fake.calls.get('stat') ?? 0;
}

async function setup(): Promise<{ fake: FakeClient; client: ReturnType<typeof withAttrCache>; clock: ManualClock }> {
  const fake = new FakeClient();
  const clock = new ManualClock();
  const client = withAttrCache(fake, TTL_MS, clock);
  await fake.mkdir('/d');
  for (const n of ['a', 'b', 'c']) {
    await fake.create(`/d/${n}`);
    await fake.release(Number((await fake.stat(`/d/${n}`)).ino));
  }
  fake.calls.clear();
  return { fake, client, clock };
}

test('a listing fills the cache: stat of each entry costs no call until the TTL passes', async () => {
  const { fake, client, clock } = await setup();
  const names: string[] = [];
  for await (const e of client.listAll('/d')) names.push(e.name);
  assert.deepEqual(names, ['a', 'b', 'c']);
  for (const n of names) assert.equal(Number((await client.stat(`/d/${n}`)).size), 0);
  assert.equal(statCalls(fake), 0);
  clock.advance(TTL_MS);
  await client.stat('/d/a');
  assert.equal(statCalls(fake), 1, 'an expired entry is asked again');
});

test('a List page (readdir asks page by page) fills the cache too', async () => {
  const { fake, client } = await setup();
  const page = await client.list('/d', { limit: 2 });
  assert.deepEqual(page.entries.map((e) => e.name), ['a', 'b']);
  await client.stat('/d/a');
  await client.stat('/d/b');
  assert.equal(statCalls(fake), 0, 'both entries of the page were cached');
  await client.stat('/d/c');
  assert.equal(statCalls(fake), 1, 'an entry of a page not read yet is asked');
});

test('the TTL 0 wrapper is the client itself', () => {
  const fake = new FakeClient();
  assert.equal(withAttrCache(fake, 0), fake);
});

test('mutations through the wrapper are seen at once', async () => {
  const { fake, client } = await setup();
  await client.stat('/d/a');
  const before = statCalls(fake);

  await client.setAttr({ path: '/d/a', mode: 0o600 });
  assert.equal((await client.stat('/d/a')).mode & 0o777, 0o600);

  const ino = Number((await client.stat('/d/a')).ino);
  await client.writeRange(ino, 0, Buffer.from('hello'));
  await client.commitWrite(ino, 5);
  assert.equal(Number((await client.stat('/d/a')).size), 5, 'commitWrite drops the old size');

  await client.delete('/d/a');
  await assert.rejects(client.stat('/d/a'), { code: 'ENOENT' });

  await client.stat('/d/b');
  await client.rename('/d/b', '/d/z');
  await assert.rejects(client.stat('/d/b'), { code: 'ENOENT' });
  assert.ok((await client.stat('/d/z')).ino);
  assert.ok(statCalls(fake) > before);
});

test('a delete caches the folder as the delete left it: its next stat costs no call and shows the change', async () => {
  const { fake, client } = await setup();
  await fake.mkdir('/d/sub');
  await client.list('/d'); // caches /d and its entries
  const dirBefore = await client.stat('/d');
  const calls = statCalls(fake);
  const parent = await client.delete('/d/sub');
  assert.ok(parent, 'the delete returns the folder');
  const dirAfter = await client.stat('/d');
  assert.equal(statCalls(fake), calls, 'served from the delete\'s reply');
  assert.equal(dirAfter.nlink, dirBefore.nlink - 1, 'the rmdir shows in the cached folder');
  assert.deepEqual(dirAfter, await fake.stat('/d'), 'the same as the folder now is');
});

test('deleting a cached name keeps the other names cached (rm -r costs no Stat per entry)', async () => {
  const { fake, client } = await setup();
  await client.list('/d');
  const calls = statCalls(fake);
  await client.delete('/d/a');
  await client.stat('/d/b');
  await client.delete('/d/b');
  await client.stat('/d/c');
  assert.equal(statCalls(fake), calls, 'b and c still answered from the listing');
  await assert.rejects(client.stat('/d/a'), { code: 'ENOENT' });
});

test('a new name is never answered from a stale negative or parent entry', async () => {
  const { client } = await setup();
  const dirBefore = await client.stat('/d');
  await client.create('/d/new');
  const created = await client.stat('/d/new');
  assert.equal(created.type, 'REGULAR');
  const dirAfter = await client.stat('/d');
  assert.notEqual(dirAfter, dirBefore, 'the parent folder was dropped by the create');
});

test('a create keeps the folder as the create left it: its stat after each create costs no call', async () => {
  const { fake, client } = await setup();
  await client.stat('/d');
  for (const n of ['x', 'y', 'z']) {
    const before = statCalls(fake);
    const created = await client.create(`/d/${n}`);
    assert.equal('parent' in created, false, 'the file\'s attributes come without the folder\'s');
    const dir = await client.stat('/d');
    assert.equal(statCalls(fake), before, `no Stat of the folder after creating ${n}`);
    assert.deepEqual(dir, await fake.stat('/d'), 'what the cache holds is the folder as it is now');
    assert.equal((await client.stat(`/d/${n}`)).type, 'REGULAR');
  }
});

test('a listing in flight does not bring back a name this mount deleted meanwhile', async () => {
  const { fake, client } = await setup();
  await client.stat('/d/b');
  const list = fake.list.bind(fake);
  let open!: () => void;
  const gate = new Promise<void>((r) => { open = r; });
  fake.list = async (path, opts) => {
    const page = await list(path, opts); // the folder as it is now, with b
    await gate;
    return page;
  };
  const listing = client.list('/d');
  await client.delete('/d/b');
  open();
  assert.deepEqual((await listing).entries.map((e) => e.name), ['a', 'b', 'c'], 'the reply predates the delete');
  await assert.rejects(client.stat('/d/b'), { code: 'ENOENT' }, 'the stale entry was not cached');
  const calls = statCalls(fake);
  await client.stat('/d/a');
  assert.equal(statCalls(fake), calls, 'the other names of the listing were cached');
});

test('a walk that outlasts the TTL: the first expired listed name refreshes the names after it with one List', async () => {
  const { fake, client, clock } = await setup();
  const names = Array.from({ length: 30 }, (_, i) => `n${String(i).padStart(2, '0')}`);
  for (const n of names) await fake.create(`/d/${n}`);
  await client.list('/d', { limit: 1000 });
  clock.advance(TTL_MS);
  fake.calls.clear();
  await client.stat('/d/n00'); // expired: asked, and the names after it listed again
  await new Promise((r) => setImmediate(r));
  assert.equal(fake.calls.get('list'), 1, 'one List for the rest of the walk');
  for (const n of names.slice(1)) await client.stat(`/d/${n}`);
  assert.equal(statCalls(fake), 1, 'only the first expired name cost a Stat');
  // a name cached by a Stat, not by a listing, starts no refresh when it expires
  await fake.create('/d/solo');
  await client.stat('/d/solo');
  clock.advance(TTL_MS);
  fake.calls.clear();
  await client.stat('/d/solo');
  await new Promise((r) => setImmediate(r));
  assert.equal(fake.calls.get('list') ?? 0, 0);
  assert.equal(statCalls(fake), 1);
});

test('hard links: a change through one name drops every cached name of the inode', async () => {
  const { client } = await setup();
  await client.stat('/d/a');
  await client.link('/d/a', '/d/a2');
  assert.equal(Number((await client.stat('/d/a')).nlink), 2);
  await client.stat('/d/a2');
  await client.delete('/d/a2');
  assert.equal(Number((await client.stat('/d/a')).nlink), 1);
});

test('AttrCache is bounded and keeps hard-link names in step', () => {
  const clock = new ManualClock();
  const cache = new AttrCache(TTL_MS, 3, clock);
  const attr = (ino: number, nlink = 1): Attr => ({ ino, nlink } as unknown as Attr);
  cache.put('/x', attr(7));
  cache.put('/y', attr(7, 2));
  assert.equal(Number(cache.get('/x')!.nlink), 2, 'the other name got the new attributes');
  cache.put('/p', attr(8));
  cache.put('/q', attr(9));
  assert.equal(cache.size, 3);
  assert.equal(cache.get('/x'), undefined, 'the oldest entry went first');
  cache.dropIno(7);
  assert.equal(cache.get('/y'), undefined);
});

test('deleting a name that is not cached drops everything (its other names may be cached)', async () => {
  const { fake, client } = await setup();
  await fake.link('/d/a', '/d/a2');
  assert.equal(Number((await client.stat('/d/a2')).nlink), 2);
  await fake.stat('/d/a'); // asked around the wrapper: '/d/a' is not in the cache
  await client.delete('/d/a');
  assert.equal(Number((await client.stat('/d/a2')).nlink), 1);
});
