// Namespace operations against a real LMDB in a temp folder: POSIX errors, atomic rename,
// paging, truncation, orphans and uploads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ManualClock } from '../src/common/clock';
import { DfsError } from '../src/common/errors';
import { FILE_CHUNKS_MAX, fileBytesMax } from '../src/common/limits';
import { MetaStore } from '../src/master/meta-store';
import { Namespace, Effects } from '../src/master/namespace';

const CHUNK = 65536;
let dir: string;
let store: MetaStore;
let ns: Namespace;
const clock = new ManualClock();
const open = new Set<number>();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dfs-master-ns-'));
  store = new MetaStore(dir);
  ns = new Namespace({ store, clock, defaults: { chunkSizeBytes: CHUNK, replication: 3 }, isOpen: (ino) => open.has(ino) });
  await store.tx(() => ns.ensureRoot());
});

after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function tx<T>(fn: (fx: Effects) => T): Promise<T> {
  const fx = new Effects();
  return store.tx(() => fn(fx));
}
async function code(p: Promise<unknown>): Promise<string> {
  try { await p; } catch (e) { return (e as DfsError).code; }
  return 'OK';
}
const file = (path: string, extra: Partial<{ exclusive: boolean; truncate: boolean; token: number }> = {}) =>
  tx((fx) => ns.create(path, { mode: 0o644, uid: 1, gid: 2, chunkSize: 0, replication: 0, exclusive: false, truncate: false, ...extra }, fx));
const names = (path: string) => ns.list(path, '', 0).entries.map((e) => e.name);

test('namespace: root exists and is a directory', () => {
  const a = ns.stat('/');
  assert.equal(a.ino, 1);
  assert.equal(a.type, 'DIRECTORY');
  assert.equal(a.mode, 0o755);
});

test('namespace: mkdir, mkdir -p, errors', async () => {
  await tx(() => ns.mkdir('/a', 0o750, 0, 0, false));
  assert.equal(ns.stat('/a').mode, 0o750);
  assert.equal(await code(tx(() => ns.mkdir('/a', 0o755, 0, 0, false))), 'EEXIST');
  assert.equal(await code(tx(() => ns.mkdir('/a', 0o755, 0, 0, true))), 'OK', 'mkdir -p on an existing dir');
  assert.equal(await code(tx(() => ns.mkdir('/x/y', 0o755, 0, 0, false))), 'ENOENT');
  await tx(() => ns.mkdir('/a/b/c/d', 0o700, 0, 0, true));
  assert.equal(ns.stat('/a/b/c/d').type, 'DIRECTORY');
  assert.equal(ns.stat('/a').nlink, 3, '2 + one subdirectory');
  await file('/a/f');
  assert.equal(await code(tx(() => ns.mkdir('/a/f/g', 0o755, 0, 0, true))), 'ENOTDIR');
  assert.equal(await code(tx(() => ns.mkdir('/a/f', 0o755, 0, 0, true))), 'EEXIST');
  assert.equal(await code(tx(() => ns.mkdir('/' + 'n'.repeat(256), 0o755, 0, 0, false))), 'ENAMETOOLONG');
  assert.equal(await code(tx(() => ns.mkdir('relative', 0o755, 0, 0, false))), 'EINVAL');
  assert.throws(() => ns.stat('/a/f/x'), { code: 'ENOTDIR' });
});

