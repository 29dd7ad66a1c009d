/**
 * The mount on a real cluster (issue 3), everything as separate processes of the built
 * executable: master, 3 chunkservers, and `dfs mount` twice. The test process only starts
 * processes and runs shell commands under `timeout -s KILL`.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnDfs, spawnMount, runDfs, stopMounts, waitForAlive, writeTestConfig, ROOT, type Proc } from './helpers/procs';
import { sh, q, isMounted } from './helpers/mounts';
import { sleep } from '../src/common/clock';

const MiB = 1024 * 1024;
let dir: string;
let cfg: string;
let masterAddress: string;
let master: Proc;
const chunkservers: Proc[] = [];
const mounts: { dir: string; proc: Proc }[] = [];

/** The last lines the mounts logged (for failure messages). */
function mountLog(): string {
  return mounts.map((m) => m.proc.stderr().split('\n').slice(-15).join('\n')).join('\n---\n');
}

async function mountAt(name: string): Promise<string> {
  const mnt = join(dir, name);
  mounts.push({ dir: mnt, proc: await spawnMount(mnt, cfg, masterAddress) });
  return mnt;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dfs-test-'));
  cfg = await writeTestConfig(dir, { 'cluster.chunkSizeBytes': 2 * MiB, 'mount.attrTimeoutMs': 0 });
  master = spawnDfs(['master', '--config', cfg, '--listen', '127.0.0.1:0', '--meta-dir', join(dir, 'meta')]);
  masterAddress = (await master.waitFor(/listening on (\S+)/))[1];
  for (let i = 0; i < 3; i++) {
    chunkservers.push(spawnDfs(['chunkserver', '--config', cfg, '--master', masterAddress, '--listen', '127.0.0.1:0', '--data-dir', join(dir, `cs${i}`), '--id', `cs${i}`]));
  }
  await waitForAlive(cfg, masterAddress, 3);
});

after(async () => {
  await stopMounts(mounts);
  await rm(dir, { recursive: true, force: true });
});

test('Mount: cp of a 300 MiB random file in and out is byte-identical; cat matches its SHA-256', async () => {
  const mnt = await mountAt('m1');
  const src = join(dir, 'big.bin');
  let r = await sh(`head -c ${300 * MiB} /dev/urandom > ${q(src)} && sha256sum ${q(src)}`);
  assert.equal(r.code, 0, r.stderr);
  const want = r.stdout.split(' ')[0];
  r = await sh(`cp ${q(src)} ${q(mnt + '/big.bin')}`, 300);
  assert.equal(r.code, 0, `cp in: ${r.stderr}`);
  r = await sh(`cp ${q(mnt + '/big.bin')} ${q(dir + '/back.bin')} && cmp ${q(src)} ${q(dir + '/back.bin')}`, 300);
  assert.equal(r.code, 0, `cp out + cmp: ${r.stderr}${r.stdout}`);
  r = await sh(`cat ${q(mnt + '/big.bin')} | sha256sum`, 300);
  assert.equal(r.stdout.split(' ')[0], want);
  r = await sh(`stat -c %s ${q(mnt + '/big.bin')}`);
  assert.equal(r.stdout.trim(), String(300 * MiB));
  await sh(`rm -f ${q(src)} ${q(dir + '/back.bin')} ${q(mnt + '/big.bin')}`);
});

test('Mount: tar of the project src/ extracted into the mount, diff -r identical; rm -r empties it on the master', async () => {
  const mnt = mounts[0]?.dir ?? (await mountAt('m1'));
  // A snapshot first: the tree compared must not change while the test runs.
  const snap = join(dir, 'snapshot');
  let r = await sh(`mkdir -p ${q(snap)} ${q(mnt + '/tree')} && tar -C ${q(ROOT)} -cf ${q(dir + '/src.tar')} src && tar -C ${q(snap)} -xf ${q(dir + '/src.tar')}`, 120);
  assert.equal(r.code, 0, r.stderr);
  r = await sh(`tar -C ${q(mnt + '/tree')} -xf ${q(dir + '/src.tar')}`, 120);
  assert.equal(r.code, 0, r.stderr);
  r = await sh(`diff -r ${q(snap + '/src')} ${q(mnt + '/tree/src')}`, 120);
  assert.equal(r.code, 0, `diff: ${r.stdout}${r.stderr}`);
  r = await sh(`rm -r ${q(mnt + '/tree/src')}`, 120);
  assert.equal(r.code, 0, r.stderr);
  const ls = await runDfs(['ls', '/tree', '--config', cfg, '--master', masterAddress]);
  assert.equal(ls.code, 0, ls.stderr);
  assert.equal(ls.stdout.toString().trim(), '', 'the directory is empty on the master');
});

