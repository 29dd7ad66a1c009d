// Chunk store and meta format: checksums per 64 KiB block, partial writes, set_length,
// corruption detection, versions, invalid handles, crash leftovers.
process.env.DFS_LOG_LEVEL ??= 'silent';
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, readFile, writeFile, readdir, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { FileChunkStore, type BadReplica } from '../src/chunkserver/chunk-store';
import { BLOCK_BYTES, decodeMeta, encodeMeta, extendWithZeros, checkHandle } from '../src/chunkserver/chunk-meta';
import { crc32c } from '../src/common/crc32c';
import { isDfsError } from '../src/common/errors';
import { readAll, writeAt } from './helpers/chunk-store-io';
import { checkRanges, RangesWriter } from '../src/chunkserver/ranges-writer';
import { INLINE_IO_BYTES_MAX, InlineFile, writeNewFile } from '../src/chunkserver/chunk-file-io';
import { blamesReplica, diskError } from '../src/chunkserver/disk-errors';
import { Scrubber } from '../src/chunkserver/scrubber';
import { logger } from '../src/common/logger';
import { sleep } from '../src/common/clock';
import { existsSync } from 'node:fs';


function code(e: unknown): string {
  return (e as { code?: string }).code ?? String(e);
}

describe('chunk meta (pure)', () => {
  test('encode/decode round trip and damage detection', () => {
    const meta = { version: 7, lengthBytes: BLOCK_BYTES * 2 + 5, crcs: [1, 2, 3] };
    const buf = encodeMeta(meta);
    assert.deepEqual(decodeMeta(buf), meta);
    const damaged = Buffer.from(buf);
    damaged[10] ^= 1;
    assert.throws(() => decodeMeta(damaged), (e) => isDfsError(e, 'CHECKSUM_MISMATCH'));
    assert.throws(() => decodeMeta(buf.subarray(0, buf.length - 1)), (e) => isDfsError(e, 'CHECKSUM_MISMATCH'));
    assert.throws(() => encodeMeta({ version: 1, lengthBytes: 10, crcs: [] }));
  });

  test('extendWithZeros matches the CRCs of real zero bytes', () => {
    const prefix = randomBytes(BLOCK_BYTES + 1000);
    const crcs = [crc32c(prefix.subarray(0, BLOCK_BYTES)), crc32c(prefix.subarray(BLOCK_BYTES))];
    extendWithZeros(crcs, prefix.length, 4 * BLOCK_BYTES + 17);
    const whole = Buffer.concat([prefix, Buffer.alloc(4 * BLOCK_BYTES + 17 - prefix.length)]);
    const expected = [];
    for (let i = 0; i < whole.length; i += BLOCK_BYTES) expected.push(crc32c(whole.subarray(i, i + BLOCK_BYTES)));
    assert.deepEqual(crcs, expected);
  });

  test('handles that are not positive safe integers are EINVAL', () => {
    for (const h of [0, -1, 1.5, 2 ** 60, NaN, Infinity, '5' as unknown as number]) {
      assert.throws(() => checkHandle(h), (e) => isDfsError(e, 'EINVAL'), `handle ${String(h)}`);
    }
    assert.equal(checkHandle(2 ** 53 - 1), 2 ** 53 - 1);
  });
});

