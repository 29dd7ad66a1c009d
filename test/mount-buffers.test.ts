/**
 * The mount's pure buffers: dirty extents against a byte-array model, and the read cache's
 * bounds and invalidation. No FUSE.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DirtyExtents, overlayPieces } from '../src/mount/dirty-extents';
import { ReadCache } from '../src/mount/read-cache';
import { copyParts, joinParts, partsLength, sliceParts } from '../src/common/byte-parts';
import { attrToStat, statFsToFuse } from '../src/mount/fuse-stat';

function rng(seed: number): (n: number) => number {
  let s = seed;
  return (n) => (s = (s * 1103515245 + 12345) % 2147483648) % n;
}

test('DirtyExtents: random overlapping writes equal a byte-array model', () => {
  for (let seed = 1; seed <= 30; seed++) {
    const rnd = rng(seed);
    const size = 5000;
    const model = Buffer.alloc(size);
    const written = new Uint8Array(size);
    const d = new DirtyExtents();
    for (let i = 0; i < 60; i++) {
      const off = rnd(size - 1);
      const len = 1 + rnd(Math.min(400, size - off));
      const data = Buffer.alloc(len, (i % 250) + 1);
      d.add(off, data);
      data.copy(model, off);
      written.fill(1, off, off + len);
    }
    const got = Buffer.alloc(size);
    const covered = overlayPieces(d.overlapping(0, size), 0, got);
    assert.ok(covered <= size);
    for (let i = 0; i < size; i++) assert.equal(got[i], written[i] ? model[i] : 0, `seed ${seed} byte ${i}`);
    assert.equal(d.bytes, written.reduce((a, b) => a + b, 0), 'bytes counts overlaps once');
    let runBytes = 0;
    let prevEnd = -1;
    for (const run of d.runs()) {
      assert.ok(run.offset > prevEnd, 'runs are sorted and not adjacent');
      assert.ok(run.data.equals(model.subarray(run.offset, run.offset + run.data.length)));
      prevEnd = run.offset + run.data.length;
      runBytes += run.data.length;
    }
    assert.equal(runBytes, d.bytes);
  }
});

test('DirtyExtents: sequential writes stay O(1) pieces per write and join into one run', () => {
  const d = new DirtyExtents();
  for (let i = 0; i < 64; i++) d.add(i * 4096, Buffer.alloc(4096, i));
  assert.equal(d.bytes, 64 * 4096);
  assert.deepEqual(d.runs().map((r) => [r.offset, r.data.length]), [[0, 64 * 4096]]);
  assert.deepEqual(d.chunkSpan(128 * 1024), [0, 1]);
  d.truncate(5000);
  assert.equal(d.end, 5000);
  assert.equal(d.bytes, 5000);
  d.truncate(0);
  assert.ok(d.isEmpty);
});

test('DirtyExtents: a snapshot is not changed by later writes', () => {
  const d = new DirtyExtents();
  d.add(0, Buffer.from('aaaaaaaaaa'));
  const snap = d.overlapping(0, 10);
  d.add(3, Buffer.from('bbb'));
  const t = Buffer.alloc(10);
  overlayPieces(snap, 0, t);
  assert.equal(t.toString(), 'aaaaaaaaaa');
  overlayPieces(d.overlapping(0, 10), 0, t);
  assert.equal(t.toString(), 'aaabbbaaaa');
});

test('ReadCache: LRU eviction keeps the byte budget', () => {
  let cap = 300;
  const c = new ReadCache(() => cap);
  c.insert(1, 0, 0, [Buffer.alloc(100, 1)], false);
  c.insert(1, 0, 100, [Buffer.alloc(100, 2)], false);
  c.insert(2, 0, 0, [Buffer.alloc(100, 3)], true);
  assert.ok(c.lookup(1, 0, 50)); // touch: now most recent
  c.insert(3, 0, 0, [Buffer.alloc(100, 4)], false);
  assert.equal(c.bytes, 300);
  assert.equal(c.lookup(1, 100, 10), null, 'least recently used went first');
  assert.ok(c.lookup(1, 0, 100));
  cap = 0;
  c.trim();
  assert.equal(c.bytes, 0);
});

test('ReadCache: hits, end of file, and invalidation by generation', () => {
  const c = new ReadCache(() => 1 << 20);
  const g = c.generation(7);
  c.insert(7, g, 1000, [Buffer.alloc(500, 9)], true);
  assert.equal(c.lookup(7, 1100, 100)?.parts.reduce((n, p) => n + p.length, 0), 100);
  assert.equal(c.lookup(7, 1400, 300)?.parts.reduce((n, p) => n + p.length, 0), 100, 'short at the cached end of file');
  assert.equal(c.lookup(7, 1500, 100), null, 'at the cached end of file: the kernel asks there when the file grew');
  assert.equal(c.lookup(7, 1600, 100), null, 'past it');
  assert.equal(c.lookup(7, 900, 200), null, 'starts before the segment');
  c.dropIno(7);
  assert.equal(c.lookup(7, 1100, 10), null);
  c.insert(7, g, 1000, [Buffer.alloc(500)], false);
  assert.equal(c.bytes, 0, 'a fetch started before the invalidation is not cached');
});

test('ReadCache: a window held as several frames is sliced across them, without copies', () => {
  const c = new ReadCache(() => 1 << 20);
  const frames = [Buffer.from('0123456789'), Buffer.from('abcdefghij'), Buffer.from('KLMNO')];
  c.insert(3, c.generation(3), 100, frames, true);
  assert.equal(c.bytes, 25);
  const hit = c.lookup(3, 105, 12)!;
  assert.equal(Buffer.concat(hit.parts).toString(), '56789abcdefg');
  assert.equal(hit.parts[0].buffer, frames[0].buffer, 'views of the frames');
  assert.equal(Buffer.concat(c.lookup(3, 118, 100)!.parts).toString(), 'ijKLMNO', 'short at the end of file, across the last two frames');
  assert.deepEqual(c.lookup(3, 110, 10)!.parts.map((p) => p.toString()), ['abcdefghij'], 'a slice on frame edges is that frame');
});

test('byte parts: slice, copy into a smaller target, join', () => {
  const parts = [Buffer.from('abc'), Buffer.alloc(0), Buffer.from('defg'), Buffer.from('h')];
  assert.equal(partsLength(parts), 8);
  assert.equal(Buffer.concat(sliceParts(parts, 2, 7)).toString(), 'cdefg');
  assert.deepEqual(sliceParts(parts, 8, 20), []);
  assert.equal(Buffer.concat(sliceParts(parts, 0, 100)).toString(), 'abcdefgh');
  const t = Buffer.alloc(5, '.');
  assert.equal(copyParts(parts, t), 5);
  assert.equal(t.toString(), 'abcde');
  const u = Buffer.alloc(6, '.');
  assert.equal(copyParts([Buffer.from('xy')], u, 3), 2);
  assert.equal(u.toString(), '...xy.');
  assert.equal(joinParts([parts[0]]), parts[0], 'one part is returned as it is');
  assert.equal(joinParts(parts).toString(), 'abcdefgh');
});


test('fuse-stat: types, sizes and statfs fit libfuse', () => {
  const attr = {
    ino: 5, type: 'DIRECTORY', mode: 0o755, uid: 1, gid: 2, size: 0, nlink: 2,
    atime: { sec: 1, nsec: 5e8 }, mtime: { sec: 2, nsec: 0 }, ctime: null, chunkSize: 0, replication: 3,
    symlinkTarget: '', rdev: 0, sha256: Buffer.alloc(0), chunkCount: 0,
  } as const;
  const st = attrToStat(attr);
  assert.equal(st.mode, 0o040755);
  assert.equal(st.size, 4096);
  assert.deepEqual(st.atime, { sec: 1, nsec: 5e8 }, 'nanosecond times pass through');
  assert.deepEqual(st.ctime, { sec: 0, nsec: 0 }, 'no time is the epoch');
  assert.equal(attrToStat({ ...attr, type: 'REGULAR', size: 10 }, 20).size, 20);
  const fs = statFsToFuse({ capacityBytes: 2 ** 50, usedBytes: 0, freeBytes: 2 ** 49, files: 10, chunks: 0, liveServers: 3, safeMode: false });
  assert.ok(fs.blocks <= 0xffffffff);
  assert.equal(fs.blocks * fs.frsize, 2 ** 50);
  assert.equal(fs.bfree * fs.frsize, 2 ** 49);
  assert.equal(fs.namemax, 255);
});