test('Mount: random pwrites across chunk boundaries equal the same writes on a local file', async () => {
  const mnt = mounts[0]?.dir ?? (await mountAt('m1'));
  const script = join(dir, 'pwrite.js');
  await writeFile(script, `
    const fs = require('fs');
    const [a, b] = process.argv.slice(2);
    const fa = fs.openSync(a, 'w+'), fb = fs.openSync(b, 'w+');
    let s = 12345;
    const rnd = (n) => { s = (s * 1103515245 + 12345) >>> 0; return s % n; };
    for (let i = 0; i < 300; i++) {
      const len = 1 + rnd(300000);
      const off = rnd(9 * 1024 * 1024);
      const buf = Buffer.alloc(len, rnd(256));
      fs.writeSync(fa, buf, 0, len, off); fs.writeSync(fb, buf, 0, len, off);
      if (i % 50 === 0) fs.fsyncSync(fa);
    }
    fs.closeSync(fa); fs.closeSync(fb);
  `);
  const local = join(dir, 'rw-local.bin');
  let r = await sh(`node ${q(script)} ${q(mnt + '/rw.bin')} ${q(local)}`, 180);
  assert.equal(r.code, 0, r.stderr);
  r = await sh(`cmp ${q(mnt + '/rw.bin')} ${q(local)}`, 60);
  assert.equal(r.code, 0, `cmp: ${r.stdout}${r.stderr}`);
  // And dd conv=notrunc, truncate and >> on the same file.
  r = await sh(`dd if=/dev/urandom of=${q(local + '.p')} bs=1k count=700 2>/dev/null &&
    dd if=${q(local + '.p')} of=${q(mnt + '/rw.bin')} bs=1k seek=3000 conv=notrunc 2>/dev/null &&
    dd if=${q(local + '.p')} of=${q(local)} bs=1k seek=3000 conv=notrunc 2>/dev/null &&
    truncate -s 5000000 ${q(mnt + '/rw.bin')} && truncate -s 5000000 ${q(local)} &&
    echo appended >> ${q(mnt + '/rw.bin')} && echo appended >> ${q(local)} &&
    truncate -s 7000000 ${q(mnt + '/rw.bin')} && truncate -s 7000000 ${q(local)} &&
    cmp ${q(mnt + '/rw.bin')} ${q(local)}`, 120);
  assert.equal(r.code, 0, `dd/truncate/append: ${r.stdout}${r.stderr}\nmount log:\n${mountLog()}`);
});

test('Mount: two mounts see each other on the next open; mv over a file never shows a missing target', async () => {
  const a = mounts[0]?.dir ?? (await mountAt('m1'));
  const b = await mountAt('m2');
  let r = await sh(`echo first > ${q(a + '/shared.txt')} && cat ${q(b + '/shared.txt')}`);
  assert.equal(r.stdout, 'first\n', r.stderr);
  r = await sh(`echo second-version > ${q(a + '/shared.txt')} && cat ${q(b + '/shared.txt')}`);
  assert.equal(r.stdout, 'second-version\n', 'close-to-open: the other mount reads the new content');
  r = await sh(`mkdir -p ${q(a + '/ren')} && echo v0 > ${q(a + '/ren/target')}`);
  assert.equal(r.code, 0, r.stderr);
  const reader = sh(`n=0; while [ $n -lt 300 ]; do out=$(cat ${q(b + '/ren/target')} 2>&1 >/dev/null) || echo "MISSING: $out"; n=$((n+1)); done`, 120);
  const writer = sh(`i=0; while [ $i -lt 60 ]; do echo v$i > ${q(a + '/ren/tmp')} && mv ${q(a + '/ren/tmp')} ${q(a + '/ren/target')} || echo FAIL; i=$((i+1)); done`, 120);
  const [rr, ww] = await Promise.all([reader, writer]);
  assert.equal(ww.stdout, '', `writer: ${ww.stderr}`);
  assert.equal(rr.stdout, '', `the reader never saw a missing target\nmount log:\n${mountLog()}`);
});