describe('file chunk store', () => {
  let dir: string;
  let store: FileChunkStore;
  const bad: BadReplica[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dfs-cs-store-'));
    store = new FileChunkStore({ dataDir: dir, onBad: (b) => bad.push(b) });
    await store.load();
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('layout: chunks/<handle % 256 hex>/<handle>.chunk', () => {
    assert.equal(store.chunkPath(258), join(dir, 'chunks', '02', '258.chunk'));
    assert.equal(store.chunkPath(255), join(dir, 'chunks', 'ff', '255.chunk'));
  });

  test('invalid handles are EINVAL on every entry point', async () => {
    for (const h of [0, -1, 1.5, 2 ** 60]) {
      assert.throws(() => store.chunkPath(h), (e) => isDfsError(e, 'EINVAL'));
      await assert.rejects(store.create(h, 1), (e) => isDfsError(e, 'EINVAL'));
      await assert.rejects(readAll(store, h, 1), (e) => isDfsError(e, 'EINVAL'));
      await assert.rejects(store.openWriter(h, 1, 0, 1), (e) => isDfsError(e, 'EINVAL'));
      await assert.rejects(store.remove(h, 0), (e) => isDfsError(e, 'EINVAL'));
    }
  });

  test('write then read back, several blocks, pieces not aligned to blocks', async () => {
    await store.create(1, 1);
    const data = randomBytes(3 * BLOCK_BYTES + 12345);
    assert.equal(await writeAt(store, 1, 1, 0, data, { pieceBytes: 77_777 }), data.length);
    assert.deepEqual(await readAll(store, 1, 1), data);
    assert.deepEqual(await readAll(store, 1, 1, 1000, 2 * BLOCK_BYTES, 4096), data.subarray(1000, 1000 + 2 * BLOCK_BYTES));
    assert.deepEqual(await readAll(store, 1, 1, data.length - 10, 1000), data.subarray(data.length - 10));
    assert.equal((await readAll(store, 1, 1, data.length + 10, 1000)).length, 0);
    const meta = decodeMeta(await readFile(join(dirname(store.chunkPath(1)), '1.meta')));
    assert.equal(meta.lengthBytes, data.length);
    assert.equal(meta.crcs.length, 4);
    assert.equal(meta.crcs[3], crc32c(data.subarray(3 * BLOCK_BYTES)));
  });

  test('a commit without sync writes data and meta but fsyncs nothing; a synced commit after it fsyncs', async () => {
    await store.create(40, 1);
    const probe = await open(dir, 'r');
    const fhProto = Object.getPrototypeOf(probe) as { sync: () => Promise<void>; datasync: () => Promise<void> };
    await probe.close();
    const { sync, datasync } = fhProto;
    // small writes go through InlineFile, larger ones through node's FileHandle: count both
    const inlineProto = InlineFile.prototype as unknown as { sync: () => Promise<void>; datasync: () => Promise<void> };
    const inline = { sync: inlineProto.sync, datasync: inlineProto.datasync };
    let syncs = 0;
    fhProto.sync = function (this: unknown) { syncs++; return sync.call(this); };
    fhProto.datasync = function (this: unknown) { syncs++; return datasync.call(this); };
    inlineProto.sync = function (this: unknown) { syncs++; return inline.sync.call(this); };
    inlineProto.datasync = function (this: unknown) { syncs++; return inline.datasync.call(this); };
    try {
      const a = randomBytes(5000);
      const b = randomBytes(BLOCK_BYTES + 10);
      await writeAt(store, 40, 1, 0, a, { sync: false });
      await writeAt(store, 40, 1, 3 * BLOCK_BYTES, b, { sync: false });
      assert.equal(syncs, 0, 'no fsync for no_sync commits');
      assert.equal(store.unsyncedCount(), 1, 'the chunk is listed as not durable');
      const whole = Buffer.concat([a, Buffer.alloc(3 * BLOCK_BYTES - a.length), b]);
      assert.deepEqual(await readAll(store, 40, 1), whole);
      const meta = decodeMeta(await readFile(join(dirname(store.chunkPath(40)), '40.meta')));
      assert.equal(meta.lengthBytes, whole.length);
      await writeAt(store, 40, 1, 100, Buffer.from('synced'));
      assert.ok(syncs >= 2, `a synced commit fsyncs the data and the meta (${syncs})`);
      assert.equal(store.unsyncedCount(), 0, 'a synced write covers the earlier ones');
      whole.write('synced', 100);
      assert.deepEqual(await readAll(store, 40, 1), whole);
    } finally {
      fhProto.sync = sync;
      fhProto.datasync = datasync;
      inlineProto.sync = inline.sync;
      inlineProto.datasync = inline.datasync;
    }
  });

  test('small operations on the event loop and larger ones through the thread pool give the same bytes; a first meta needs no temp file', async () => {
    const small = randomBytes(5000);
    const large = randomBytes(INLINE_IO_BYTES_MAX + 1);
    const fs = require('node:fs') as { renameSync: (from: string, to: string) => void };
    const renameSync = fs.renameSync;
    let renames = 0;
    fs.renameSync = (from, to) => { renames++; renameSync(from, to); };
    for (const [h, data] of [[60, small], [61, large]] as const) {
      await store.create(h, 1);
      renames = 0;
      try {
        await writeAt(store, h, 1, 0, data, { sync: false });
      } finally {
        fs.renameSync = renameSync;
      }
      assert.equal(renames, 0, 'the first meta is written in place');
      assert.deepEqual(await readAll(store, h, 1), data);
      assert.deepEqual(await readAll(store, h, 1, 100, 4000, 4000), data.subarray(100, 4100), 'a small read');
      assert.deepEqual(await readAll(store, h, 1, 0, data.length, data.length), data, 'a read of the whole chunk in one piece');
      // overwrite in the middle (the meta is replaced through a temp file), then read again
      const patch = randomBytes(3000);
      fs.renameSync = (from, to) => { renames++; renameSync(from, to); };
      try {
        await writeAt(store, h, 1, 1000, patch, { sync: false });
      } finally {
        fs.renameSync = renameSync;
      }
      assert.equal(renames, 1, 'a meta that exists is replaced through a temp file and a rename');
      const want = Buffer.from(data);
      patch.copy(want, 1000);
      assert.deepEqual(await readAll(store, h, 1), want);
      assert.equal(decodeMeta(await readFile(join(dirname(store.chunkPath(h)), `${h}.meta`))).lengthBytes, data.length);
    }
    const left = (await readdir(dirname(store.chunkPath(60)))).filter((n) => n.includes('.tmp'));
    assert.deepEqual(left, [], 'no temp file is left behind');
    for (const h of [60, 61]) await store.remove(h, 0); // leaves the unsynced list as it was
  });

  test('syncChunks fsyncs data, meta and folder of listed unsynced chunks only; syncAll covers the rest; a removed chunk is nothing to sync', async () => {
    for (const h of [142, 143, 144]) {
      await store.create(h, 1);
      await writeAt(store, h, 1, 0, randomBytes(1000 + h), { sync: false });
    }
    assert.equal(store.unsyncedCount(), 3);
    const probe = await open(dir, 'r');
    const fhProto = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
    await probe.close();
    const { sync } = fhProto;
    let syncs = 0;
    fhProto.sync = function (this: unknown) { syncs++; return sync.call(this); };
    try {
      await store.syncChunks([142, 142, 999_999]);
      assert.equal(syncs, 3, 'chunk data, meta and their folder; an unknown handle costs nothing');
      assert.equal(store.unsyncedCount(), 2);
      await store.syncChunks([142]);
      assert.equal(syncs, 3, 'already durable: nothing to do');
      await store.remove(144, 0);
      assert.equal(store.unsyncedCount(), 1, 'a removed chunk leaves the list');
      await store.syncAll();
      assert.equal(store.unsyncedCount(), 0, 'one syncfs for the rest');
      assert.equal(syncs, 3, 'syncAll does not fsync chunk by chunk');
      await store.syncAll(); // nothing left: a no-op
    } finally {
      fhProto.sync = sync;
    }
    await assert.rejects(store.syncChunks([0]), (e) => isDfsError(e, 'EINVAL'));
  });

  test('several ranges in one write (RangesWriter): each lands in place, only the last commit fsyncs', async () => {
    await store.create(41, 1);
    const base = randomBytes(3 * BLOCK_BYTES);
    await writeAt(store, 41, 1, 0, base);
    const ranges = [{ offset: 10, length: 100 }, { offset: BLOCK_BYTES - 50, length: 200 }, { offset: 3 * BLOCK_BYTES + 7, length: 5000 }];
    const payload = randomBytes(ranges.reduce((n, r) => n + r.length, 0));
    const model = Buffer.concat([base, Buffer.alloc(3 * BLOCK_BYTES + 7 + 5000 - base.length)]);
    let at = 0;
    for (const r of ranges) { payload.copy(model, r.offset, at, at + r.length); at += r.length; }
    const probe = await open(dir, 'r');
    const fhProto = Object.getPrototypeOf(probe) as { sync: () => Promise<void>; datasync: () => Promise<void> };
    await probe.close();
    const { sync } = fhProto;
    const syncsAt: number[] = [];
    let written = 0;
    fhProto.sync = function (this: unknown) { syncsAt.push(written); return sync.call(this); };
    try {
      const w = await RangesWriter.open(store, 41, 1, ranges);
      for (let i = 0; i < payload.length; i += 33) { // pieces straddle the range boundaries
        await w.write(payload.subarray(i, i + 33));
        written = Math.min(payload.length, i + 33);
      }
      assert.equal(syncsAt.length, 0, 'no fsync before the last commit');
      assert.equal(await w.commit(), model.length);
      assert.ok(syncsAt.length >= 2, 'the last commit fsyncs data and meta');
    } finally {
      fhProto.sync = sync;
    }
    assert.deepEqual(await readAll(store, 41, 1), model);
  });

  test('several ranges through writers that cannot move (a wrapped store): one writer per range', async () => {
    await store.create(43, 1);
    const opened: number[] = [];
    const plain = {
      openWriter: async (h: number, v: number, o: number, l: number) => {
        opened.push(o);
        const w = await store.openWriter(h, v, o, l);
        return { handle: w.handle, write: (d: Buffer) => w.write(d), commit: (s?: number, y?: boolean) => w.commit(s, y), abort: () => w.abort() };
      },
    } as unknown as FileChunkStore;
    const ranges = [{ offset: 0, length: 3 }, { offset: 2 * BLOCK_BYTES, length: 4 }];
    const w = await RangesWriter.open(plain, 43, 1, ranges);
    await w.write(Buffer.from('abcdefg'));
    assert.equal(await w.commit(), 2 * BLOCK_BYTES + 4);
    assert.deepEqual(opened, [0, 2 * BLOCK_BYTES]);
    const back = await readAll(store, 43, 1);
    assert.equal(back.subarray(0, 3).toString(), 'abc');
    assert.equal(back.subarray(2 * BLOCK_BYTES).toString(), 'defg');
    assert.ok(back.subarray(3, 2 * BLOCK_BYTES).equals(Buffer.alloc(2 * BLOCK_BYTES - 3)));
  });

  test('ranges must be ascending, disjoint, non-empty and add up to the announced length', () => {
    assert.doesNotThrow(() => checkRanges([{ offset: 0, length: 5 }, { offset: 5, length: 1 }], 6));
    assert.throws(() => checkRanges([{ offset: 10, length: 5 }, { offset: 12, length: 1 }], 6), /overlaps/);
    assert.throws(() => checkRanges([{ offset: 10, length: 5 }, { offset: 0, length: 1 }], 6), /overlaps|precedes/);
    assert.throws(() => checkRanges([{ offset: 0, length: 0 }], 0), /empty range/);
    assert.throws(() => checkRanges([{ offset: 0, length: 5 }], 6), /announces/);
  });

  test('a RangesWriter that ends inside a range fails and keeps the replica consistent', async () => {
    await store.create(42, 1);
    const w = await RangesWriter.open(store, 42, 1, [{ offset: 0, length: 10 }, { offset: 100, length: 10 }]);
    await w.write(Buffer.alloc(15, 1));
    await assert.rejects(w.commit(), /ended inside range 2 of 2/);
    const back = await readAll(store, 42, 1);
    assert.deepEqual(back.subarray(0, 10), Buffer.alloc(10, 1), 'the completed first range is kept');
  });

  test('partial-block overwrite in the middle, append into a partial block, write past the end', async () => {
    await store.create(2, 1);
    let model: Buffer = randomBytes(2 * BLOCK_BYTES + 100);
    await writeAt(store, 2, 1, 0, model);
    const mid = randomBytes(BLOCK_BYTES); // starts and ends inside blocks
    await writeAt(store, 2, 1, 30_000, mid);
    mid.copy(model, 30_000);
    assert.deepEqual(await readAll(store, 2, 1), model);
    const tail = randomBytes(500); // append continuing the last partial block's CRC
    await writeAt(store, 2, 1, model.length, tail);
    model = Buffer.concat([model, tail]);
    assert.deepEqual(await readAll(store, 2, 1), model);
    const far = randomBytes(10); // a gap that reads as zeros
    await writeAt(store, 2, 1, 5 * BLOCK_BYTES + 3, far);
    model = Buffer.concat([model, Buffer.alloc(5 * BLOCK_BYTES + 3 - model.length), far]);
    assert.deepEqual(await readAll(store, 2, 1), model);
    assert.equal(store.get(2)!.lengthBytes, model.length);
  });

  test('set_length truncates (mid block) and extends with zeros', async () => {
    await store.create(3, 1);
    const data = randomBytes(3 * BLOCK_BYTES);
    await writeAt(store, 3, 1, 0, data);
    assert.equal(await writeAt(store, 3, 1, 0, Buffer.alloc(0), { setLength: BLOCK_BYTES + 7 }), BLOCK_BYTES + 7);
    assert.deepEqual(await readAll(store, 3, 1), data.subarray(0, BLOCK_BYTES + 7));
    assert.equal(await writeAt(store, 3, 1, 10, Buffer.from('abc'), { setLength: 2 * BLOCK_BYTES + 1 }), 2 * BLOCK_BYTES + 1);
    const expected = Buffer.concat([data.subarray(0, BLOCK_BYTES + 7), Buffer.alloc(BLOCK_BYTES - 6)]);
    expected.write('abc', 10);
    assert.deepEqual(await readAll(store, 3, 1), expected);
  });

  test('random writes and set_lengths agree with an in-memory model', async () => {
    await store.create(4, 1);
    let model = Buffer.alloc(0);
    for (let i = 0; i < 40; i++) {
      const offset = Math.floor(Math.random() * (model.length + 2 * BLOCK_BYTES));
      const data = randomBytes(Math.floor(Math.random() * 2 * BLOCK_BYTES) + 1);
      const setLength = Math.random() < 0.2 ? Math.floor(Math.random() * 4 * BLOCK_BYTES) : undefined;
      await writeAt(store, 4, 1, offset, data, { setLength, pieceBytes: 1 + Math.floor(Math.random() * 70_000) });
      const end = offset + data.length;
      if (end > model.length) model = Buffer.concat([model, Buffer.alloc(end - model.length)]);
      data.copy(model, offset);
      if (setLength !== undefined) {
        model = setLength <= model.length ? model.subarray(0, setLength) : Buffer.concat([model, Buffer.alloc(setLength - model.length)]);
      }
      assert.equal(store.get(4)!.lengthBytes, model.length, `step ${i}`);
    }
    assert.deepEqual(await readAll(store, 4, 1), model);
  });

  test('a corrupted byte fails the read with CHECKSUM_MISMATCH, marks the replica bad and reports it', async () => {
    await store.create(5, 1);
    const data = randomBytes(2 * BLOCK_BYTES);
    await writeAt(store, 5, 1, 0, data);
    const fh = await open(store.chunkPath(5), 'r+');
    await fh.write(Buffer.from([data[BLOCK_BYTES + 3] ^ 0xff]), 0, 1, BLOCK_BYTES + 3);
    await fh.close();
    // the first block is still fine on its own
    assert.deepEqual(await readAll(store, 5, 1, 0, 100), data.subarray(0, 100));
    await assert.rejects(readAll(store, 5, 1), (e) => isDfsError(e, 'CHECKSUM_MISMATCH'));
    assert.equal(store.get(5)!.bad, true);
    assert.deepEqual(bad.map((b) => b.handle), [5]);
    // not served again, even the good block; not offered in incremental reports
    await assert.rejects(readAll(store, 5, 1, 0, 100), (e) => isDfsError(e, 'CHECKSUM_MISMATCH'));
    const changes = store.takeChanges();
    assert.ok(!changes.changed.some((c) => c.handle === 5));
    assert.deepEqual(changes.bad.map((b) => b.handle), [5]);
    assert.deepEqual(store.badReplicas().map((b) => b.handle), [5]);
  });

  test('a partial write over a corrupted edge block fails instead of laundering it', async () => {
    await store.create(6, 1);
    await writeAt(store, 6, 1, 0, randomBytes(BLOCK_BYTES));
    const fh = await open(store.chunkPath(6), 'r+');
    await fh.write(Buffer.from([1, 2, 3]), 0, 3, 100);
    await fh.close();
    await assert.rejects(writeAt(store, 6, 1, 10, Buffer.from('x')), (e) => isDfsError(e, 'CHECKSUM_MISMATCH'));
    assert.equal(store.get(6)!.bad, true);
  });

  test('versions: create is idempotent at the same version, EEXIST otherwise; setVersion checks expected', async () => {
    await store.create(7, 3);
    assert.equal((await store.create(7, 3)).version, 3);
    await assert.rejects(store.create(7, 4), (e) => isDfsError(e, 'EEXIST'));
    await assert.rejects(store.setVersion(7, 2, 4), (e) => isDfsError(e, 'STALE_VERSION'));
    assert.equal((await store.setVersion(7, 3, 4)).version, 4);
    assert.equal((await store.setVersion(7, 3, 4)).version, 4, 'a retried grant is accepted');
    await assert.rejects(readAll(store, 7, 3), (e) => isDfsError(e, 'STALE_VERSION'));
    await assert.rejects(store.openWriter(7, 3, 0, 1), (e) => isDfsError(e, 'STALE_VERSION'));
    await assert.rejects(store.setVersion(99, 1, 2), (e) => isDfsError(e, 'CHUNK_NOT_FOUND'));
    await assert.rejects(readAll(store, 99, 1), (e) => isDfsError(e, 'CHUNK_NOT_FOUND'));
    const meta = decodeMeta(await readFile(join(dirname(store.chunkPath(7)), '7.meta')));
    assert.equal(meta.version, 4, 'the version is persisted');
  });

  test('writes to one chunk are serialized: a second writer waits for the first to commit', async () => {
    await store.create(8, 1);
    const first = await store.openWriter(8, 1, 0, 4);
    let secondOpened = false;
    const second = store.openWriter(8, 1, 0, 4).then((w) => { secondOpened = true; return w; });
    await first.write(Buffer.from('aaaa'));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(secondOpened, false);
    assert.equal(store.activeWrites(), 1);
    await first.commit();
    const w2 = await second;
    await w2.write(Buffer.from('bbbb'));
    await w2.commit();
    assert.equal((await readAll(store, 8, 1)).toString(), 'bbbb');
    assert.equal(store.activeWrites(), 0);
  });

  test('an aborted write leaves a replica whose checksums match its bytes', async () => {
    await store.create(9, 1);
    await writeAt(store, 9, 1, 0, randomBytes(BLOCK_BYTES + 10));
    const w = await store.openWriter(9, 1, 100, 3 * BLOCK_BYTES);
    await w.write(randomBytes(BLOCK_BYTES + 5000));
    await w.abort();
    assert.equal(store.get(9)!.bad, false);
    assert.equal(store.get(9)!.lengthBytes, 100 + BLOCK_BYTES + 5000);
    assert.equal((await readAll(store, 9, 1)).length, 100 + BLOCK_BYTES + 5000);
    await assert.rejects(w.write(Buffer.from('x')));
  });

  test('remove honours the version limit (0 = any)', async () => {
    await store.create(10, 5);
    assert.equal(await store.remove(10, 4), false);
    assert.ok(store.get(10));
    assert.equal(await store.remove(10, 5), true);
    assert.equal(store.get(10), undefined);
    assert.equal(await store.remove(10, 0), false);
    await store.create(11, 9);
    assert.equal(await store.remove(11, 0), true);
    assert.ok(store.takeChanges().removed.includes(11));
  });

  test('install copies a whole chunk through a temp file', async () => {
    const data = randomBytes(2 * BLOCK_BYTES + 3);
    async function* source() { yield data.subarray(0, 1000); yield data.subarray(1000); }
    const st = await store.install(12, 4, source());
    assert.deepEqual({ v: st.version, l: st.lengthBytes }, { v: 4, l: data.length });
    assert.deepEqual(await readAll(store, 12, 4), data);
    async function* failing() { yield data.subarray(0, 10); throw new Error('source died'); }
    await assert.rejects(store.install(13, 1, failing()));
    assert.equal(store.get(13), undefined);
    const leftovers = (await readdir(dirname(store.chunkPath(13)))).filter((n) => n.startsWith('13.'));
    assert.deepEqual(leftovers, []);
  });

  test('reload: inventory from disk, temp files and orphans cleaned, size mismatch marked bad', async () => {
    const shard = dirname(store.chunkPath(1));
    await writeFile(join(shard, '1.meta.tmp-dead'), 'junk');
    await writeFile(join(dirname(store.chunkPath(257)), '257.chunk'), 'orphan without meta');
    const fh = await open(store.chunkPath(2), 'r+');
    await fh.truncate(10);
    await fh.close();
    const again = new FileChunkStore({ dataDir: dir });
    await again.load();
    assert.equal(again.get(1)!.lengthBytes, store.get(1)!.lengthBytes);
    assert.equal(again.get(7)!.version, 4);
    assert.equal(again.get(257), undefined);
    assert.equal(again.get(2)!.bad, true);
    assert.ok(!(await readdir(shard)).some((n) => n.includes('.tmp-')));
    assert.ok(!(await readdir(dirname(store.chunkPath(257)))).includes('257.chunk'));
    assert.deepEqual(await readAll(again, 1, 1), await readAll(store, 1, 1));
    assert.equal(code(await readAll(again, 2, 1).catch((e) => e)), 'CHECKSUM_MISMATCH');
    assert.equal(again.unsyncedCount(), 0, 'the syncfs at load made everything durable');
  });

  test('reload when the syncfs at start fails: every chunk found counts as not durable', async () => {
    const bin = await mkdtemp(join(tmpdir(), 'dfs-fake-sync-'));
    await writeFile(join(bin, 'sync'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      const again = new FileChunkStore({ dataDir: dir });
      await again.load();
      assert.ok(again.count() > 0);
      assert.equal(again.unsyncedCount(), again.count());
    } finally {
      process.env.PATH = path;
      await rm(bin, { recursive: true, force: true });
    }
  });
});

describe('chunk files changed behind the store', () => {
  let dir: string;
  let store: FileChunkStore;
  const bad: BadReplica[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dfs-cs-lost-'));
    store = new FileChunkStore({ dataDir: dir, onBad: (b) => bad.push(b) });
    await store.load();
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('a meta write that fails (here its rename) leaves no temp file behind, synced or not', async () => {
    const data = randomBytes(1000);
    for (const [h, sync] of [[41, false], [42, true]] as const) {
      await store.create(h, 1);
      await writeAt(store, h, 1, 0, data);
      const w = await store.openWriter(h, 1, 0, data.length);
      await w.write(data);
      // the meta's name taken by a non-empty folder: the rename of the new meta fails
      await rm(store.metaPath(h));
      await mkdir(join(store.metaPath(h), 'x'), { recursive: true });
      await assert.rejects(w.commit(undefined, sync));
      const left = (await readdir(dirname(store.metaPath(h)))).filter((n) => n.startsWith(`${h}.`) && n.includes('.tmp-'));
      assert.deepEqual(left, [], `sync ${sync}`);
      await rm(store.metaPath(h), { recursive: true });
      await store.remove(h, 0);
    }
    bad.length = 0; // a failed meta write marks its replica bad: not the next test's
    store.takeChanges();
  });

  test('replica files a remove could not delete are deleted by removeLeftovers once it can, and forgotten when the chunk is back', async () => {
    const data = randomBytes(1000);
    for (const h of [51, 52]) {
      await store.create(h, 1);
      await writeAt(store, h, 1, 0, data);
      // its data file's name taken by a non-empty folder: rm refuses it (as a read-only disk does)
      await rm(store.chunkPath(h));
      await mkdir(join(store.chunkPath(h), 'x'), { recursive: true });
      assert.equal(await store.remove(h, 0), true);
      assert.equal(existsSync(store.chunkPath(h)), true, 'left on disk');
    }
    await store.removeLeftovers();
    assert.equal(existsSync(store.chunkPath(51)), true, 'still refused: kept for the next round');
    // the obstacle gone (the disk writable again): 51's files go; 52 came back as a replica meanwhile
    await rm(store.chunkPath(51), { recursive: true });
    await writeFile(store.chunkPath(51), 'old bytes');
    await rm(store.chunkPath(52), { recursive: true });
    await store.create(52, 1);
    await writeAt(store, 52, 1, 0, data);
    await store.removeLeftovers();
    assert.equal(existsSync(store.chunkPath(51)), false);
    assert.deepEqual(await readAll(store, 52, 1), data, 'the live replica is untouched');
    await store.remove(52, 0);
    bad.length = 0;
    store.takeChanges();
  });

  test('a replica whose data or meta file was deleted is reported bad on the next read or write, and can be removed', async () => {
    const data = randomBytes(BLOCK_BYTES + 10);
    for (const h of [11, 12, 13]) {
      await store.create(h, 1);
      await writeAt(store, h, 1, 0, data);
    }
    await rm(store.chunkPath(11));
    await rm(store.metaPath(12));
    await assert.rejects(readAll(store, 11, 1), (e) => isDfsError(e, 'CHUNK_NOT_FOUND') && /data file is missing/.test((e as Error).message));
    await assert.rejects(writeAt(store, 12, 1, 0, data), (e) => isDfsError(e, 'CHUNK_NOT_FOUND') && /meta file is missing/.test((e as Error).message));
    assert.deepEqual(bad.map((b) => b.handle), [11, 12]);
    assert.deepEqual(store.takeChanges().bad.map((b) => b.handle), [11, 12]);
    assert.deepEqual(await readAll(store, 13, 1), data, 'the other replicas are untouched');
    assert.equal(await store.remove(11, 0), true);
    assert.equal(store.get(11), undefined);
  });

  test('any failure of a replica\'s files marks it bad and is never a bare errno: a meta that does not decode, a folder for the data file, a shard folder that is a file', async () => {
    const data = randomBytes(BLOCK_BYTES + 10);
    for (const h of [21, 22, 23]) {
      await store.create(h, 1);
      await writeAt(store, h, 1, 0, data);
    }
    bad.length = 0;
    store.takeChanges();
    // what a black-box tester did: bytes of the meta overwritten (`dd seek=20 conv=notrunc`), `rm X.chunk; mkdir X.chunk`
    const fh = await open(store.metaPath(21), 'r+');
    await fh.write(Buffer.from('XXXX'), 0, 4, 20);
    await fh.close();
    for (const h of [22, 23]) {
      await rm(store.chunkPath(h));
      await mkdir(store.chunkPath(h));
    }
    await assert.rejects(readAll(store, 21, 1), (e) => isDfsError(e, 'CHECKSUM_MISMATCH'));
    await assert.rejects(readAll(store, 22, 1), (e) => isDfsError(e, 'DISK_ERROR') && /EISDIR/.test((e as Error).message));
    await assert.rejects(writeAt(store, 23, 1, 0, data), (e) => isDfsError(e, 'DISK_ERROR') && /EISDIR/.test((e as Error).message));
    // a new chunk whose shard folder is a file: the first write cannot make its data file
    const h = 0xcd;
    await writeFile(dirname(store.chunkPath(h)), 'not a folder');
    await store.create(h, 1);
    await assert.rejects(writeAt(store, h, 1, 0, data), (e) => isDfsError(e, 'DISK_ERROR') && /ENOTDIR|EEXIST/.test((e as Error).message));
    assert.deepEqual(bad.map((b) => b.handle), [21, 22, 23, h]);
    assert.deepEqual(store.takeChanges().bad.map((b) => b.handle), [21, 22, 23, h], 'reported to the master');
    for (const x of [21, 22, 23, h]) {
      assert.equal(store.get(x)!.bad, true);
      await assert.rejects(readAll(store, x, 1), (e) => isDfsError(e, 'CHECKSUM_MISMATCH'), 'a bad replica is never served');
    }
    // the master then deletes them: a folder that cannot be removed is left on disk, the replica goes all the same
    assert.equal(await store.remove(22, 0), true);
    assert.equal(store.get(22), undefined);
    await rm(dirname(store.chunkPath(h)));
  });

  test('the scrubber reports a replica whose meta does not decode or whose data file is a folder', async () => {
    const data = randomBytes(2 * BLOCK_BYTES);
    for (const h of [31, 32, 33]) {
      await store.create(h, 1);
      await writeAt(store, h, 1, 0, data);
    }
    bad.length = 0;
    const fh = await open(store.metaPath(31), 'r+');
    await fh.write(Buffer.from('XXXX'), 0, 4, 20);
    await fh.close();
    await rm(store.chunkPath(32));
    await mkdir(store.chunkPath(32));
    const scrubber = new Scrubber(store, 256 * 1024 * 1024, logger('scrubber-test'), 20);
    scrubber.start();
    try {
      for (let i = 0; i < 250 && bad.length < 2; i++) await sleep(20);
    } finally {
      await scrubber.stop();
    }
    assert.deepEqual(bad.map((b) => b.handle).sort(), [31, 32]);
    assert.match(bad.find((b) => b.handle === 31)!.reason, /meta checksum mismatch/);
    assert.match(bad.find((b) => b.handle === 32)!.reason, /EISDIR/);
    assert.deepEqual(await readAll(store, 33, 1), data, 'the good replica is untouched');
  });

  test('a data folder deleted behind the store is not made again by a write or a copy: DISK_ERROR', async () => {
    const gone = await mkdtemp(join(tmpdir(), 'dfs-cs-gone-'));
    const s = new FileChunkStore({ dataDir: gone });
    await s.load();
    await s.create(7, 1);
    await writeAt(s, 7, 1, 0, randomBytes(100)); // its shard folder made, and remembered
    await s.create(8, 1);
    await s.create(7 + 256, 1); // the same shard as 7
    await s.create(10, 1);
    await rm(gone, { recursive: true });
    await assert.rejects(writeAt(s, 8, 1, 0, randomBytes(100)), (e) => isDfsError(e, 'DISK_ERROR') && /ENOENT/.test((e as Error).message));
    await assert.rejects(writeAt(s, 7 + 256, 1, 0, randomBytes(100)), (e) => isDfsError(e, 'DISK_ERROR') && /ENOENT/.test((e as Error).message));
    await assert.rejects(s.install(9, 1, (async function* () { yield randomBytes(100); })()), (e) => isDfsError(e, 'DISK_ERROR'));
    await assert.rejects(s.setVersion(10, 1, 2), (e) => isDfsError(e, 'DISK_ERROR'));
    assert.equal(existsSync(gone), false, 'the data folder stays gone');
  });

  test('load skips what cannot be chunk files: a file named as a shard folder, a folder named as a chunk file', async () => {
    await writeFile(join(dir, 'chunks', 'ab'), 'not a folder');
    const shard = dirname(store.chunkPath(13));
    await mkdir(join(shard, '269.meta'));
    await writeFile(join(shard, '269.chunk'), 'orphan');
    const again = new FileChunkStore({ dataDir: dir });
    await again.load();
    assert.deepEqual(await readAll(again, 13, 1), await readAll(store, 13, 1));
    assert.equal(again.get(269), undefined);
    assert.ok((await readdir(shard)).includes('269.meta'), 'a folder is left alone');
  });
});

describe('disk errors (pure)', () => {
  const errno = (code: string, syscall = 'open'): NodeJS.ErrnoException => Object.assign(new Error(`${code}: x, ${syscall} '/d/chunks/01/1.chunk'`), { code, syscall });

  test('a chunkserver\'s file-system errors become DISK_ERROR (ENOSPC stays), other errors are left alone', () => {
    for (const c of ['ENOENT', 'EPERM', 'EACCES', 'EISDIR', 'ENOTDIR', 'EROFS', 'EIO']) {
      const e = diskError(errno(c), 'chunk 1');
      assert.ok(isDfsError(e, 'DISK_ERROR'), c);
      assert.match((e as Error).message, new RegExp(`^chunk 1: ${c}`));
    }
    assert.ok(isDfsError(diskError(errno('ENOSPC', 'write'), 'chunk 1'), 'ENOSPC'));
    assert.ok(isDfsError(diskError(errno('EDQUOT', 'write'), 'chunk 1'), 'ENOSPC'));
    const stale = new (class extends Error { code = 'STALE_VERSION'; })('x');
    assert.equal(diskError(stale, 'chunk 1'), stale, 'not a system call error');
    const bug = new TypeError('x');
    assert.equal(diskError(bug, 'chunk 1'), bug);
  });

  test('which failures condemn a replica: its files\' errors, not the process\'s', () => {
    for (const c of ['ENOENT', 'EPERM', 'EISDIR', 'EIO']) assert.equal(blamesReplica(errno(c)), true, c);
    for (const c of ['EMFILE', 'ENFILE', 'ENOMEM', 'EAGAIN', 'ENOSPC']) assert.equal(blamesReplica(errno(c)), false, c);
    assert.equal(blamesReplica(diskError(errno('EMFILE'), 'chunk 1')), false);
    assert.equal(blamesReplica(diskError(errno('EIO'), 'chunk 1')), true);
  });
});

describe('chunk file I/O on the event loop', () => {
  let dir: string;
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'dfs-cs-inline-')); });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  test('InlineFile writes, reads, truncates and fsyncs; every call after close is EBADF', async () => {
    const f = InlineFile.open(join(dir, 'a'), 'w+');
    const data = randomBytes(10_000);
    assert.equal((await f.writev([data.subarray(0, 4000), data.subarray(4000)], 0)).bytesWritten, data.length);
    assert.equal((await f.write(Buffer.from('xyz'), 0, 3, 20_000)).bytesWritten, 3);
    await f.truncate(10_000);
    const back = Buffer.alloc(12_000);
    assert.equal((await f.read(back, 0, back.length, 0)).bytesRead, 10_000);
    assert.deepEqual(back.subarray(0, 10_000), data);
    await f.sync();
    await f.datasync();
    await f.close();
    for (const call of [() => f.read(back, 0, 1, 0), () => f.truncate(0), () => f.sync(), () => f.close()]) {
      await assert.rejects(call(), (e) => code(e) === 'EBADF');
    }
    assert.throws(() => InlineFile.open(join(dir, 'missing', 'b'), 'r'), (e) => code(e) === 'ENOENT');
  });

  test('writeNewFile creates a file with its bytes, and leaves an existing one alone', async () => {
    const path = join(dir, 'meta');
    assert.equal(writeNewFile(path, Buffer.from('first')), true);
    assert.equal(writeNewFile(path, Buffer.from('second')), false);
    assert.equal(await readFile(path, 'utf8'), 'first');
    assert.throws(() => writeNewFile(join(dir, 'missing', 'x'), Buffer.from('x')), (e) => code(e) === 'ENOENT');
  });
});