test('namespace: create inherits chunk size and replication, exclusive and truncate', async () => {
  const a = await file('/c1');
  assert.equal(a.chunkSize, CHUNK);
  assert.equal(a.replication, 3);
  assert.equal(a.nlink, 1);
  assert.equal(await code(file('/c1', { exclusive: true })), 'EEXIST');
  assert.equal(await code(file('/a')), 'EISDIR');
  assert.equal(await code(file('/nodir/x')), 'ENOENT');
  await tx(() => ns.recordNewChunk(a.ino as number, 0, 900, 1));
  await tx(() => ns.commitWrite(a.ino as number, 1000, undefined));
  assert.equal(ns.stat('/c1').size, 1000);
  assert.equal(ns.stat('/c1').chunkCount, 1);
  const fx = new Effects();
  const t = await store.tx(() => ns.create('/c1', { mode: 0, uid: 0, gid: 0, chunkSize: 0, replication: 0, exclusive: false, truncate: true }, fx));
  assert.equal(t.size, 0);
  assert.equal(t.chunkCount, 0);
  assert.deepEqual(fx.freed, [900]);
  assert.equal(store.chunks.get(900), undefined);
  const custom = await tx((f) => ns.create('/c2', { mode: 0o600, uid: 0, gid: 0, chunkSize: 2 * CHUNK, replication: 2, exclusive: true, truncate: false }, f));
  assert.equal(custom.chunkSize, 2 * CHUNK);
  assert.equal(custom.replication, 2);
  assert.equal(custom.mode, 0o600);
  // the master refuses a layout no chunkserver could hold, whatever the client checked
  for (const bad of [{ chunkSize: 1000 }, { chunkSize: CHUNK + 1 }, { chunkSize: 8 * 1024 ** 3 }, { replication: 33 }, { replication: -1 }]) {
    const o = { mode: 0o600, uid: 0, gid: 0, chunkSize: 0, replication: 0, ...bad };
    await assert.rejects(tx((f) => ns.create('/c3', { ...o, exclusive: true, truncate: false }, f)), (e: unknown) => e instanceof DfsError && e.code === 'EINVAL', JSON.stringify(bad));
    await assert.rejects(tx(() => ns.beginUpload('/c3', { ...o, overwrite: false }, 0)), (e: unknown) => e instanceof DfsError && e.code === 'EINVAL', JSON.stringify(bad));
  }
});

test('namespace: a setgid directory gives its group to whatever is made in it, and S_ISGID to new directories (mkdir -p too)', async () => {
  await tx(() => ns.mkdir('/sg', 0o755, 0, 0, false));
  await tx((fx) => ns.setAttr(0, '/sg', { mode: 0o2775, gid: 50 }, fx));
  const f = await file('/sg/f');
  assert.deepEqual([f.uid, f.gid, f.mode], [1, 50, 0o644], 'a file: the parent\'s group, its own mode');
  const d = await tx(() => ns.mkdir('/sg/d', 0o750, 7, 8, false));
  assert.deepEqual([d.uid, d.gid, d.mode], [7, 50, 0o2750], 'a directory: the group and S_ISGID');
  const deep = await tx(() => ns.mkdir('/sg/p/q', 0o700, 7, 8, true));
  assert.deepEqual([deep.gid, deep.mode, ns.stat('/sg/p').gid, ns.stat('/sg/p').mode], [50, 0o2700, 50, 0o2755], 'down the tree');
  const s = await tx(() => ns.symlink('/sg/s', 'f', 7, 8));
  assert.equal(s.gid, 50);
  const n = await tx(() => ns.mknod('/sg/fifo', 'FIFO', 0o600, 0, 7, 8));
  assert.deepEqual([n.gid, n.mode], [50, 0o600]);
  const plain = await tx(() => ns.mkdir('/plain', 0o755, 7, 8, false));
  assert.deepEqual([plain.gid, plain.mode], [8, 0o755], 'no setgid parent: the caller\'s group');
});

test('namespace: list pages in name order with start_after; ENOTDIR on a file', async () => {
  await tx(() => ns.mkdir('/l', 0o755, 0, 0, false));
  const want = Array.from({ length: 25 }, (_, i) => `f${String(i).padStart(2, '0')}`);
  for (const n of [...want].reverse()) await file(`/l/${n}`);
  const seen: string[] = [];
  let after = '';
  for (;;) {
    const page = ns.list('/l', after, 10);
    seen.push(...page.entries.map((e) => e.name));
    assert.equal(page.dir.type, 'DIRECTORY');
    if (page.eof) break;
    assert.equal(page.entries.length, 10);
    after = page.entries[page.entries.length - 1].name;
  }
  assert.deepEqual(seen, want);
  assert.equal(ns.list('/l', 'f24', 10).entries.length, 0);
  assert.equal(ns.list('/l', 'f24', 10).eof, true);
  assert.equal(ns.list('/l', '', 25).eof, true, 'exactly limit entries left is still eof');
  assert.equal(ns.list('/l', 'f10', 1).entries[0].name, 'f11');
  assert.throws(() => ns.list('/l/f00', '', 0), { code: 'ENOTDIR' });
});

