/**
 * The mount's open-file table without FUSE, over the in-memory fake client: which opens share a
 * kernel node with another file (direct_io), and how attributes asked from the master
 * revalidate what the mount cached of an open file changed elsewhere.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OpenFiles } from '../src/mount/open-files';
import { loadConfig } from '../src/common/config';
import { logger } from '../src/common/logger';
import type { Attr } from '../src/client/types';
import { FakeClient } from './helpers/fake-client';

function openFiles(client: FakeClient): OpenFiles {
  return new OpenFiles(client, loadConfig().mount, logger('test'));
}

const RW = { append: false, writable: true };

test('OpenFiles: an open at a path where a handle of another inode is open shares its kernel node; renames through the mount move the handles', async () => {
  const client = new FakeClient();
  const files = openFiles(client);
  await client.mkdir('/d');
  const f = await client.create('/d/f');
  const g = await client.create('/d/g');
  const ino = Number(f.ino);
  const other = Number(g.ino);
  assert.equal(files.otherInodeAt('/d/f', other), false, 'nothing open');
  const h = files.open('/d/f', f, RW);
  const table: Array<[string, number, boolean]> = [
    ['/d/f', ino, false],   // the same file again: one page cache is right
    ['/d/f', other, true],  // another file at the name: the name was replaced elsewhere
    ['/d/g', other, false],
    ['/d/ff', other, false],
  ];
  for (const [path, i, want] of table) assert.equal(files.otherInodeAt(path, i), want, `${path} ino ${i}`);
  files.renamed('/dd', '/x'); // a folder whose name starts like /d: not a parent
  assert.equal(files.otherInodeAt('/d/f', other), true);
  files.renamed('/d', '/e'); // the folder moved: the node of the open file is /e/f now
  assert.equal(files.otherInodeAt('/d/f', other), false);
  assert.equal(files.otherInodeAt('/e/f', other), true);
  files.renamed('/e/f', '/e/.fuse_hidden0000000200000001'); // libfuse hid it: the name is free
  assert.equal(files.otherInodeAt('/e/f', other), false);
  files.renamed('/e/.fuse_hidden0000000200000001', '/e/f'); // back again: the index follows
  assert.equal(files.otherInodeAt('/e/f', other), true);
  await files.close(h.fd);
  assert.equal(files.otherInodeAt('/e/f', other), false, 'closed');
});

/** `attr` with another size and mtime, as another mount's change would leave it. */
function changedElsewhere(attr: Attr, size: number): Attr {
  return { ...attr, size, mtime: { sec: Number(attr.mtime?.sec ?? 0) + 5, nsec: 0 } };
}

test('OpenFiles: attributes showing a change elsewhere drop the open file\'s cached bytes and adopt its size, unless they may predate a change of this mount', async () => {
  const client = new FakeClient();
  const files = openFiles(client);
  const attr = await client.create('/f');
  const ino = Number(attr.ino);
  const h = files.open('/f', attr, RW);
  const cached = (): boolean => files.cache.lookup(ino, 0, 1) !== null;
  const cache = (): void => files.cache.insert(ino, files.cache.generation(ino), 0, [Buffer.from('abc')], true);

  cache();
  assert.equal(files.revalidate(attr, files.changeMark()), false, 'the same attributes: nothing changed');
  assert.ok(cached());
  assert.equal(files.revalidate(changedElsewhere(attr, 3000), files.changeMark()), true);
  assert.equal(cached(), false, 'the read-ahead windows are gone');
  assert.equal(h.file.sizeBytes, 3000, 'the size is adopted (O_APPEND appends after it)');

  const mark = files.changeMark();
  await files.write(h, 0, Buffer.from('local'));
  cache();
  assert.equal(files.revalidate(changedElsewhere(attr, 10), files.changeMark()), false, 'unflushed writes: the master is behind');
  await files.drainHandle(h);
  cache();
  assert.equal(files.revalidate(changedElsewhere(attr, 10), mark), false, 'asked before the write: may predate its commit');
  assert.ok(cached());
  assert.equal(h.file.sizeBytes, 5, 'the size of the commit, not of the attributes asked before it');
  const now = await client.statIno(ino);
  assert.equal(files.revalidate(now, files.changeMark()), false, 'the commit of this mount is no change elsewhere');
  assert.ok(cached());

  await files.close(h.fd);
  assert.equal(files.revalidate(changedElsewhere(attr, 1), files.changeMark()), false, 'not open here');
});

test('OpenFiles: dirty bytes of a file kept open are written back once mount.writeBackMs old, not only when the buffer fills or at close', async () => {
  const client = new FakeClient();
  const files = new OpenFiles(client, { ...loadConfig().mount, writeBackMs: 100 }, logger('test'));
  try {
    const attr = await client.create('/log');
    const ino = Number(attr.ino);
    const h = files.open('/log', attr, { append: true, writable: true });
    await files.write(h, 0, Buffer.from('line 1\n'));
    assert.equal(Number((await client.statIno(ino)).size), 0, 'buffered at first');
    const deadline = Date.now() + 5_000;
    while (Number((await client.statIno(ino)).size) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(Number((await client.statIno(ino)).size), 7, 'written back while the file is open');
    // only what is old enough goes: a write just made waits for its own turn
    await files.write(h, 0, Buffer.from('line 2\n'));
    files.writeBack(Date.now() - 60_000);
    assert.equal(h.file.flushInFlight, false);
    assert.equal(h.file.bufferedBytes, 7);
    await files.close(h.fd);
    assert.equal(Number((await client.statIno(ino)).size), 14);
  } finally {
    files.stop();
  }
});
