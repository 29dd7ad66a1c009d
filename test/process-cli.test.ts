/**
 * End-to-end on the built executable: `dfs master` and three `dfs chunkserver` as separate OS
 * processes, driven by the CLI. Faults: kill -9 of the master (restart keeps the namespace and
 * the chunkservers re-register by themselves), a client killed in the middle of a put.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { spawnDfs, runDfs, killAll, writeTestConfig, waitForAlive as waitForAliveAt, DFS_BIN, BIN_SHIM, type Proc } from './helpers/procs';
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { sleep } from '../src/common/clock';

let dir: string;
let cfg: string;
let master: Proc;
let masterAddress: string;

async function startMaster(listen: string): Promise<void> {
  master = spawnDfs(['master', '--config', cfg, '--listen', listen, '--meta-dir', join(dir, 'meta')]);
  const m = await master.waitFor(/listening on (\S+)/);
  masterAddress = m[1];
}

const waitForAlive = (n: number): Promise<void> => waitForAliveAt(cfg, masterAddress, n);

const dfs = (...args: string[]) => runDfs([...args, '--config', cfg, '--master', masterAddress]);

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dfs-proc-'));
  cfg = await writeTestConfig(dir);
  await startMaster('127.0.0.1:0');
  for (let i = 0; i < 3; i++) {
    const cs = spawnDfs(['chunkserver', '--config', cfg, '--master', masterAddress, '--listen', '127.0.0.1:0', '--data-dir', join(dir, `cs${i}`), '--id', `cs${i}`]);
    void cs;
  }
  await waitForAlive(3);
});

after(async () => {
  await killAll();
  await rm(dir, { recursive: true, force: true });
});

test('Processes: put/get/ls/mv/rm/stat through the CLI', async () => {
  const local = join(dir, 'in.bin');
  const data = randomBytes(5 * 1024 * 1024 + 77);
  await writeFile(local, data);
  let r = await dfs('mkdir', '-p', '/docs/sub');
  assert.equal(r.code, 0, r.stderr);
  r = await dfs('put', '--chunk-size', '1M', local, '/docs/a.bin');
  assert.equal(r.code, 0, r.stderr);
  r = await dfs('ls', '/docs');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout.toString(), /a\.bin/);
  assert.match(r.stdout.toString(), new RegExp(String(data.length)));
  r = await dfs('ls', '-R', '/');
  assert.match(r.stdout.toString(), /sub/);
  const out = join(dir, 'out.bin');
  r = await dfs('get', '/docs/a.bin', out);
  assert.equal(r.code, 0, r.stderr);
  assert.ok((await readFile(out)).equals(data), 'get returns the same bytes');
  r = await dfs('mv', '/docs/a.bin', '/docs/sub/b.bin');
  assert.equal(r.code, 0, r.stderr);
  r = await dfs('cat', '/docs/sub/b.bin');
  assert.ok(r.stdout.equals(data), 'cat after mv');
  r = await dfs('stat', '/docs/sub/b.bin');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout.toString(), new RegExp(String(data.length)));
  r = await dfs('stat', '/nope');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /dfs: cannot stat '\/nope': No such file or directory/);
  r = await dfs('rm', '/docs');
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /Is a directory/);
  r = await dfs('rm', '-r', '/docs');
  assert.equal(r.code, 0, r.stderr);
  r = await dfs('ls', '/');
  assert.doesNotMatch(r.stdout.toString(), /docs/);
});

test('Processes: a put asking more replicas than live chunkservers succeeds and warns on stderr', async () => {
  const local = join(dir, 'rep.txt');
  await writeFile(local, 'x'.repeat(1000));
  let r = await dfs('put', '--replication', '5', local, '/rep5');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr.trim(), "dfs: warning: '/rep5' is stored with 3 of 5 replicas (not enough live chunkservers); the master adds the others when servers join");
  r = await dfs('put', '--replication', '3', local, '/rep3');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '', 'no warning at the goal');
});

test('Processes: operands after -- may start with a dash (put, cat, rm)', async () => {
  const local = join(dir, '-dashed');
  await writeFile(local, 'dash');
  let r = await runDfs(['put', '--config', cfg, '--master', masterAddress, '--', local, '/-dashed']);
  assert.equal(r.code, 0, r.stderr);
  r = await runDfs(['cat', '--config', cfg, '--master', masterAddress, '--', '/-dashed']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.toString(), 'dash');
  r = await runDfs(['rm', '--skip-trash', '--config', cfg, '--master', masterAddress, '--', '/-dashed']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await dfs('stat', '/-dashed')).code, 1);
});

test('Processes: setrep changes a file\'s goal and -w waits for it; a goal above the live chunkservers warns, and -w then fails at once', async () => {
  const local = join(dir, 'setrep.txt');
  await writeFile(local, 'y'.repeat(5000));
  assert.equal((await dfs('put', local, '/sr')).code, 0);
  let r = await dfs('setrep', '2', '/sr', '-w');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout.toString(), /Replication 2 set: \/sr\n.*Waiting for \/sr to reach replication 2 \.\.\.\ndone/s);
  assert.match((await dfs('stat', '/sr')).stdout.toString(), /Replication:\s+2/);
  r = await dfs('setrep', '5', '/sr', '-w');
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim(), 'dfs: warning: only 3 live chunkservers: chunks stay below 5 replicas until more join');
  r = await dfs('setrep', '3', '/sr', '-w');
  assert.equal(r.code, 0, r.stderr);
});

test('Processes: ls -R lists depth first with a blank line between sections, as coreutils', async () => {
  assert.equal((await dfs('mkdir', '-p', '/lr/a/x', '/lr/b')).code, 0);
  const r = await dfs('ls', '-R', '/lr');
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.toString().split('\n');
  const headers = lines.map((l, i) => [l, i] as const).filter(([l]) => l.endsWith(':'));
  assert.deepEqual(headers.map(([l]) => l), ['/lr:', '/lr/a:', '/lr/a/x:', '/lr/b:']);
  for (const [, i] of headers.slice(1)) assert.equal(lines[i - 1], '', `a blank line before ${lines[i]}`);
  assert.equal((await dfs('rm', '-r', '--skip-trash', '/lr')).code, 0);
});

test('Processes: rm of a path too long for the trash says so and creates nothing in the trash; --skip-trash removes it', async () => {
  const dirs = Array.from({ length: 19 }, (_, i) => `${String.fromCharCode(97 + i)}`.repeat(200));
  const parent = `/longp/${dirs.join('/')}`;
  const file = `${parent}/${'c'.repeat(255)}`;
  assert.ok(Buffer.byteLength(file) > 4096 - 25 && Buffer.byteLength(file) <= 4096);
  assert.equal((await dfs('mkdir', '-p', parent)).code, 0);
  assert.equal((await runDfs(['put', '-', file, '--config', cfg, '--master', masterAddress], { input: 'x' })).code, 0);
  const trashBefore = (await dfs('ls', '-R', '/.trash')).stdout.toString();
  let r = await dfs('rm', file);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /File name too long \(its path in the trash would be over 4096 bytes, use --skip-trash\)/);
  assert.equal((await dfs('ls', '-R', '/.trash')).stdout.toString(), trashBefore, 'no bucket folders made');
  r = await dfs('rm', '--skip-trash', file);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await dfs('rm', '-r', '--skip-trash', '/longp')).code, 0);
});

test('Processes: safe mode entered by hand makes the namespace read-only (EROFS), as HDFS; reads go on; leave ends it', async () => {
  assert.equal((await runDfs(['put', '-', '/ro-before', '--config', cfg, '--master', masterAddress], { input: 'kept' })).code, 0);
  let r = await dfs('safemode', 'enter');
  assert.equal(r.code, 0, r.stderr);
  try {
    r = await runDfs(['put', '-', '/ro-new', '--config', cfg, '--master', masterAddress], { input: 'x' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot put '\/ro-new': Read-only file system/);
    r = await dfs('mkdir', '/ro-dir');
    assert.match(r.stderr, /cannot create directory '\/ro-dir': Read-only file system/);
    // a put of several chunks names the refusal too (the failed chunk's error, not 'Interrupted'), at once
    const big = join(dir, 'ro-big');
    await writeFile(big, Buffer.alloc(5 * 1024 * 1024));
    r = await dfs('put', '--chunk-size', '1M', big, '/ro-big');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot put '\/ro-big': Read-only file system/);
    assert.doesNotMatch(r.stderr, /retrying/);
    assert.equal((await dfs('rm', '--skip-trash', '/ro-before')).code, 1);
    r = await dfs('cat', '/ro-before');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.toString(), 'kept');
  } finally {
    r = await dfs('safemode', 'leave');
    assert.equal(r.code, 0, r.stderr);
  }
  assert.equal((await runDfs(['put', '-', '/ro-new', '--config', cfg, '--master', masterAddress], { input: 'x' })).code, 0);
  assert.equal((await dfs('rm', '--skip-trash', '/ro-before', '/ro-new')).code, 0);
});

test('Processes: a trailing slash names a folder: rm, mv, cat, stat and get of file/ fail with ENOTDIR and leave the file', async () => {
  assert.equal((await runDfs(['put', '-', '/slashf', '--config', cfg, '--master', masterAddress], { input: 'data' })).code, 0);
  for (const [args, action] of [[['rm', '/slashf/'], "cannot remove '/slashf/'"], [['rm', '--skip-trash', '/slashf/'], "cannot remove '/slashf/'"],
    [['mv', '/slashf/', '/slashg'], "cannot move '/slashf/'"], [['cat', '/slashf/'], '/slashf/'], [['stat', '/slashf/'], "cannot stat '/slashf/'"],
    [['get', '/slashf/', '-'], '/slashf/'], [['setrep', '2', '/slashf/'], "cannot set replication of '/slashf/'"]] as const) {
    const r = await dfs(...args);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(r.stderr.includes(action) && r.stderr.includes('Not a directory'), `${args.join(' ')}: ${r.stderr}`);
  }
  assert.equal((await dfs('cat', '/slashf')).stdout.toString(), 'data');
  assert.equal((await dfs('mkdir', '/slashd')).code, 0);
  assert.equal((await dfs('ls', '/slashd/')).code, 0);
  assert.equal((await dfs('rm', '-r', '--skip-trash', '/slashd/', '/slashf')).code, 0);
});

test('Processes: a decommission that leaves fewer servers in service than the replication goal warns that it cannot finish', async () => {
  let r = await dfs('decommission', 'cs2');
  try {
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: only 2 chunkservers stay in service, fewer than the replication goal 3/);
  } finally {
    r = await dfs('recommission', 'cs2');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
  }
});

test('Processes: put and get through stdin and stdout', async () => {
  const data = randomBytes(3 * 1024 * 1024);
  let r = await runDfs(['put', '-', '/stdin.bin', '--config', cfg, '--master', masterAddress], { input: data });
  assert.equal(r.code, 0, r.stderr);
  r = await dfs('get', '/stdin.bin', '-');
  assert.ok(r.stdout.equals(data));
});

test('Processes: kill -9 of the master; restart keeps the namespace, chunkservers re-register by themselves', async () => {
  const data = randomBytes(2 * 1024 * 1024 + 5);
  const local = join(dir, 'keep.bin');
  await writeFile(local, data);
  let r = await dfs('put', '--chunk-size', '1M', local, '/keep.bin');
  assert.equal(r.code, 0, r.stderr);
  await dfs('mkdir', '/kept-dir');
  const port = masterAddress.split(':')[1];
  master.child.kill('SIGKILL');
  await master.exited;
  await startMaster(`127.0.0.1:${port}`);
  await waitForAlive(3);
  r = await dfs('ls', '/');
  assert.match(r.stdout.toString(), /keep\.bin/);
  assert.match(r.stdout.toString(), /kept-dir/);
  r = await dfs('cat', '/keep.bin');
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.equals(data), 'the file reads back after the master restart');
});

test('Processes: a put rides out a kill -9 and restart of the master in its middle', async () => {
  const child = spawn(process.execPath, [DFS_BIN, 'put', '--chunk-size', '1M', '-', '/across.bin', '--config', cfg, '--master', masterAddress], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<number | null>((r) => child.on('exit', r));
  const parts: Buffer[] = [];
  const feed = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) {
      const part = randomBytes(512 * 1024);
      parts.push(part);
      child.stdin!.write(part);
      await sleep(100);
    }
  };
  await feed(8); // a few chunks in
  const port = masterAddress.split(':')[1];
  master.child.kill('SIGKILL');
  await master.exited;
  await feed(40); // the master is down meanwhile, longer than the retries of a chunk write last
  await startMaster(`127.0.0.1:${port}`);
  await feed(8);
  child.stdin!.end();
  assert.equal(await exited, 0, `put across the restart: ${stderr}`);
  const r = await dfs('cat', '/across.bin');
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.equals(Buffer.concat(parts)), 'the whole stream, in order');
});

test('Processes: a put killed midway leaves no visible file, and the next put of the path works', async () => {
  const child = spawn(process.execPath, [DFS_BIN, 'put', '--chunk-size', '1M', '-', '/partial.bin', '--config', cfg, '--master', masterAddress], { stdio: ['pipe', 'ignore', 'ignore'] });
  const exited = new Promise((r) => child.on('exit', r));
  child.stdin!.on('error', () => {}); // writes pending at the kill fail with EPIPE
  for (let i = 0; i < 5; i++) {
    child.stdin!.write(randomBytes(1024 * 1024));
    await sleep(100);
  }
  child.kill('SIGKILL');
  await exited;
  let r = await dfs('stat', '/partial.bin');
  assert.equal(r.code, 1, 'no half file is visible');
  r = await dfs('ls', '/');
  assert.doesNotMatch(r.stdout.toString(), /partial/);
  const data = randomBytes(1500);
  r = await runDfs(['put', '-', '/partial.bin', '--config', cfg, '--master', masterAddress], { input: data });
  assert.equal(r.code, 0, r.stderr);
  r = await dfs('cat', '/partial.bin');
  assert.ok(r.stdout.equals(data));
});

test('Processes: a bad config value is reported with its key', async () => {
  const bad = join(dir, 'bad.json');
  await writeFile(bad, JSON.stringify({ cluster: { replication: 'many' } }));
  const r = await runDfs(['ls', '/', '--config', bad]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /cluster\.replication/);
});

test('Processes: --http-listen "" turns the HTTP listener off (an empty option value is not 0)', async () => {
  const m = spawnDfs(['master', '--config', cfg, '--listen', '127.0.0.1:0', '--meta-dir', join(dir, 'meta-nohttp'), '--http-listen', '']);
  try {
    await m.waitFor(/listening on (\S+)/);
  } finally {
    m.child.kill('SIGKILL');
    await m.exited;
  }
});

test('Processes: dfs umount of a folder that is not mounted, or not there, says so', async () => {
  let r = await runDfs(['umount', dir]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim(), `dfs: cannot unmount '${dir}': not mounted`);
  r = await runDfs(['umount', join(dir, 'no-such-folder')]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim(), `dfs: cannot unmount '${join(dir, 'no-such-folder')}': No such file or directory`);
});

test('Processes: a command with no master to reach says where it looked, once', async () => {
  // a port that was free a moment ago: nothing listens there
  const port = await new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
  for (const args of [['ls', '/'], ['mkdir', '/nowhere'], ['cat', '/x']]) {
    const r = await runDfs([...args, '--config', cfg, '--master', `127.0.0.1:${port}`]);
    assert.notEqual(r.code, 0);
    const hints = r.stderr.split('\n').filter((l) => l === `dfs: is the master running at 127.0.0.1:${port}?`);
    assert.equal(hints.length, 1, `${args.join(' ')}: ${r.stderr}`);
  }
});

test('Processes: a second master or chunkserver on a folder in use is refused, naming the holder; a dead holder\'s folder is taken over', async () => {
  let r = await runDfs(['master', '--config', cfg, '--listen', '127.0.0.1:0', '--meta-dir', join(dir, 'meta'), '--http-listen', '']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`^dfs: master: ${join(dir, 'meta')} is in use by another process \\(pid ${master.child.pid}\\)`, 'm'));
  r = await runDfs(['chunkserver', '--config', cfg, '--master', masterAddress, '--listen', '127.0.0.1:0', '--data-dir', join(dir, 'cs0')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^dfs: chunkserver: .*cs0 is in use by another process \(pid \d+\): one chunkserver per folder$/m);
  await waitForAlive(3); // nothing of the refused one reached the master
  const lone = join(dir, 'cs-lone');
  const cs = spawnDfs(['chunkserver', '--config', cfg, '--master', masterAddress, '--listen', '127.0.0.1:0', '--data-dir', lone, '--id', 'lone']);
  await waitForAlive(4);
  cs.child.kill('SIGKILL');
  await cs.exited;
  const again = spawnDfs(['chunkserver', '--config', cfg, '--master', masterAddress, '--listen', '127.0.0.1:0', '--data-dir', lone, '--id', 'lone']);
  try {
    await again.waitFor(/listening on (\S+)/);
  } finally {
    again.child.kill('SIGKILL');
    await again.exited;
  }
});

test('Processes: a server that cannot start says why: its address in use, a folder that cannot be made', async () => {
  let r = await runDfs(['master', '--config', cfg, '--listen', masterAddress, '--meta-dir', join(dir, 'meta-busy-port'), '--http-listen', '']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`^dfs: master: cannot listen on ${masterAddress}: .*EADDRINUSE`, 'm'));
  // grpc-js's own line for it ("E No address added out of total 1 resolved") is not printed too
  assert.doesNotMatch(r.stderr, /No address added|^E /m);
  r = await runDfs(['chunkserver', '--config', cfg, '--master', masterAddress, '--listen', masterAddress, '--data-dir', join(dir, 'cs-busy-port'), '--http-listen', '']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`^dfs: chunkserver: cannot listen on ${masterAddress}: .*EADDRINUSE`, 'm'));
  assert.doesNotMatch(r.stderr, /No address added|^E /m);
  r = await runDfs(['master', '--config', cfg, '--listen', '127.0.0.1:0', '--meta-dir', '/proc/dfs-no-such-folder', '--http-listen', ''], { timeoutMs: 20_000 });
  assert.equal(r.code, 1, 'exits (Node\'s recursive mkdirSync spun forever on it)');
  assert.match(r.stderr, /^dfs: master: cannot create \/proc\/dfs-no-such-folder: /m);
});

test('Processes: dfs rm --skip-trash A B removes both (a kebab-case boolean flag takes no value)', async () => {
  const local = join(dir, 'small.txt');
  await writeFile(local, 'x');
  for (const p of ['/st1', '/st2']) assert.equal((await dfs('put', local, p)).code, 0);
  const r = await dfs('rm', '--skip-trash', '/st1', '/st2');
  assert.equal(r.code, 0, r.stderr);
  for (const p of ['/st1', '/st2']) assert.equal((await dfs('stat', p)).code, 1, `${p} is gone`);
  assert.doesNotMatch((await dfs('ls', '-R', '/')).stdout.toString(), /st[12]/, 'nothing went to the trash');
});

test('Processes: mv of a folder to NEW/ renames it; a file to a missing folder/ is ENOTDIR; put of an unreadable file fails cleanly', async () => {
  assert.equal((await dfs('mkdir', '/mvs')).code, 0);
  let r = await dfs('mv', '/mvs', '/mvd/');
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await dfs('stat', '/mvd')).code, 0);
  const open = await mkdtemp(join(tmpdir(), 'dfs-proc-open-'));
  try {
    await chmod(open, 0o755); // an unprivileged user gets as far as opening the file
    const local = join(open, 'unreadable.txt');
    await writeFile(local, 'secret', { mode: 0o600 });
    const config = join(open, 'dfs.config.json');
    await writeFile(config, await readFile(cfg), { mode: 0o644 });
    assert.equal((await dfs('put', local, '/mvf')).code, 0);
    r = await dfs('mv', '/mvf', '/nowhere/');
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), "dfs: cannot move '/mvf' to '/nowhere/': Not a directory");
    // as an unprivileged user, who cannot read it (root could): one line, no stack trace
    const res = spawnSync(process.execPath, [DFS_BIN, 'put', local, '/unr', '--config', config, '--master', masterAddress], { uid: 65534, gid: 65534, encoding: 'utf8', timeout: 30_000 });
    assert.equal(res.status, 1, res.stderr);
    assert.equal(res.stderr.trim(), `dfs: cannot open '${local}': Permission denied`);
  } finally {
    await rm(open, { recursive: true, force: true });
  }
});

test('Processes: a bad DFS_LOG_LEVEL is a configuration error naming it, not a crash', async () => {
  const r = await runDfs(['ls', '/', '--config', cfg, '--master', masterAddress], { env: { DFS_LOG_LEVEL: 'loud' } });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^dfs: bad config value at "log\.level": .*'loud'/m);
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace');
});

test('Processes: a master that stood still longer than deadAfterMs (SIGSTOP) declares no chunkserver dead when it resumes', async () => {
  const m = spawnDfs(['master', '--config', cfg, '--listen', '127.0.0.1:0', '--meta-dir', join(dir, 'meta-stall'), '--log-level', 'info']);
  const address = (await m.waitFor(/listening on (\S+)/))[1];
  const cs = spawnDfs(['chunkserver', '--config', cfg, '--master', address, '--listen', '127.0.0.1:0', '--data-dir', join(dir, 'cs-stall'), '--id', 'stall']);
  try {
    await m.waitFor(/server stall: \w+ -> ALIVE/);
    m.child.kill('SIGSTOP');
    await sleep(4_500); // cluster.deadAfterMs is 3000 in the test configuration
    m.child.kill('SIGCONT');
    await sleep(1_500); // a few maintenance rounds after the heartbeats were read
    assert.doesNotMatch(m.stderr(), /ALIVE -> DEAD/);
    const r = await runDfs(['nodes', '--config', cfg, '--master', address]);
    assert.match(r.stdout.toString(), /stall .* ALIVE/);
  } finally {
    for (const p of [cs, m]) {
      p.child.kill('SIGKILL');
      await p.exited;
    }
  }
});

test('Processes: bin/dfs, the installed executable, runs the built CLI', () => {
  const out = execFileSync(BIN_SHIM, ['ls', '/', '--config', cfg, '--master', masterAddress], { encoding: 'utf8', timeout: 30_000 });
  assert.match(out, /partial\.bin/);
});