test('namespace: rename rules', async () => {
  await tx(() => ns.mkdir('/r/d1/sub', 0o755, 0, 0, true));
  await tx(() => ns.mkdir('/r/empty', 0o755, 0, 0, true));
  await tx(() => ns.mkdir('/r/full/x', 0o755, 0, 0, true));
  const f1 = await file('/r/f1');
  const f2 = await file('/r/f2');
  const r = (a: string, b: string, noReplace = false) => code(tx((fx) => ns.rename(a, b, noReplace, fx)));
  assert.equal(await r('/r/d1', '/r/d1/sub/in'), 'EINVAL', 'into its own subtree');
  assert.equal(await r('/r/f1', '/r/d1'), 'EISDIR');
  assert.equal(await r('/r/d1', '/r/f1'), 'ENOTDIR');
  assert.equal(await r('/r/d1', '/r/full'), 'ENOTEMPTY');
  assert.equal(await r('/r/nope', '/r/x'), 'ENOENT');
  assert.equal(await r('/r/f1', '/r/nodir/x'), 'ENOENT');
  assert.equal(await r('/r/f1', '/r/f2', true), 'EEXIST');
  assert.equal(await r('/', '/r/x'), 'EBUSY');
  assert.equal(await r('/r/f1', '/r/f1'), 'OK');
  assert.equal(ns.stat('/r/f1').ino, f1.ino, 'rename to itself is a no-op');
  assert.equal(await r('/r/f1', '/r/f2'), 'OK');
  assert.equal(ns.stat('/r/f2').ino, f1.ino, 'rename over a file replaces it');
  assert.equal(store.inodes.get(f2.ino as number), undefined, 'the replaced file is gone (not open)');
  assert.throws(() => ns.stat('/r/f1'), { code: 'ENOENT' });
  const rNlink = ns.stat('/r').nlink as number;
  assert.equal(await r('/r/d1', '/r/empty'), 'OK', 'dir over an empty dir');
  assert.equal(ns.stat('/r').nlink, rNlink - 1);
  assert.equal(ns.stat('/r/empty/sub').type, 'DIRECTORY');
  await tx(() => ns.mkdir('/r2', 0o755, 0, 0, false));
  assert.equal(await r('/r/empty', '/r2/moved'), 'OK');
  assert.equal(ns.stat('/r2').nlink, 3);
  assert.equal(ns.stat('/r').nlink, rNlink - 2);
  assert.equal(ns.stat('/r2/moved/sub').type, 'DIRECTORY');
  assert.deepEqual(names('/r'), ['f2', 'full']);
});

test('namespace: delete kinds, recursive, root', async () => {
  await tx(() => ns.mkdir('/del/a/b', 0o755, 0, 0, true));
  const f = await file('/del/a/b/f');
  await tx(() => ns.recordNewChunk(f.ino as number, 2, 950, 1));
  await file('/del/g');
  const d = (p: string, recursive: boolean, kind: 'ANY' | 'FILE_ONLY' | 'DIR_ONLY') => code(tx((fx) => ns.delete(p, recursive, kind, fx)));
  assert.equal(await d('/', true, 'ANY'), 'EBUSY');
  assert.equal(await d('/del/a', false, 'ANY'), 'ENOTEMPTY');
  assert.equal(await d('/del/a', true, 'DIR_ONLY'), 'ENOTEMPTY');
  assert.equal(await d('/del/a', false, 'FILE_ONLY'), 'EISDIR');
  assert.equal(await d('/del/g', false, 'DIR_ONLY'), 'ENOTDIR');
  assert.equal(await d('/del/none', false, 'ANY'), 'ENOENT');
  const inodesBefore = store.counter('inodeCount');
  const fx = new Effects();
  await store.tx(() => ns.delete('/del/a', true, 'ANY', fx));
  assert.deepEqual(fx.freed, [950]);
  assert.equal(store.counter('inodeCount'), inodesBefore - 3);
  assert.equal(await d('/del/g', false, 'FILE_ONLY'), 'OK');
  assert.deepEqual(names('/del'), []);
  assert.equal(ns.stat('/del').nlink, 2);
});

test('namespace: a failed transaction leaves nothing behind', async () => {
  const before = store.counter('inodeCount');
  await assert.rejects(store.tx(() => { ns.mkdir('/atomic', 0o755, 0, 0, false); throw new DfsError('EIO', 'boom'); }), { code: 'EIO' });
  assert.throws(() => ns.stat('/atomic'), { code: 'ENOENT' });
  assert.equal(store.counter('inodeCount'), before);
});

