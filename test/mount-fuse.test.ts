/**
 * The FUSE bridge on a real mount, over the in-memory fake client: coreutils in child
 * processes against the mount, compared with the same operations on a local folder.
 * Small write buffer / read-ahead / cache limits so flushing and eviction happen often.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mountFake, type TestMount } from './helpers/mount-harness';

const MiB = 1024 * 1024;
let m: TestMount;

before(async () => {
  m = await mountFake({ mount: { writeBufferBytes: 256 * 1024, readAheadBytes: 512 * 1024, cacheBytes: 2 * MiB, attrTimeoutMs: 1000 } });
});
after(async () => {
  await m?.close();
});

test('Mount: cp of a 5 MiB random file reads back identical, in and out', async () => {
  await writeFile(join(m.local, 'big'), randomBytes(5 * MiB + 12345));
  await m.ok('cp "$L/big" "$M/big" && cmp "$L/big" "$M/big" && cp "$M/big" "$L/big.back" && cmp "$L/big" "$L/big.back"');
  assert.equal(m.client.contentOf('/big').length, 5 * MiB + 12345, 'size committed on close');
  assert.ok(Math.max(...m.client.writeSizes) > 128 * 1024, 'FUSE writes are coalesced before writeRange');
  const before = m.client.calls.get('readRange') ?? 0;
  await m.ok('cat "$M/big" > /dev/null');
  const reads = (m.client.calls.get('readRange') ?? 0) - before;
  assert.ok(reads > 0 && reads <= 16, `sequential reads go through 512 KiB read-ahead windows (${reads} readRange calls)`);
});

test('Mount: random reads that land near each other fetch no read-ahead window; a sequential run does', async () => {
  await writeFile(join(m.local, 'ra'), randomBytes(4 * MiB));
  await m.ok('cp "$L/ra" "$M/ra"');
  const from = m.client.readSizes.length;
  // 3 MiB, then 3 MiB + 8 KiB (within the sequential slack, not contiguous), then 1 MiB + 5
  await m.ok(`python3 -c "
import os,sys
fd = os.open(sys.argv[1], os.O_RDONLY)
for off in (3 << 20, (3 << 20) + 8192, (1 << 20) + 5): os.pread(fd, 4096, off)
os.close(fd)" "$M/ra"`);
  assert.ok(m.client.readSizes.slice(from).every((n) => n < 512 * 1024), `no 512 KiB window for scattered reads: ${m.client.readSizes.slice(from)}`);
  const seq = m.client.readSizes.length;
  await m.ok('cat "$M/ra" > /dev/null');
  assert.ok(m.client.readSizes.slice(seq).some((n) => n >= 512 * 1024), 'cat reads through read-ahead windows');
});

test('Mount: ls -l and stat show sizes, types and modes', async () => {
  await m.ok('mkdir "$M/modes" && printf 12345 > "$M/modes/f" && chmod 640 "$M/modes/f" && mkdir -m 700 "$M/modes/d"');
  const out = await m.ok('cd "$M/modes" && stat -c "%n %s %a %F" f d');
  assert.equal(out, 'f 5 640 regular file\nd 4096 700 directory\n');
  const ls = await m.ok('ls -l "$M/modes"');
  assert.match(ls, /^-rw-r----- 1 root root\s+5 .* f$/m);
  assert.match(ls, /^drwx------ .* d$/m);
});

test('Mount: mkdir -p, rmdir and rm -r', async () => {
  await m.ok('mkdir -p "$M/tree/a/b/c" && echo x > "$M/tree/a/b/c/f" && echo y > "$M/tree/a/g" && rmdir "$M/tree/a/b/c" 2>/dev/null; test -d "$M/tree/a/b/c"');
  await m.ok('rm "$M/tree/a/b/c/f" && rmdir "$M/tree/a/b/c" && ! test -e "$M/tree/a/b/c"');
  await m.ok('mkdir -p "$M/tree/a/b/c/d" && rm -r "$M/tree" && ! test -e "$M/tree" && ls "$M"');
});

test('Mount: mv over an existing file replaces it', async () => {
  await m.ok('echo old > "$M/dst" && echo new > "$M/src" && mv "$M/src" "$M/dst"');
  assert.equal(await m.ok('cat "$M/dst"; test -e "$M/src" || echo gone'), 'new\ngone\n');
  await m.ok('mkdir "$M/mvdir" && mv "$M/dst" "$M/mvdir/moved" && test -f "$M/mvdir/moved"');
});

test('Mount: truncate shrinks and extends like a local file', async () => {
  await writeFile(join(m.local, 't'), randomBytes(300_000));
  await m.ok('cp "$L/t" "$M/t" && for s in 100000 250000 7 0 123456; do truncate -s $s "$L/t"; truncate -s $s "$M/t"; cmp "$L/t" "$M/t" || exit 1; done');
  assert.equal((await m.ok('stat -c %s "$M/t"')).trim(), '123456');
});

test('Mount: random dd conv=notrunc and pwrite match a local file', async () => {
  await writeFile(join(m.local, 'r'), randomBytes(2 * MiB));
  await m.ok('cp "$L/r" "$M/r"');
  const ops: string[] = [];
  for (let i = 0; i < 12; i++) {
    const seek = Math.floor(Math.random() * 3000);
    const count = 1 + Math.floor(Math.random() * 40);
    ops.push(`dd if="$L/src" of="$F" bs=1024 seek=${seek} count=${count} conv=notrunc status=none`);
  }
  await writeFile(join(m.local, 'src'), randomBytes(64 * 1024));
  await m.ok(`for F in "$L/r" "$M/r"; do ${ops.join(' && ')} || exit 1; done; cmp "$L/r" "$M/r"`);
  const script = `
    const fs = require('fs');
    const [a, b] = process.argv.slice(1);
    const fa = fs.openSync(a, 'r+'), fb = fs.openSync(b, 'r+');
    let seed = 7; const rnd = (n) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    for (let i = 0; i < 300; i++) {
      const len = 1 + rnd(70000), pos = rnd(3500000), buf = Buffer.alloc(len, i & 255);
      fs.writeSync(fa, buf, 0, len, pos); fs.writeSync(fb, buf, 0, len, pos);
      if (i % 25 === 0) {
        const x = Buffer.alloc(9000), y = Buffer.alloc(9000);
        const p = rnd(3600000);
        const na = fs.readSync(fa, x, 0, 9000, p), nb = fs.readSync(fb, y, 0, 9000, p);
        if (na !== nb || !x.equals(y)) { console.error('read-your-writes mismatch at', p, na, nb); process.exit(3); }
      }
    }
    fs.closeSync(fa); fs.closeSync(fb); console.log('pwrites done');`;
  const out = await m.ok(`node -e "$S" "$L/r" "$M/r" && cmp "$L/r" "$M/r"`.replace('$S', script.replace(/"/g, '\\"').replace(/\$/g, '\\$')));
  assert.equal(out, 'pwrites done\n');
});

test('Mount: append with >> grows the file in order', async () => {
  await m.ok('for i in 1 2 3 4 5; do echo line$i >> "$M/log"; done');
  assert.equal(await m.ok('cat "$M/log"'), 'line1\nline2\nline3\nline4\nline5\n');
  await m.ok('sh -c \'exec 3>>"$M/log"; echo six >&3; echo seven >&3\'');
  assert.equal((await m.ok('tail -n 2 "$M/log"')), 'six\nseven\n');
});

test('Mount: errors carry their errno (ENOENT, ENOTEMPTY, EISDIR, ENOTDIR)', async () => {
  const cat = await m.sh('cat "$M/missing"');
  assert.notEqual(cat.code, 0);
  assert.match(cat.stderr, /No such file or directory/);
  await m.ok('mkdir -p "$M/full/sub"');
  const rmdir = await m.sh('rmdir "$M/full"');
  assert.match(rmdir.stderr, /Directory not empty/);
  assert.match((await m.sh('echo x > "$M/full"')).stderr, /Is a directory/);
  await m.ok('echo x > "$M/plain"');
  assert.match((await m.sh('mkdir "$M/plain/sub"')).stderr, /Not a directory/);
  assert.match((await m.sh('mkdir "$M/full"')).stderr, /File exists/);
});

test('Mount: df reports the cluster capacity', async () => {
  const out = await m.ok('df -P -k "$M" | tail -n 1');
  const [fs, blocks, , avail] = out.trim().split(/\s+/);
  assert.equal(fs, 'dfs');
  assert.equal(Number(blocks), 1024 ** 3, '1 TiB in KiB');
  assert.ok(Number(avail) > 0);
  assert.match(await m.ok('stat -f -c "%l" "$M"'), /^255$/m);
});

test('Mount: an open file keeps working after unlink until close', async () => {
  await m.ok('printf keepme > "$M/unlinked"');
  const out = await m.ok('exec 3<"$M/unlinked"; rm "$M/unlinked"; test -e "$M/unlinked" && echo still-there; cat <&3; exec 3<&-');
  assert.equal(out, 'keepme');
  // The kernel sends RELEASE asynchronously after close(): wait for it, bounded.
  const deadline = Date.now() + 5000;
  while (m.client.openInodes().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(m.client.openInodes().length, 0, 'every open released');
});

test('Mount: every descriptor of a file opened twice is released in the session', async () => {
  await m.ok('printf x > "$M/twice"');
  await m.ok('exec 3<"$M/twice" 4<"$M/twice"; cat <&3 <&4 >/dev/null; exec 3<&- 4<&-');
  const deadline = Date.now() + 5000;
  while (m.client.openInodes().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(m.client.openInodes(), [], 'both opens released (an inode left open is never collected after unlink)');
});

test('Mount: symlinks, chmod, touch -d', async () => {
  await m.ok('echo t > "$M/target" && ln -s target "$M/link" && test "$(readlink "$M/link")" = target && test "$(cat "$M/link")" = t');
  await m.ok('touch -d "2001-02-03 04:05:06" "$M/target" && chmod 600 "$M/target"');
  assert.equal(await m.ok('stat -c "%a %Y" "$M/target"'), `600 ${Date.parse('2001-02-03T04:05:06') / 1000}\n`);
});

test('Mount: a failed flush is reported (EIO), never a silent success', async () => {
  m.client.faults.writeRange = 'EIO';
  try {
    const r = await m.sh('dd if=/dev/zero of="$M/fails" bs=64k count=16 status=none && sync "$M/fails"');
    assert.notEqual(r.code, 0, 'dd or its close must fail');
    assert.match(r.stderr, /Input\/output error/);
  } finally {
    m.client.faults = {};
  }
  await m.ok('echo fine > "$M/after-fault" && cat "$M/after-fault"');
});

test('Mount: fsync returns after the data is written (visible to the client)', async () => {
  const script = `const fs=require('fs');const fd=fs.openSync(process.argv[1],'w');fs.writeSync(fd,Buffer.alloc(1000,97));fs.fsyncSync(fd);console.log('synced');setTimeout(()=>fs.closeSync(fd),1500)`;
  const run = m.sh(`node -e "${script}" "$M/synced"`);
  // poll the fake, not the mount: fsync must have pushed the bytes before the process closes
  let seen = 0;
  for (let i = 0; i < 50 && seen !== 1000; i++) {
    await new Promise((r) => setTimeout(r, 50));
    try {
      seen = m.client.contentOf('/synced').length;
    } catch {
      seen = 0;
    }
  }
  assert.equal(seen, 1000);
  assert.equal((await run).code, 0);
});

test('Mount: close leaves the replicas to sync later; fsync (even on another descriptor) syncs the chunks written; a failed sync is EIO and the next fsync retries', async () => {
  const py = (p: string): string => `python3 -c "import os,sys; fd=os.open(sys.argv[1], os.O_RDONLY); os.fsync(fd)" "${p}"`;
  await m.ok('head -c 3000000 /dev/urandom > "$M/nosync"');
  const ino = Number((await m.client.stat('/nosync')).ino);
  const chunks = [...m.client.unsynced].filter((h) => Math.floor(h / 1e6) === ino);
  assert.equal(chunks.length, 3, 'the three 1 MiB chunks written stay unsynced after close');
  const before = m.client.calls.get('syncChunks') ?? 0;
  await m.ok(py('$M/nosync'));
  assert.equal((m.client.calls.get('syncChunks') ?? 0) - before, 1, 'one syncChunks for the file');
  assert.deepEqual([...m.client.unsynced].filter((h) => Math.floor(h / 1e6) === ino), [], 'fsync made every chunk durable');
  await m.ok(py('$M/nosync'));
  assert.equal((m.client.calls.get('syncChunks') ?? 0) - before, 1, 'nothing left to sync: no call');

  await m.ok('printf abc > "$M/nosync2"');
  m.client.faults.sync = 'EIO';
  try {
    const r = await m.sh(py('$M/nosync2'));
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Input\/output error/);
  } finally {
    m.client.faults = {};
  }
  await m.ok(`sync "$M/nosync2"`);
  const ino2 = Number((await m.client.stat('/nosync2')).ino);
  assert.deepEqual([...m.client.unsynced].filter((h) => Math.floor(h / 1e6) === ino2), [], 'the retried fsync synced what the failed one could not');
});

test('Mount: scattered writes over several chunks stay buffered until close, then go as one flush', async () => {
  const before = m.client.calls.get('writeRanges') ?? 0;
  const offsets = [0, 1, 2, 0, 1, 2].map((c, i) => c * 1024 * 1024 + i * 8192 + 100);
  await m.ok(`python3 -c "
import os,sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
for off in [${offsets.join(',')}]: os.pwrite(fd, b'x' * 4096, off)
os.close(fd)" "$M/scattered"`);
  assert.equal((m.client.calls.get('writeRanges') ?? 0) - before, 1, 'one flush, at close');
  assert.equal(m.client.rangeCounts.at(-1), 6, 'with the six runs');
  const back = m.client.contentOf('/scattered');
  for (const off of offsets) assert.equal(back.subarray(off, off + 4096).toString(), 'x'.repeat(4096));
});

test('Mount: with mount.syncOnClose every close of a written file syncs it', async () => {
  const s = await mountFake({ mount: { syncOnClose: true } });
  try {
    await s.ok('printf abc > "$M/f" && cat "$M/f" > /dev/null');
    assert.equal(s.client.unsynced.size, 0, 'durable at close');
    assert.equal(s.client.calls.get('syncChunks'), 1, 'the read-only close syncs nothing');
  } finally {
    await s.close();
  }
});

test('Mount: unmount syncs every file written without fsync in one call, not one per file', async () => {
  const s = await mountFake();
  try {
    await s.ok('for i in 1 2 3 4 5; do printf abc > "$M/f$i"; done');
    assert.equal(s.client.unsynced.size, 5);
  } finally {
    await s.close();
  }
  assert.equal(s.client.unsynced.size, 0, 'durable after unmount');
  assert.equal(s.client.calls.get('syncEverywhere'), 1);
  assert.equal(s.client.calls.get('syncChunks'), undefined);
});

test('Mount: another process sees bytes buffered by a writer that has not closed yet', async () => {
  const writer = `const fs=require('fs');const fd=fs.openSync(process.argv[1],'w');fs.writeSync(fd,'buffered-bytes');console.log('w');setTimeout(()=>fs.closeSync(fd),8000)`;
  // The reader starts once the writer said it wrote (bounded wait), while the writer still holds the file open.
  const out = await m.ok(`node -e "${writer}" "$M/pending" > "$L/w.out" & n=0; until grep -q w "$L/w.out" 2>/dev/null || [ $n -ge 200 ]; do sleep 0.05; n=$((n+1)); done; cat "$M/pending"; stat -c %s "$M/pending"; wait`, 30);
  assert.equal(out, 'buffered-bytes14\n');
});

test('Mount: parallel copies of several files under a small cache budget', async () => {
  await writeFile(join(m.local, 'par'), randomBytes(3 * MiB + 777));
  await m.ok('for i in 1 2 3 4; do cp "$L/par" "$M/par$i" & done; wait; for i in 1 2 3 4; do cmp "$L/par" "$M/par$i" || exit 1; done', 60);
  await m.ok('for i in 1 2 3 4; do cat "$M/par$i" > "$L/par.out$i" & done; wait; for i in 1 2 3 4; do cmp "$L/par" "$L/par.out$i" || exit 1; done', 60);
});

test('Mount: a directory of 3,000 entries lists whole, in pages; telldir/seekdir/rewinddir work', async () => {
  const names: string[] = [];
  await m.client.mkdir('/many');
  for (let i = 0; i < 3_000; i++) {
    const name = `entry-${i}${'-'.repeat(i % 50)}`;
    names.push(name);
    await m.client.create(`/many/${name}`);
    await m.client.release(Number((await m.client.stat(`/many/${name}`)).ino));
  }
  assert.equal(await m.ok('ls -f "$M/many" | wc -l'), '3002\n', 'every entry plus . and ..');
  assert.equal(await m.ok('ls "$M/many"'), [...names].sort().join('\n') + '\n');
  const perl = `opendir(my $d, "$ENV{M}/many") or die "$!";
    readdir($d) for 1..1700; my $t = telldir($d);
    my @a = map { scalar readdir($d) } 1..20; seekdir($d, $t);
    my @b = map { scalar readdir($d) } 1..20; rewinddir($d);
    my @all = readdir($d);
    print join(",", @a) eq join(",", @b) ? "same" : "differ", " ", scalar(@all), "\\n";`;
  assert.equal(await m.ok(`perl -e '${perl}'`), 'same 3002\n');
});

test('Mount: a flush of scattered extents is one writeRanges call with every run', async () => {
  await m.ok('head -c 900000 /dev/zero > "$M/scattered"');
  const before = m.client.rangeCounts.length;
  await m.ok(`python3 -c "
import os
fd = os.open(os.environ['M'] + '/scattered', os.O_RDWR)
for off in (0, 300000, 600000):
    os.pwrite(fd, b'x' * 4096, off)
os.close(fd)"`);
  assert.deepEqual(m.client.rangeCounts.slice(before), [3]);
  const data = m.client.contentOf('/scattered');
  for (const off of [0, 300000, 600000]) assert.equal(data.subarray(off, off + 4096).toString(), 'x'.repeat(4096));
  assert.equal(data.length, 900000);
});

test('Mount: fallocate: larger than the cluster\'s free space (× replication) is ENOSPC and leaves the file alone', async () => {
  // the fake cluster: 1 TiB capacity, replication 3; 400 GiB × 3 does not fit, 4 MiB does
  await m.ok('printf abc > "$M/falloc-room"');
  const r = await m.sh('fallocate -l 400G "$M/falloc-room"');
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /No space left on device/);
  assert.equal(await m.ok('stat -c %s "$M/falloc-room"'), '3\n');
  await m.ok('fallocate -l 4M "$M/falloc-room"');
  assert.equal(await m.ok('stat -c %s "$M/falloc-room"'), `${4 * MiB}\n`);
});

test('Mount: fallocate: a punched hole writes zeros only into chunks the file holds, after its unflushed writes', async () => {
  // 1 MiB chunks: data in chunks 0 and 3 (buffered, not flushed at the punch), chunks 1-2 and 4-7 holes
  const before = m.client.writeSizes.length;
  await m.ok(`python3 -c "
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
os.ftruncate(fd, 8 << 20)
os.pwrite(fd, b'a' * 100000, 0)
os.pwrite(fd, b'b' * 100000, 3 << 20)
assert libc.fallocate(fd, 3, ctypes.c_long(50000), ctypes.c_long(8 << 20)) == 0, os.strerror(ctypes.get_errno())
os.close(fd)" "$M/falloc-punch"`);
  const content = m.client.contentOf('/falloc-punch');
  assert.equal(content.length, 8 * MiB);
  const expected = Buffer.alloc(8 * MiB);
  expected.fill('a', 0, 50000);
  assert.ok(content.equals(expected), 'the range reads as zeros, the bytes before it are kept');
  const written = m.client.writeSizes.slice(before).reduce((n, x) => n + x, 0);
  // the two writes (200,000 bytes) and zeros over chunks 0 and 3 from the punch (< 2 MiB); not 8 MiB
  assert.ok(written <= 200_000 + 2 * MiB, `bytes written: ${written}`);
});