test('Mount: flock and fcntl locks exclude each other across two mounts; a blocked waiter gets the lock when the holder lets go', async () => {
  const a = mounts[0]?.dir ?? (await mountAt('m1'));
  const b = mounts[1]?.dir ?? (await mountAt('m2'));
  const file = 'locked.txt';
  let r = await sh(`echo data > ${q(a + '/' + file)}`);
  assert.equal(r.code, 0, r.stderr);
  const marker = join(dir, 'lock-held');
  // in mount A: flock + a whole-file POSIX lock, then the marker, then hold until the release file exists
  const release = join(dir, 'lock-release');
  const holderPy = [
    'import fcntl, os, sys, time',
    `fd = os.open(${JSON.stringify(a + '/' + file)}, os.O_RDWR)`,
    'fcntl.flock(fd, fcntl.LOCK_EX)',
    'fcntl.lockf(fd, fcntl.LOCK_EX)',
    `open(${JSON.stringify(marker)}, 'w').close()`,
    `while not os.path.exists(${JSON.stringify(release)}): time.sleep(0.05)`,
    'print("released")',
  ].join('\n');
  await writeFile(join(dir, 'holder.py'), holderPy);
  const holder = sh(`python3 ${q(join(dir, 'holder.py'))}`, 120);
  for (let i = 0; i < 600 && !existsSync(marker); i++) await sleep(50); // a local file: not on the mount
  assert.ok(existsSync(marker), `the holder never got its locks\nmount log:\n${mountLog()}`);

  // in mount B, while A holds them: refused at once
  r = await sh(`flock -n -x ${q(b + '/' + file)} true`);
  assert.equal(r.code, 1, `flock -n in the other mount must fail while the lock is held: ${r.stdout}${r.stderr}`);
  r = await sh(`python3 -c ${q(`import fcntl, os\nfd = os.open(${JSON.stringify(b + '/' + file)}, os.O_RDWR)\ntry:\n  fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB); print('got it')\nexcept OSError as e:\n  print(e.errno == 11 and 'EAGAIN' or e)`)}`);
  assert.equal(r.stdout.trim(), 'EAGAIN', r.stderr);

  // a blocking waiter in B: granted only after A lets go
  let waiterDone = false;
  const waiter = sh(`flock -x ${q(b + '/' + file)} -c 'echo got it'`, 120).then((x) => { waiterDone = true; return x; });
  await sleep(1000);
  assert.equal(waiterDone, false, 'the waiter got the lock while the holder held it');
  await writeFile(release, '');
  const h = await holder;
  assert.equal(h.stdout.trim(), 'released', h.stderr);
  const w = await waiter;
  assert.equal(w.stdout.trim(), 'got it', w.stderr);
  r = await sh(`flock -n -x ${q(a + '/' + file)} true && rm ${q(a + '/' + file)}`);
  assert.equal(r.code, 0, `released everywhere: ${r.stderr}`);
});

test('Mount: kill -9 of a chunkserver during cp; the cp succeeds and the file is whole', async () => {
  const mnt = mounts[0]?.dir ?? (await mountAt('m1'));
  const src = join(dir, 'during-kill.bin');
  await sh(`head -c ${120 * MiB} /dev/urandom > ${q(src)}`);
  const cp = sh(`cp ${q(src)} ${q(mnt + '/during-kill.bin')}`, 300);
  await sleep(1500);
  chunkservers[2].child.kill('SIGKILL');
  const r = await cp;
  assert.equal(r.code, 0, `cp: ${r.stderr}`);
  const c = await sh(`cmp ${q(src)} ${q(mnt + '/during-kill.bin')}`, 120);
  assert.equal(c.code, 0, `cmp: ${c.stdout}${c.stderr}`);
});

test('Mount: close does not wait for fsync, fsync does (SyncChunks); kill -9 of every chunkserver after close loses nothing', async () => {
  const mnt = mounts[0]?.dir ?? (await mountAt('m1'));
  const src = join(dir, 'unsynced.bin');
  await sh(`head -c ${5 * MiB + 777} /dev/urandom > ${q(src)}`);
  let r = await sh(`cp ${q(src)} ${q(mnt + '/synced.bin')} && sync ${q(mnt + '/synced.bin')} && cp ${q(src)} ${q(mnt + '/unsynced.bin')}`, 120);
  assert.equal(r.code, 0, `cp, sync: ${r.stderr}`);
  // the replicas hold the second file in their page cache only: a crash of the processes keeps it
  for (const cs of chunkservers) if (cs.child.exitCode === null && cs.child.signalCode === null) cs.child.kill('SIGKILL');
  await Promise.all(chunkservers.map((cs) => cs.exited));
  for (let i = 0; i < 3; i++) {
    chunkservers[i] = spawnDfs(['chunkserver', '--config', cfg, '--master', masterAddress, '--listen', '127.0.0.1:0', '--data-dir', join(dir, `cs${i}`), '--id', `cs${i}`]);
  }
  for (const cs of chunkservers) await cs.waitFor(/listening on/);
  for (const name of ['synced.bin', 'unsynced.bin']) {
    r = await sh(`cmp ${q(src)} ${q(mnt + '/' + name)}`, 120);
    assert.equal(r.code, 0, `${name} after kill -9 of every chunkserver: ${r.stdout}${r.stderr}\n${mountLog()}`);
  }
  r = await sh(`sync ${q(mnt + '/unsynced.bin')}`, 60);
  assert.equal(r.code, 0, `fsync after the restart: ${r.stderr}`);
});