test('namespace: setattr changes mode/owner/times, truncation drops chunks past the end', async () => {
  const a = await file('/s');
  const ino = a.ino as number;
  for (let i = 0; i < 4; i++) await tx(() => ns.recordNewChunk(ino, i, 1000 + i, 1));
  await tx(() => ns.commitWrite(ino, 4 * CHUNK, undefined));
  const fx = new Effects();
  clock.advance(5000);
  const t = await store.tx(() => ns.setAttr(0, '/s', { size: CHUNK + 1, mode: 0o4711, uid: 7 }, fx));
  assert.deepEqual(fx.freed, [1002, 1003]);
  assert.equal(t.size, CHUNK + 1);
  assert.equal(t.chunkCount, 2);
  assert.equal(t.mode, 0o4711);
  assert.equal(t.uid, 7);
  assert.equal(t.gid, 2, 'unchanged');
  assert.ok((t.ctime!.sec as number) > (a.ctime!.sec as number));
  const m = await tx((f) => ns.setAttr(ino, '', { mtime: [42, 7], atime: [41, 0] }, f));
  assert.deepEqual(m.mtime, { sec: 42, nsec: 7 });
  assert.deepEqual(m.atime, { sec: 41, nsec: 0 });
  const grown = await tx((f) => ns.setAttr(ino, '', { size: 10 * CHUNK }, f));
  assert.equal(grown.chunkCount, 2, 'extending leaves holes');
  assert.equal(await code(tx((f) => ns.setAttr(0, '/a', { size: 0 }, f))), 'EISDIR');
});

test('namespace: growing a file frees the chunks wholly past its old end (bytes never committed), but those a writer holds a lease on', async () => {
  const a = await file('/grow');
  const ino = a.ino as number;
  for (let i = 0; i < 4; i++) await tx(() => ns.recordNewChunk(ino, i, 7700 + i, 1));
  await tx(() => ns.commitWrite(ino, CHUNK / 2, undefined)); // a writer died with chunks 1-3 written, size in chunk 0
  const fx = new Effects();
  const grown = await store.tx(() => ns.setAttr(ino, '', { size: 10 * CHUNK, inUse: (h) => h === 7702 }, fx));
  assert.deepEqual(fx.freed, [7701, 7703]);
  assert.equal(grown.size, 10 * CHUNK);
  assert.deepEqual(ns.inode(ino).chunks, [7700, 0, 7702], 'chunk 0 holds the end; 7702 is being written');
  const same = new Effects();
  await store.tx(() => ns.setAttr(ino, '', { size: 11 * CHUNK }, same));
  assert.deepEqual(same.freed, [], 'past the old end of 10 chunks: nothing');
});

test('namespace: a file holds at most FILE_CHUNKS_MAX chunks: a size or a chunk past that is EFBIG, nothing changes', async () => {
  const a = await file('/huge');
  const ino = a.ino as number;
  const max = fileBytesMax(CHUNK);
  assert.equal(await code(tx((f) => ns.setAttr(ino, '', { size: max + 1 }, f))), 'EFBIG');
  assert.equal(await code(tx((f) => ns.setAttr(ino, '', { size: 2 ** 63 }, f))), 'EFBIG');
  assert.equal(await code(tx(() => ns.commitWrite(ino, max + 1, undefined))), 'EFBIG');
  assert.equal(await code(tx(() => ns.recordNewChunk(ino, FILE_CHUNKS_MAX, 990, 1))), 'EFBIG');
  assert.equal(ns.stat('/huge').size, 0);
  assert.equal((await tx((f) => ns.setAttr(ino, '', { size: max }, f))).size, max, 'the largest size itself is fine');
});

test('namespace: an exclusive create sent again with its token finds its own file until the first write; another token or none is EEXIST', async () => {
  const a = await file('/tok', { exclusive: true, token: 41 });
  const again = await file('/tok', { exclusive: true, token: 41 });
  assert.equal(again.ino, a.ino, 'the same create, its reply lost: the same file');
  assert.equal(await code(file('/tok', { exclusive: true, token: 42 })), 'EEXIST');
  assert.equal(await code(file('/tok', { exclusive: true })), 'EEXIST');
  await tx(() => ns.commitWrite(a.ino as number, 10, undefined));
  assert.equal(await code(file('/tok', { exclusive: true, token: 41 })), 'EEXIST', 'written since: a new create');
});

