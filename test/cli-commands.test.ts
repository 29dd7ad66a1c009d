/**
 * The CLI as a separate process (the compiled src/cli.js next to this test) against an
 * in-process cluster: operand handling (into directories, stdin/stdout), coreutils-style
 * messages, exit statuses (1 failure, 2 usage), and that a failed get leaves no file behind.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { lstat, mkdtemp, readFile, readdir, rm, symlink, writeFile, mkdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { TestCluster } from './helpers/cluster';
import { AdminClient, cmdSetrep } from '../src/client/cli-admin';
import type { Io } from '../src/client/cli-commands';
import type { DfsClient } from '../src/client/dfs-client';
import { DfsError } from '../src/common/errors';

const CLI = join(__dirname, '../src/cli.js');
let cluster: TestCluster;
let dir: string;

interface Run { code: number; stdout: Buffer; stderr: string }

const sh = (command: string): Promise<unknown> => promisify(execFile)('sh', ['-c', command], { timeout: 10_000 });

function dfs(args: string[], input?: Buffer): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args, '--master', cluster.masterAddress, '--log-level', 'warn'],
      { encoding: 'buffer', timeout: 30_000, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr: stderr.toString() }));
    child.stdin!.end(input);
  });
}

before(async () => {
  cluster = await TestCluster.start({ config: { 'cluster.chunkSizeBytes': 1024 * 1024 } });
  dir = await mkdtemp(join(tmpdir(), 'dfs-cli-'));
});

after(async () => {
  await cluster?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('CLI: put into a directory keeps the basename; get into a directory; stdin and stdout', async () => {
  const data = randomBytes(2 * 1024 * 1024 + 3);
  const local = join(dir, 'data.bin');
  await writeFile(local, data);
  assert.equal((await dfs(['mkdir', '-p', '/in/deep'])).code, 0);
  let r = await dfs(['put', '--chunk-size', '1M', local, '/in']);
  assert.equal(r.code, 0, r.stderr);
  r = await dfs(['ls', '-l', '/in']);
  assert.match(r.stdout.toString(), new RegExp(`^-rw-r--r-- +\\d+ +\\d+ +\\d+ +${data.length} \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d data\\.bin$`, 'm'));
  assert.match(r.stdout.toString(), /^drwxr-xr-x .* deep$/m);
  const out = join(dir, 'out');
  await mkdir(out);
  r = await dfs(['get', '/in/data.bin', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok((await readFile(join(out, 'data.bin'))).equals(data));
  r = await dfs(['put', '-', '/in/deep/piped.bin'], data);
  assert.equal(r.code, 0, r.stderr);
  r = await dfs(['get', '/in/deep/piped.bin', '-']);
  assert.ok(r.stdout.equals(data), 'get - writes the file to stdout');
  r = await dfs(['mv', '/in/deep/piped.bin', '/in']);
  assert.equal(r.code, 0, r.stderr);
  r = await dfs(['cat', '/in/piped.bin']);
  assert.ok(r.stdout.equals(data), 'mv into an existing directory keeps the name');
});

test('CLI: a failed get leaves no file, not even a temporary one', async () => {
  const out = join(dir, 'failed');
  await mkdir(out);
  const r = await dfs(['get', '/missing.bin', join(out, 'x.bin')]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim(), "dfs: cannot get '/missing.bin': No such file or directory");
  assert.deepEqual(await readdir(out), []);
  // a local folder that is not there is named, not the remote file (which exists)
  await dfs(['put', '-', '/there.bin'], Buffer.from('x'));
  const missing = join(dir, 'no-such-folder', 'x.bin');
  const r2 = await dfs(['get', '/there.bin', missing]);
  assert.equal(r2.code, 1);
  assert.equal(r2.stderr.trim(), `dfs: cannot create '${missing}': No such file or directory`);
});

test('CLI: get and cat of a file whose chunk no live server holds name the chunk and the cause', async () => {
  const client = cluster.client();
  try {
    await client.put(Readable.from([randomBytes(1000)]), '/lost.bin', { replication: 1 });
    const [chunk] = await client.locate('/lost.bin');
    const holder = Number(chunk.replicas[0].serverId.replace(/^cs/, ''));
    await cluster.stopChunkserver(holder);
    try {
      for (const deadline = Date.now() + 20_000; (await client.nodes()).find((n) => n.serverId === `cs${holder}`)?.state !== 'DEAD';) {
        assert.ok(Date.now() < deadline, `cs${holder} never declared dead`);
        await sleep(100);
      }
      const cause = `Input/output error (chunk 0 (handle ${chunk.handle}): no live replica)`;
      let r = await dfs(['get', '/lost.bin', join(dir, 'lost.bin')]);
      assert.equal(r.code, 1);
      assert.equal(r.stderr.trim(), `dfs: cannot get '/lost.bin': ${cause}`);
      r = await dfs(['cat', '/lost.bin']);
      assert.equal(r.code, 1);
      assert.equal(r.stderr.trim(), `dfs: /lost.bin: ${cause}`);
    } finally {
      await cluster.startChunkserver(holder);
      await cluster.waitForServers(3);
    }
  } finally {
    client.close();
  }
});

test('CLI: get into a device or a FIFO writes in place; into a symlink replaces the file it points to', async () => {
  const data = randomBytes(300_000);
  const local = join(dir, 'special-src.bin');
  await writeFile(local, data);
  assert.equal((await dfs(['put', local, '/special.bin'])).code, 0);
  const sub = join(dir, 'special');
  await mkdir(sub);
  // a character device like /dev/null (renaming a file over it would replace the device)
  const dev = join(sub, 'null');
  await sh(`mknod ${dev} c 1 3`);
  let r = await dfs(['get', '/special.bin', dev]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok((await lstat(dev)).isCharacterDevice(), 'still the device');
  // a FIFO: the reader gets the bytes
  const fifo = join(sub, 'fifo');
  await sh(`mkfifo ${fifo}`);
  const reading = readFile(fifo);
  r = await dfs(['get', '/special.bin', fifo]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok((await reading).equals(data));
  assert.ok((await lstat(fifo)).isFIFO());
  // a symlink to a file: the link stays, the file it points to gets the bytes
  const real = join(sub, 'real.bin');
  await writeFile(real, 'old');
  await symlink('real.bin', join(sub, 'link.bin'));
  r = await dfs(['get', '/special.bin', join(sub, 'link.bin')]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok((await lstat(join(sub, 'link.bin'))).isSymbolicLink());
  assert.ok((await readFile(real)).equals(data));
  assert.deepEqual((await readdir(sub)).sort(), ['fifo', 'link.bin', 'null', 'real.bin'], 'no temporary file left');
});

test('CLI: errors read like coreutils and exit 1; rm -f ignores missing files', async () => {
  await dfs(['mkdir', '/exists']);
  let r = await dfs(['mkdir', '/exists']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim(), "dfs: cannot create directory '/exists': File exists");
  r = await dfs(['rm', '/exists']);
  assert.equal(r.stderr.trim(), "dfs: cannot remove '/exists': Is a directory");
  r = await dfs(['stat', '/nope']);
  assert.equal(r.stderr.trim(), "dfs: cannot stat '/nope': No such file or directory");
  r = await dfs(['rm', '-f', '/nope']);
  assert.equal(r.code, 0, r.stderr);
  r = await dfs(['mkdir', '/a/b/c']);
  assert.equal(r.stderr.trim(), "dfs: cannot create directory '/a/b/c': No such file or directory");
  r = await dfs(['put', join(dir, 'no-such-local'), '/x']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /cannot stat '.*no-such-local': No such file or directory/);
});

test('CLI: usage errors exit 2 with a hint; unknown commands print help', async () => {
  let r = await dfs(['put', 'only-one']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Try 'dfs put --help'/);
  r = await dfs(['put', '--chunk-size', '12Q', 'a', '/b']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /invalid --chunk-size/);
  // a chunk size or replica count the master would refuse is a usage error, with the limit
  for (const [flag, value, expected] of [
    ['--chunk-size', '1000', 'at least 64K'], ['--chunk-size', '100K', 'a multiple of 64K'], ['--chunk-size', '8G', 'at most 4G'],
    ['--chunk-size', '0', 'at least 64K'],
    ['--replication', '33', 'at most 32'], ['--replication', '0', 'a positive integer'],
  ]) {
    r = await dfs(['put', flag, value, '-', '/limits.bin'], Buffer.from('x'));
    assert.equal(r.code, 2, `${flag} ${value}`);
    assert.ok(r.stderr.includes(`invalid ${flag}: '${value}' (expected ${expected})`), r.stderr);
  }
  // an empty value reaches the command as "" (cac alone made it 0, the CLI's marker must not leak)
  r = await dfs(['put', '--chunk-size', '', '-', '/empty-flag.bin'], Buffer.from('x'));
  assert.equal(r.code, 2);
  assert.match(r.stderr, /invalid --chunk-size: invalid size: ''/);
  assert.doesNotMatch(r.stderr, /\u0000/);
  r = await dfs(['ls', '--bogus-flag', '/']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Unknown option `--bogus-flag`/, 'named as typed, not camelCased');
  // before the command too: the unknown option does not take the command for its value
  for (const flag of ['--bogus', '-x']) {
    r = await dfs([flag, 'ls', '/']);
    assert.equal(r.code, 2, flag);
    assert.equal(r.stderr, `dfs: Unknown option \`${flag}\`\nTry 'dfs --help' for more information.\n`);
  }
  r = await dfs(['--log-format', 'json', 'ls', '-l', '/']);
  assert.equal(r.code, 0, `global options before the command still work: ${r.stderr}`);
  // a command's own option before the command is named (cac would give it the command word as value)
  for (const flag of ['-q', '-l', '--skip-trash']) {
    r = await dfs([flag, 'ls', '/']);
    assert.equal(r.code, 2, flag);
    assert.match(r.stderr, new RegExp(`^dfs: Option \`${flag}\` goes after the command`), flag);
  }
  r = await dfs(['decommission', 'no-such-node']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim(), "dfs: cannot decommission 'no-such-node': no such chunkserver (see 'dfs nodes')");
  r = await dfs(['frobnicate']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown command 'frobnicate'/);
  assert.match(r.stdout.toString(), /Commands:/);
  r = await dfs(['ls', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout.toString(), /Examples:/);
});

test('CLI: ls of several operands lists files first by name, then each folder under a PATH: header; a missing one fails, the others are listed', async () => {
  assert.equal((await dfs(['mkdir', '-p', '/lsm/a', '/lsm/b/sub'])).code, 0);
  for (const p of ['/lsm/a/one.txt', '/lsm/f.txt']) assert.equal((await dfs(['put', '-', p], Buffer.from('12345'))).code, 0);
  const names = (text: string): string[] => text.split('\n').map((l) => (l.includes(' ') ? l.slice(l.lastIndexOf(' ') + 1) : l));
  let r = await dfs(['ls', '/lsm/a', '/lsm/f.txt', '/lsm/b']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(names(r.stdout.toString()), ['/lsm/f.txt', '', '/lsm/a:', 'one.txt', '', '/lsm/b:', 'sub', '']);
  r = await dfs(['ls', '/lsm/a', '/lsm/nope', '/lsm/b']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim(), "dfs: cannot access '/lsm/nope': No such file or directory");
  assert.deepEqual(names(r.stdout.toString()), ['/lsm/a:', 'one.txt', '', '/lsm/b:', 'sub', '']);
  // one folder: no header, as before; -R over two operands: each tree in turn
  r = await dfs(['ls', '/lsm/a']);
  assert.deepEqual(names(r.stdout.toString()), ['one.txt', '']);
  r = await dfs(['ls', '-R', '/lsm/b', '/lsm/a']);
  assert.deepEqual(names(r.stdout.toString()), ['/lsm/b:', 'sub', '', '/lsm/b/sub:', '', '/lsm/a:', 'one.txt', '']);
});

test('CLI: upload and download are put and get by other names, listed as such in --help', async () => {
  const data = randomBytes(70_000);
  const local = join(dir, 'upload-src.bin');
  await writeFile(local, data);
  let r = await dfs(['upload', '--replication', '2', local, '/uploaded.bin']);
  assert.equal(r.code, 0, r.stderr);
  r = await dfs(['download', '/uploaded.bin', join(dir, 'downloaded.bin')]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok((await readFile(join(dir, 'downloaded.bin'))).equals(data));
  r = await dfs(['download', '-q', '/uploaded.bin', '-']);
  assert.ok(r.stdout.equals(data));
  r = await dfs(['upload', 'only-one']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Try 'dfs upload --help'/);
  const help = (await dfs(['--help'])).stdout.toString();
  assert.match(help, /^ {2}put <local> <remote> .*\(alias: upload\)$/m);
  assert.match(help, /^ {2}get <remote> <local> .*\(alias: download\)$/m);
});

test('CLI: nodes, df and config', async () => {
  let r = await dfs(['nodes']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.toString().split('\n').filter((l) => / ALIVE /.test(l)).length, 3);
  r = await dfs(['df']);
  assert.match(r.stdout.toString(), /CAPACITY +USED +FREE/);
  r = await dfs(['config']);
  assert.equal(JSON.parse(r.stdout.toString()).master.address, cluster.masterAddress, '--master shows in the effective config');
});

test('CLI: setrep -R goes on past an entry removed during the walk, and names the entry that failed', async () => {
  const client = cluster.client();
  await client.mkdir('/srr/sub', { parents: true });
  for (const name of ['/srr/a', '/srr/gone', '/srr/sub/b']) await client.put(Readable.from([Buffer.from(name)]), name, { replication: 3 });
  // stat of /srr/gone fails as it would for a file removed between the listing and the stat
  const racing = Object.create(client) as DfsClient;
  racing.stat = async (p: string) => {
    if (p === '/srr/gone') throw new DfsError('ENOENT', `no such file or directory: ${p}`);
    return client.stat(p);
  };
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const io: Io = {
    stdin: Readable.from([]), stdout: new Writable({ write(c, _e, cb) { out.push(c); cb(); } }),
    stderr: new Writable({ write(c, _e, cb) { err.push(c); cb(); } }), progress: false, onInterrupt: () => () => undefined,
  };
  const admin = new AdminClient(cluster.masterAddress, 5_000);
  try {
    assert.equal(await cmdSetrep(racing, admin, io, '2', '/srr', { recursive: true }), 0, Buffer.concat(err).toString());
  } finally { admin.close(); }
  assert.equal((await client.stat('/srr/a')).replication, 2);
  assert.equal((await client.stat('/srr/sub/b')).replication, 2);
  assert.doesNotMatch(Buffer.concat(out).toString(), /gone/);
  // any other failure names the entry, not the root
  racing.stat = async (p: string) => {
    if (p === '/srr/sub/b') throw new DfsError('EACCES', `permission denied: ${p}`);
    return client.stat(p);
  };
  const admin2 = new AdminClient(cluster.masterAddress, 5_000);
  try {
    assert.equal(await cmdSetrep(racing, admin2, io, '3', '/srr', { recursive: true }), 1);
  } finally { admin2.close(); }
  assert.match(Buffer.concat(err).toString(), /cannot set replication of '\/srr\/sub\/b': Permission denied/);
});

test('CLI: cat and get follow symbolic links (absolute, relative, chained); a loop is ELOOP, a fifo is named', async () => {
  const client = cluster.client();
  await client.mkdir('/links/sub', { parents: true });
  await client.put(Readable.from([Buffer.from('linked data\n')]), '/links/sub/target.txt');
  await client.symlink('/links/abs', '/links/sub/target.txt');
  await client.symlink('/links/rel', 'sub/target.txt');
  await client.symlink('/links/sub/up', '../rel');
  await client.symlink('/links/loop1', 'loop2');
  await client.symlink('/links/loop2', 'loop1');
  for (const p of ['/links/abs', '/links/rel', '/links/sub/up']) {
    const r = await dfs(['cat', p]);
    assert.equal(r.code, 0, `${p}: ${r.stderr}`);
    assert.equal(r.stdout.toString(), 'linked data\n', p);
  }
  const out = join(dir, 'via-link.txt');
  assert.equal((await dfs(['get', '/links/sub/up', out])).code, 0);
  assert.equal(await readFile(out, 'utf8'), 'linked data\n');
  const loop = await dfs(['cat', '/links/loop1']);
  assert.equal(loop.code, 1);
  assert.match(loop.stderr, /Too many levels of symbolic links/);
  await client.mknod('/links/fifo', { type: 'FIFO', mode: 0o644 });
  const fifo = await dfs(['cat', '/links/fifo']);
  assert.equal(fifo.code, 1);
  assert.match(fifo.stderr, /\/links\/fifo: Invalid argument/);
});

test('CLI: setrep on a folder without -R changes every file under it and the folders\' default, as hdfs', async () => {
  const client = cluster.client();
  await client.mkdir('/srd/sub', { parents: true });
  for (const name of ['/srd/a', '/srd/sub/b']) await client.put(Readable.from([Buffer.from(name)]), name, { replication: 3 });
  const r = await dfs(['setrep', '2', '/srd']);
  assert.equal(r.code, 0, r.stderr);
  for (const p of ['/srd/a', '/srd/sub/b', '/srd', '/srd/sub']) assert.equal((await client.stat(p)).replication, 2, p);
});
