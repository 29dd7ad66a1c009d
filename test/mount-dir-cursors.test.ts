/**
 * readdir in pages (src/mount/dir-cursors.ts) over the in-memory FakeClient, driven as the kernel
 * drives it: each request starts at the offset of the last entry kept and takes what fits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DirCursors } from '../src/mount/dir-cursors';
import { LIST_PAGE_ENTRIES } from '../src/client/dfs-client';
import { attrToStat } from '../src/mount/fuse-stat';
import { FakeClient } from './helpers/fake-client';

const ENTRIES = 2_500;

/** A client whose List pages are recorded, to check what one listing holds at a time. */
async function setup(): Promise<{ fake: FakeClient; cursors: DirCursors; names: string[]; pages: number[] }> {
  const fake = new FakeClient();
  await fake.mkdir('/d');
  const names: string[] = [];
  for (let i = 0; i < ENTRIES; i++) {
    const name = `f${String(i).padStart(5, '0')}${'x'.repeat(i % 40)}`;
    names.push(name);
    await fake.create(`/d/${name}`);
    await fake.release(Number((await fake.stat(`/d/${name}`)).ino));
  }
  names.sort();
  const pages: number[] = [];
  const list = fake.list.bind(fake);
  fake.list = async (path, opts) => {
    const reply = await list(path, opts);
    pages.push(reply.entries.length);
    return reply;
  };
  return { fake, cursors: new DirCursors(fake, (a) => attrToStat(a)), names, pages };
}

/** Reads the whole directory as the kernel does, keeping at most `take` entries per request. */
async function readAll(cursors: DirCursors, fh: number, take: number, from = 0): Promise<string[]> {
  const out: string[] = [];
  let offset = from;
  for (;;) {
    const page = await cursors.read('/d', offset, fh);
    assert.equal(page.base, offset);
    assert.equal(page.stats.length, page.names.length, 'every entry has its stat');
    if (page.names.length === 0) return out;
    const kept = page.names.slice(0, take);
    out.push(...kept);
    offset = page.base + kept.length;
  }
}

test('a listing goes through the master one page at a time, every entry once and in order', async () => {
  const { cursors, names, pages } = await setup();
  const fh = cursors.openHandle();
  assert.deepEqual(await readAll(cursors, fh, 97), ['.', '..', ...names]);
  assert.deepEqual(pages, [1000, 1000, 500], 'three List calls of at most LIST_PAGE_ENTRIES');
  assert.ok(pages.every((n) => n <= LIST_PAGE_ENTRIES));
  cursors.release(fh);
  assert.equal(cursors.size, 0);
});

test('. and .. carry their inode numbers', async () => {
  const { fake, cursors } = await setup();
  const page = await cursors.read('/d', 0, cursors.openHandle());
  assert.deepEqual(page.names.slice(0, 2), ['.', '..']);
  assert.equal(page.stats[0].ino, Number((await fake.stat('/d')).ino));
  assert.equal(page.stats[1].ino, Number((await fake.stat('/')).ino));
});

test('an offset before the cursor (seekdir back, rewinddir) lists again from the start', async () => {
  const { cursors, names, pages } = await setup();
  const fh = cursors.openHandle();
  const all = ['.', '..', ...names];
  await readAll(cursors, fh, 200);
  pages.length = 0;
  // seekdir to a position in the first master page, after the cursor moved past it
  const again = await cursors.read('/d', 1_500, fh);
  assert.deepEqual(again.names.slice(0, 3), all.slice(1_500, 1_503));
  assert.deepEqual(await readAll(cursors, fh, 50, 0), all, 'rewinddir: the whole listing again');
  assert.ok(pages.length >= 2);
});

test('two handles on one directory keep their own positions; a handle of 0 reads without one', async () => {
  const { cursors, names } = await setup();
  const a = cursors.openHandle();
  const b = cursors.openHandle();
  assert.notEqual(a, b);
  const first = await cursors.read('/d', 1_200, a);
  const second = await cursors.read('/d', 10, b);
  assert.equal(first.names[0], names[1_198]);
  assert.equal(second.names[0], names[8]);
  assert.equal((await cursors.read('/d', 1_201, a)).names[0], names[1_199]);
  assert.deepEqual((await readAll(cursors, 0, 300)).length, ENTRIES + 2);
});

test('an offset past the end gives no entries', async () => {
  const { cursors } = await setup();
  const page = await cursors.read('/d', ENTRIES + 2, cursors.openHandle());
  assert.deepEqual(page.names, []);
});

test('a directory that does not exist fails with the client\'s error', async () => {
  const { cursors } = await setup();
  await assert.rejects(cursors.read('/nope', 0, cursors.openHandle()), /ENOENT|no such/i);
});