test('Mount: kill -9 and restart of the master while files are written and read; the operations wait for it and succeed', async () => {
  const mnt = mounts[0]?.dir ?? (await mountAt('m1'));
  let r = await sh(`mkdir ${q(mnt + '/restart')}`);
  assert.equal(r.code, 0, r.stderr);
  // ~5 s of small writes, reads and listings, each checked; the master is gone for ~2 s of it
  const work = sh(`cd ${q(mnt + '/restart')} && for i in $(seq 1 40); do
      echo "line $i" > f$i && [ "$(cat f$i)" = "line $i" ] && ls > /dev/null || { echo "failed at $i" >&2; exit 1; }; sleep 0.1; done`, 120);
  await sleep(1000);
  master.child.kill('SIGKILL');
  await master.exited;
  await sleep(2000);
  master = spawnDfs(['master', '--config', cfg, '--listen', masterAddress, '--meta-dir', join(dir, 'meta')]);
  await master.waitFor(/listening on/);
  r = await work;
  assert.equal(r.code, 0, `writes across the restart: ${r.stderr}\n${mountLog()}`);
  r = await sh(`cat ${q(mnt + '/restart')}/f* | sort -V | tail -1; ls ${q(mnt + '/restart')} | wc -l`, 60);
  assert.equal(r.stdout, 'line 40\n40\n');
});

test('Mount: st_blocks counts the chunks a file holds: du of a sparse file is small, of a written file its size', async () => {
  const mnt = mounts[0]?.dir ?? (await mountAt('m1'));
  const d = mnt + '/blocks';
  // 2 MiB chunks: 'sparse' holds none (the chunk its Create took from the pool, which the writes
  // before fill, goes back at its close), 'tail' one byte in its slot 5, 'dense' 3 MiB in slots
  // 0-1; 'open' is stat'ed while its 1 MiB is still in the mount's write buffer
  let r = await sh(`mkdir -p ${q(d)} && head -c ${3 * MiB} /dev/urandom > ${q(d + '/dense')} &&
    python3 -c "import os, sys; fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT, 0o644); os.write(fd, b'a' * (1 << 20)); print(os.fstat(fd).st_blocks); os.close(fd)" ${q(d + '/open')} &&
    sleep 0.5 && truncate -s 1G ${q(d + '/sparse')} && truncate -s ${10 * MiB} ${q(d + '/tail')} && printf x >> ${q(d + '/tail')} &&
    stat -c '%n %s %b' ${q(d)}/sparse ${q(d)}/tail ${q(d)}/dense ${q(d)}/open && du -k ${q(d + '/sparse')} | cut -f1`, 60);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines[0], String(MiB / 512), 'unflushed bytes past the size count');
  const blocks = Object.fromEntries(lines.slice(1, 5).map((l) => { const [n, size, b] = l.split(' '); return [n.slice(n.lastIndexOf('/') + 1), [Number(size), Number(b)]]; }));
  assert.deepEqual(blocks.sparse, [1024 * MiB, 0], 'truncate -s 1G holds no chunk');
  assert.deepEqual(blocks.tail, [10 * MiB + 1, 1], 'one held slot, cut at the size');
  assert.deepEqual(blocks.dense, [3 * MiB, 3 * MiB / 512]);
  assert.deepEqual(blocks.open, [MiB, MiB / 512]);
  assert.equal(lines[5], '0', 'du of the sparse file');
});

test('Mount: unmount on SIGTERM leaves nothing mounted', async () => {
  for (const m of mounts) {
    m.proc.child.kill('SIGTERM');
    await m.proc.exited;
    assert.equal(await isMounted(m.dir), false, `${m.dir} unmounted`);
  }
});
