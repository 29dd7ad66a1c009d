/**
 * st_blocks: the master's bytes held in chunks (master/attr.ts storedBytesOf) and the mount's
 * blocks from them (mount/fuse-stat.ts blocksOf). Tables, no cluster.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { storedBytesOf } from '../src/master/attr';
import { blocksOf } from '../src/mount/fuse-stat';
import type { InodeRec } from '../src/master/meta-store';
import type { Attr } from '../src/client/types';

const C = 1000;
const file = (size: number, chunks: number[]): InodeRec => ({
  type: 'REGULAR', mode: 0o644, uid: 0, gid: 0, size, nlink: 1, atime: [0, 0], mtime: [0, 0], ctime: [0, 0],
  chunkSize: C, replication: 1, chunks,
});

const STORED: Array<[string, InodeRec, number]> = [
  ['empty', file(0, []), 0],
  ['truncated up, no chunk', file(10 * C, []), 0],
  ['every slot held, the last cut by the size', file(2 * C + 5, [1, 2, 3]), 2 * C + 5],
  ['holes count nothing', file(4 * C, [0, 7, 0, 9]), 2 * C],
  ['a held last slot is cut at the size', file(5 * C + 1, [0, 0, 0, 0, 0, 4]), 1],
  ['a hole as the last slot', file(3 * C - 1, [5, 6, 0]), 2 * C],
  ['grown past its chunks by a truncate', file(100 * C, [1]), C],
  ['a slot allocated past the size (a write not committed yet) counts nothing', file(C, [1, 2]), C],
  ['a directory', { ...file(0, []), type: 'DIRECTORY', size: 4096 }, 0],
];

for (const [name, rec, want] of STORED) {
  test(`stored bytes: ${name}`, () => assert.equal(storedBytesOf(rec, C), want));
}

const attr = (over: Partial<Attr>): Attr => ({
  ino: 2, type: 'REGULAR', mode: 0o644, uid: 0, gid: 0, size: 0, nlink: 1, atime: null, mtime: null, ctime: null,
  chunkSize: C, replication: 1, symlinkTarget: '', rdev: 0, sha256: Buffer.alloc(0), chunkCount: 0, ...over,
});

const BLOCKS: Array<[string, Attr, number, number]> = [
  ['a sparse file: none', attr({ size: 1 << 30, storedBytes: 0 }), 1 << 30, 0],
  ['a written file: its size', attr({ size: 1025, storedBytes: 1025 }), 1025, 3],
  ['unflushed growth past the master size counts', attr({ size: 1000, storedBytes: 0 }), 5096, 8],
  ['never more than the size', attr({ size: 100, storedBytes: 100 }), 100, 1],
  ['a master that does not say: the size', attr({ size: 4096 }), 4096, 8],
  ['a directory: its size', attr({ type: 'DIRECTORY', size: 4096, storedBytes: 0 }), 4096, 8],
];

for (const [name, a, size, want] of BLOCKS) {
  test(`st_blocks: ${name}`, () => assert.equal(blocksOf(a, size), want));
}
