/**
 * The mount's open-file table without FUSE, over the in-memory fake client: which opens share a
 * kernel node with another file (direct_io).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OpenFiles } from '../src/mount/open-files';
import { loadConfig } from '../src/common/config';
import { logger } from '../src/common/logger';
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
