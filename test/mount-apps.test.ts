/**
 * Real applications on the mount: git, rsync -aHAX (hard links, symlinks, xattrs, special files)
 * there and back, SQLite (rollback journal and WAL, whose -shm file is a shared writable mapping),
 * two processes appending with O_APPEND, and msync'd shared mappings read back from the cluster
 * by another client while the mapping is still open. The tools are Debian's (scripts/setup.sh
 * installs git, rsync, sqlite3 and attr). This process serves the mount: every command on it
 * runs in a child process under `timeout -s KILL`.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startClusterMount, stopClusterMount, type ClusterMount } from './helpers/cluster-mount';
import { q, sh, type ShResult } from './helpers/mounts';

/** The checkout: the nearest folder above this file with a .git (the source or a build folder inside it). */
function repoRoot(): string {
  for (let d = __dirname; d !== dirname(d); d = dirname(d)) if (existsSync(join(d, '.git'))) return d;
  throw new Error(`no git checkout above ${__dirname}`);
}
const REPO = repoRoot();

let cm: ClusterMount | undefined;
let dir = '';
let mnt = '';

/** Runs a script (sh) that must succeed; its output is returned. */
async function ok(script: string, timeoutS = 120): Promise<string> {
  const r: ShResult = await sh(script, timeoutS);
  assert.equal(r.code, 0, `exit ${r.code} of: ${script}\nstdout: ${r.stdout.slice(-4000)}\nstderr: ${r.stderr.slice(-4000)}`);
  return r.stdout;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dfs-apps-'));
  mnt = join(dir, 'mnt');
  cm = await startClusterMount(mnt);
});

after(() => stopClusterMount(cm, mnt, dir));