test('namespace: a mkdir sent again with its token finds its own folder until something is made in it; another token or none is EEXIST', async () => {
  const d = await tx(() => ns.mkdir('/mk', 0o755, 0, 0, false, 51));
  assert.equal((await tx(() => ns.mkdir('/mk', 0o755, 0, 0, false, 51))).ino, d.ino, 'the same mkdir, its reply lost');
  assert.equal(await code(tx(() => ns.mkdir('/mk', 0o755, 0, 0, false, 52))), 'EEXIST');
  assert.equal(await code(tx(() => ns.mkdir('/mk', 0o755, 0, 0, false))), 'EEXIST');
  await file('/mk/child');
  assert.equal(await code(tx(() => ns.mkdir('/mk', 0o755, 0, 0, false, 51))), 'EEXIST', 'changed since: a new mkdir');
});

test('namespace: symlinks store their target', async () => {
  const s = await tx(() => ns.symlink('/ln', '/some/where', 0, 0));
  assert.equal(s.type, 'SYMLINK');
  assert.equal(s.symlinkTarget, '/some/where');
  assert.equal(s.size, 11);
  assert.equal(await code(tx(() => ns.symlink('/ln', 'x', 0, 0))), 'EEXIST');
});

test('namespace: an open file unlinked or renamed over becomes an orphan until collected', async () => {
  const a = await file('/o1');
  const ino = a.ino as number;
  await tx(() => ns.recordNewChunk(ino, 0, 1100, 1));
  open.add(ino);
  await tx((fx) => ns.delete('/o1', false, 'FILE_ONLY', fx));
  assert.throws(() => ns.stat('/o1'), { code: 'ENOENT' });
  assert.equal(ns.inode(ino).nlink, 0);
  assert.ok(store.orphans.get(ino));
  const fx = new Effects();
  assert.equal(await store.tx(() => ns.collectOrphan(ino, fx)), false, 'still open');
  open.delete(ino);
  assert.equal(await store.tx(() => ns.collectOrphan(ino, fx)), true);
  assert.deepEqual(fx.freed, [1100]);
  assert.throws(() => ns.inode(ino), { code: 'ENOENT' });
  const b = await file('/o2');
  await file('/o3');
  open.add(b.ino as number);
  await tx((f) => ns.rename('/o3', '/o2', false, f));
  assert.ok(store.orphans.get(b.ino as number), 'renamed over while open');
  open.delete(b.ino as number);
});

test('namespace: uploads are detached until committed atomically', async () => {
  await file('/up-old');
  const opts = { mode: 0o640, uid: 0, gid: 0, chunkSize: 0, replication: 0 };
  assert.equal(await code(store.tx(() => ns.beginUpload('/up-old', { ...opts, overwrite: false }, 1))), 'EEXIST');
  assert.equal(await code(store.tx(() => ns.beginUpload('/a', { ...opts, overwrite: true }, 1))), 'EISDIR');
  assert.equal(await code(store.tx(() => ns.beginUpload('/nodir/x', { ...opts, overwrite: true }, 1))), 'ENOENT');
  const up = await store.tx(() => ns.beginUpload('/up-old', { ...opts, overwrite: true }, 1));
  assert.equal(up.rec.nlink, 0);
  assert.ok(store.uploads.get(up.ino));
  await tx(() => ns.recordNewChunk(up.ino, 0, 1200, 1));
  await tx(() => ns.recordNewChunk(up.ino, 1, 1201, 1));
  const sha = Buffer.alloc(32, 7);
  assert.equal(await code(tx((fx) => ns.commitUpload(up.ino, '/up-old', 3 * CHUNK, sha, true, fx))), 'EINVAL', 'chunk count mismatch');
  assert.equal(await code(tx((fx) => ns.commitUpload(up.ino, '/up-old', CHUNK + 5, sha, false, fx))), 'EEXIST');
  const old = ns.stat('/up-old');
  const fx = new Effects();
  const a = await store.tx(() => ns.commitUpload(up.ino, '/up-old', CHUNK + 5, sha, true, fx));
  assert.equal(a.ino, up.ino);
  assert.equal(a.size, CHUNK + 5);
  assert.deepEqual(Buffer.from(a.sha256 as Buffer), sha);
  assert.equal(ns.stat('/up-old').ino, up.ino);
  assert.equal(store.inodes.get(old.ino as number), undefined);
  assert.equal(store.uploads.get(up.ino), undefined);
  const again = await store.tx(() => ns.commitUpload(up.ino, '/up-old', CHUNK + 5, sha, true, new Effects()));
  assert.equal(again.ino, up.ino, 'sent again (the master restarted under it): the answer of the first');
  assert.equal(await code(tx((f) => ns.commitUpload(up.ino, '/elsewhere', CHUNK + 5, sha, true, f))), 'UPLOAD_NOT_FOUND');
  const cw = await tx(() => ns.commitWrite(up.ino, 1, undefined));
  assert.equal((cw.sha256 as Buffer).length, 0, 'in-place write clears the hash');
  assert.equal(await code(tx((f) => ns.commitUpload(up.ino, '/up-old', 1, sha, true, f))), 'UPLOAD_NOT_FOUND');
  const ab = await store.tx(() => ns.beginUpload('/up2', { ...opts, overwrite: false }, 1));
  await tx(() => ns.recordNewChunk(ab.ino, 0, 1300, 1));
  const fx2 = new Effects();
  await store.tx(() => ns.abortUpload(ab.ino, fx2));
  assert.deepEqual(fx2.freed, [1300]);
  assert.throws(() => ns.inode(ab.ino), { code: 'ENOENT' });
  assert.throws(() => ns.stat('/up2'), { code: 'ENOENT' });
});