describe('Mount apps', () => {
  test('Mount apps: git init, add and commit of the project source inside the mount, then fsck and a clean status', async () => {
    const work = join(mnt, 'repo');
    await ok(`mkdir ${q(work)} && cd ${q(REPO)} && git ls-files -z src test proto scripts package.json tsconfig.json | xargs -0 cp --parents -t ${q(work)}`);
    const files = Number((await ok(`cd ${q(work)} && find . -type f | wc -l`)).trim());
    assert(files > 50, `only ${files} files copied`);
    const git = `git -c user.name=t -c user.email=t@example.com -c init.defaultBranch=main -c gc.auto=0`;
    await ok(`cd ${q(work)} && ${git} init -q && ${git} add . && ${git} commit -q -m 'source in dfs' && ${git} fsck --full --strict`, 300);
    assert.equal(Number((await ok(`cd ${q(work)} && git ls-files | wc -l`)).trim()), files);
    assert.equal(await ok(`cd ${q(work)} && git status --porcelain`), '');
    assert.match(await ok(`cd ${q(work)} && git log --oneline`), /source in dfs/);
    // a second commit that changes and renames files, then a checkout back to the first
    await ok(`cd ${q(work)} && echo change >> package.json && git mv tsconfig.json tsconfig2.json && ${git} commit -q -am two && ${git} checkout -q HEAD~1 && git status --porcelain && test -f tsconfig.json && ${git} fsck --strict`, 300);
  });

  test('Mount apps: rsync -aHAX of hard links, symlinks, xattrs and special files into the mount and back: diff -r and getfattr identical', async () => {
    const src = join(dir, 'rsync-src');
    const back = join(dir, 'rsync-back');
    const inMount = join(mnt, 'rsync');
    await ok([
      `mkdir -p ${q(src)}/d/e ${q(src)}/empty && cd ${q(src)}`,
      `head -c 300000 /dev/urandom > big && printf 'hello' > d/small && : > d/e/zero`,
      `ln big d/big-link && ln d/small d/e/small-link && ln d/small small-link2`,
      `ln -s big sym && ln -s ../../big d/e/up && ln -s missing dangling`,
      `mkfifo -m 640 fifo && mknod chr c 1 3 && mknod blk b 8 1 && python3 -c "import socket; s = socket.socket(socket.AF_UNIX); s.bind('sock')"`,
      `setfattr -n user.color -v blue big && setfattr -n user.bin -v 0x00ff00 d/small && setfattr -n user.dir -v yes d && setfattr -n trusted.t -v root d/e/zero`,
      `chmod 600 d/small && chmod 1777 empty && chown 1234:567 big && touch -h -d '2001-02-03 04:05:06' sym`,
    ].join(' && '));
    const rsync = 'rsync -aHAX --numeric-ids';
    await ok(`${rsync} ${q(src)}/ ${q(inMount)}/ && ${rsync} ${q(inMount)}/ ${q(back)}/`, 180);
    for (const copy of [inMount, back]) {
      // diff -r says "File a is a fifo while file b is a fifo" even for equal special files: those are compared below
      const d = await sh(`diff -r --no-dereference ${q(src)} ${q(copy)}`, 60);
      const rest = d.stdout.split('\n').filter((l) => l && !/^File .* is a (fifo|character special file|block special file|socket) while file .* is a \1$/.test(l));
      assert.deepEqual(rest, [], `diff -r ${src} ${copy}:\n${d.stdout}${d.stderr}`);
      assert.equal(d.stderr, '');
      // type, mode, link count, owner, size, target, rdev; then the hard link pairs (by inode)
      const listing = (root: string): Promise<string> => ok(`cd ${q(root)} && find . ! -type d -printf '%p %y %m %n %U:%G %s %l\\n' | sort && find . -type d -printf '%p %m %n %U:%G\\n' | sort && stat -c '%n %t:%T' chr blk && find . -type f -printf '%i %p\\n' | sort -k1,1n -k2 | awk '{ if ($1 == last) printf "%s = %s\\n", prev, $2; last = $1; prev = $2 }' | sort`);
      assert.equal(await listing(copy), await listing(src), `metadata of ${copy}`);
      const attrs = (root: string): Promise<string> => ok(`cd ${q(root)} && find . -print0 | sort -z | xargs -0 getfattr -h -d -m '^(user|trusted)\\.' -e hex`);
      assert.equal(await attrs(copy), await attrs(src), `getfattr of ${copy}`);
    }
    // a second rsync into the mount finds nothing to transfer
    const again = await ok(`${rsync} --itemize-changes ${q(src)}/ ${q(inMount)}/`);
    assert.equal(again.split('\n').filter((l) => l && !l.startsWith('.d') && !l.startsWith('.L')).join('\n'), '', `second rsync changed:\n${again}`);
  });

  // rsync sets the mtime with the atime UTIME_OMIT: a setattr with one time only, which libfuse 2.9
  // passed to nobody until the binding set flag_utime_omit_ok.
  test('Mount apps: rsync -aHAX keeps the mtimes of files, links and special files', async () => {
    const mtimes = (root: string): Promise<string> => ok(`cd ${q(root)} && find . ! -type d -exec stat -c '%n %Y' {} + | sort`);
    const expected = await mtimes(join(dir, 'rsync-src'));
    assert.equal(await mtimes(join(mnt, 'rsync')), expected, 'mtimes in the mount');
    assert.equal(await mtimes(join(dir, 'rsync-back')), expected, 'mtimes copied back');
  });

  test('Mount apps: sqlite3 creates, fills and queries a database in the mount (rollback journal and WAL)', async () => {
    const db = join(mnt, 'sqlite');
    await ok(`mkdir ${q(db)}`);
    for (const mode of ['DELETE', 'WAL']) {
      const file = join(db, `${mode}.db`);
      const sql = [
        `PRAGMA journal_mode=${mode};`,
        'CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, v BLOB);',
        'CREATE INDEX t_name ON t(name);',
        'BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) INSERT INTO t SELECT i, printf(\'name%05d\', i), randomblob(200) FROM n; COMMIT;',
        "UPDATE t SET name = 'x' || name WHERE id % 7 = 0;",
        'DELETE FROM t WHERE id % 11 = 0;',
        'PRAGMA wal_checkpoint(TRUNCATE);',
      ].join('\n');
      await ok(`sqlite3 ${q(file)} ${q(sql)} > /dev/null`, 180);
      const out = await ok(`sqlite3 ${q(file)} 'PRAGMA integrity_check;' 'SELECT count(*), sum(id), count(DISTINCT name) FROM t;' "SELECT count(*) FROM t WHERE name LIKE 'x%';" 'PRAGMA journal_mode;'`, 120);
      const kept = Array.from({ length: 5000 }, (_, i) => i + 1).filter((i) => i % 11 !== 0);
      const renamed = kept.filter((i) => i % 7 === 0).length;
      assert.equal(out, `ok\n${kept.length}|${kept.reduce((a, b) => a + b, 0)}|${kept.length}\n${renamed}\n${mode.toLowerCase()}\n`, `${mode}: ${out}`);
    }
  });

  test('Mount apps: O_APPEND from two processes at once never overwrites a record', async () => {
    const file = join(mnt, 'append.log');
    const RECORDS = 400;
    const RECORD_BYTES = 1000;
    const writer = (tag: string): string =>
      `python3 -c ${q(`import os\nfd = os.open(${JSON.stringify(file)}, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)\nfor i in range(${RECORDS}):\n    rec = ('${tag}%05d' % i).encode().ljust(${RECORD_BYTES - 1}, b'.') + b'\\n'\n    assert os.write(fd, rec) == len(rec)\nos.close(fd)`)}`;
    await ok(`${writer('A')} & a=$!; ${writer('B')} & b=$!; wait $a && wait $b`, 180);
    const check = await ok(`python3 -c ${q(`
data = open(${JSON.stringify(file)}, 'rb').read()
recs = [data[i:i + ${RECORD_BYTES}] for i in range(0, len(data), ${RECORD_BYTES})]
bad = [r[:20] for r in recs if len(r) != ${RECORD_BYTES} or not r.endswith(b'\\n') or r[1:6].decode(errors='replace') not in ['%05d' % i for i in range(${RECORDS})]]
seen = {t: sorted(int(r[1:6]) for r in recs if r[:1] == t) for t in (b'A', b'B')}
print(len(data), len(bad), seen[b'A'] == list(range(${RECORDS})), seen[b'B'] == list(range(${RECORDS})))`)}`);
    assert.equal(check.trim(), `${2 * RECORDS * RECORD_BYTES} 0 True True`);
  });

  test('Mount apps: a shared writable mapping writes back through the page cache, and msync persists it to the cluster', async () => {
    const name = 'mapped.bin';
    const file = join(mnt, name);
    const SIZE = 3 * 65536 + 1234;
    // the child maps the file, writes two regions, msyncs, and waits (mapping still open) until told to go on
    const child = spawn('timeout', ['-s', 'KILL', '120', 'python3', '-u', '-c', `
import mmap, os, sys
fd = os.open(${JSON.stringify(file)}, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
os.ftruncate(fd, ${SIZE})
m = mmap.mmap(fd, ${SIZE}, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
m[0:5] = b'first'
m[70000:70000 + 4096] = b'p' * 4096
m[${SIZE} - 4:${SIZE}] = b'last'
m.flush()
print('synced', flush=True)
sys.stdin.readline()
m[100:104] = b'late'
m.close()
os.close(fd)
print('closed', flush=True)
`], { stdio: ['pipe', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const waitLine = (want: string): Promise<void> => new Promise((res, rej) => {
      const onData = (d: Buffer): void => {
        lines.push(...d.toString().split('\n').filter(Boolean));
        if (lines.includes(want)) { child.stdout.off('data', onData); res(); }
      };
      child.stdout.on('data', onData);
      child.once('exit', (code) => (lines.includes(want) ? res() : rej(new Error(`child exited ${code} before '${want}': ${stderr}`))));
    });
    const client = cm!.cluster.client();
    const readAll = async (): Promise<Buffer> => {
      const attr = await client.stat(`/${name}`);
      return client.readRange(Number(attr.ino), 0, Number(attr.size));
    };
    try {
      await waitLine('synced');
      const synced = await readAll(); // another client: what the chunkservers hold, mapping still open
      assert.equal(synced.length, SIZE);
      assert.equal(synced.subarray(0, 5).toString(), 'first');
      assert(synced.subarray(70000, 70000 + 4096).equals(Buffer.alloc(4096, 'p')), 'the page written through the mapping');
      assert.equal(synced.subarray(SIZE - 4).toString(), 'last');
      assert(synced.subarray(5, 70000).equals(Buffer.alloc(70000 - 5)), 'untouched bytes stay zero');
      child.stdin.write('go\n');
      await waitLine('closed');
      client.invalidate(Number((await client.stat(`/${name}`)).ino));
      const closed = await readAll(); // written back at munmap/close without msync
      assert.equal(closed.subarray(100, 104).toString(), 'late');
      assert.equal(closed.length, SIZE);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