test('namespace: counters track inodes and chunks without scanning', () => {
  let inodes = 0;
  for (const _ of store.inodes.getKeys()) inodes++;
  let chunks = 0;
  for (const _ of store.chunks.getKeys()) chunks++;
  assert.equal(store.counter('inodeCount'), inodes);
  assert.equal(store.counter('chunkCount'), chunks);
});

test('meta store: a transaction leaves nothing behind once durable (waiting for the flush kept ~380 bytes each for good)', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const count = 20_000;
  const worker = async (from: number): Promise<void> => {
    for (let i = from; i < count; i += 64) await store.tx(() => store.meta.put('nextHandle', i));
  };
  await Promise.all(Array.from({ length: 64 }, (_, i) => worker(i))); // warm-up: lmdb-js's own buffers
  gc();
  const before = process.memoryUsage().heapUsed;
  await Promise.all(Array.from({ length: 64 }, (_, i) => worker(i)));
  gc();
  const perTx = (process.memoryUsage().heapUsed - before) / count;
  assert.ok(perTx < 100, `heap grew ${perTx.toFixed(0)} bytes per transaction`);
});

test('namespace: a recursive delete of a big tree detaches it at once and removes it in bounded transactions', async () => {
  const small = new Namespace({ store, clock, defaults: { chunkSizeBytes: CHUNK, replication: 3 }, isOpen: (ino) => open.has(ino), removeBatchEntries: 7 });
  const before = store.counter('inodeCount');
  await tx(() => ns.mkdir('/doomed/a/b', 0o755, 0, 0, true));
  await tx(() => ns.mkdir('/doomed/c', 0o755, 0, 0, false));
  const inos: number[] = [];
  for (const d of ['/doomed', '/doomed/a', '/doomed/a/b', '/doomed/c']) {
    inos.push(Number(ns.stat(d).ino));
    for (let i = 0; i < 6; i++) inos.push(Number((await file(`${d}/f${i}`)).ino));
  }
  assert.equal(store.counter('inodeCount'), before + 28);
  await tx((fx) => small.delete('/doomed', true, 'ANY', fx));
  assert.equal(await code(Promise.resolve().then(() => ns.stat('/doomed'))), 'ENOENT', 'gone from the namespace at once');
  assert.ok(small.hasDoomed());
  assert.ok(store.counter('inodeCount') > before, 'the rest waits for later transactions');
  let rounds = 0;
  while (await tx((fx) => small.reapDoomed(fx))) rounds++;
  assert.ok(rounds >= 2, `${rounds} more rounds`);
  assert.equal(store.counter('inodeCount'), before);
  for (const ino of inos) assert.equal(store.inodes.get(ino), undefined, `inode ${ino} removed`);
  assert.equal(small.hasDoomed(), false);
});
