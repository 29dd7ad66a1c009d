import { test } from 'node:test';
import { Readable, Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import assert from 'node:assert/strict';
import { DfsError } from '../src/common/errors';
import { normalizePath } from '../src/common/paths';
import {
  parseSize, formatBytes, modeString, formatListing, formatStat, formatNodes, formatDf, errorLine, alignColumns, formatTime,
  transferErrorLine,
} from '../src/client/cli-format';
import { configOverrides, EMPTY_ARG } from '../src/client/cli-options';
import { loadConfig } from '../src/common/config';
import type { Attr, DirEntry } from '../src/client/types';
import { cmdLs, type Io } from '../src/client/cli-commands';
import type { DfsClient } from '../src/client/dfs-client';
import { formatFsck } from '../src/client/cli-admin';
import type { FsckReply__Output } from '../src/generated/dfs/FsckReply';

function attr(over: Partial<Attr>): Attr {
  return {
    ino: 2, type: 'REGULAR', mode: 0o644, uid: 1000, gid: 100, size: 0, nlink: 1,
    atime: { sec: 0, nsec: 0 }, mtime: { sec: 1_700_000_000, nsec: 0 }, ctime: { sec: 0, nsec: 0 },
    chunkSize: 1 << 20, replication: 3, symlinkTarget: '', rdev: 0, sha256: Buffer.alloc(0), chunkCount: 0,
    ...over,
  };
}

test('CLI format: sizes with K/M/G suffixes', () => {
  const good: [string | number, number][] = [
    ['0', 0], ['4096', 4096], ['64K', 65536], ['64k', 65536], ['64M', 64 * 1024 * 1024], ['1G', 1024 ** 3],
    ['1.5M', 1.5 * 1024 * 1024], ['64MiB', 64 * 1024 * 1024], ['2KB', 2048], [' 8M ', 8 * 1024 * 1024], [1024, 1024],
  ];
  for (const [input, want] of good) assert.equal(parseSize(input), want, String(input));
  for (const bad of ['', 'M', '-1', '1.5', '1X', '64 MB bytes', '0x10', -5, 1.5]) {
    assert.throws(() => parseSize(bad), (e: unknown) => e instanceof DfsError && e.code === 'EINVAL', String(bad));
  }
});

test('CLI format: human sizes', () => {
  const cases: [number, string][] = [[0, '0'], [1023, '1023'], [1024, '1.0K'], [1536, '1.5K'], [64 * 1024 * 1024, '64M'], [5 * 1024 ** 4, '5.0T']];
  for (const [n, want] of cases) assert.equal(formatBytes(n), want, String(n));
});

test('CLI format: mode strings like ls -l', () => {
  const cases: [string, number, string][] = [
    ['REGULAR', 0o644, '-rw-r--r--'], ['DIRECTORY', 0o755, 'drwxr-xr-x'], ['SYMLINK', 0o777, 'lrwxrwxrwx'],
    ['REGULAR', 0o4755, '-rwsr-xr-x'], ['REGULAR', 0o4644, '-rwSr--r--'], ['DIRECTORY', 0o1777, 'drwxrwxrwt'],
    ['DIRECTORY', 0o2750, 'drwxr-s---'], ['FIFO', 0o600, 'prw-------'],
  ];
  for (const [type, mode, want] of cases) assert.equal(modeString(type, mode), want, `${type} ${mode.toString(8)}`);
});

test('CLI format: ls lines are aligned and show mode, replication, size, mtime and name', () => {
  const lines = formatListing([
    { name: 'big.bin', attr: attr({ size: 123456789 }) },
    { name: 'docs', attr: attr({ type: 'DIRECTORY', mode: 0o755, size: 0 }) },
    { name: 'link', attr: attr({ type: 'SYMLINK', mode: 0o777, symlinkTarget: '/docs', size: 5 }) },
  ], { utc: true });
  assert.deepEqual(lines, [
    '-rw-r--r-- 3 123456789 2023-11-14 22:13 big.bin',
    'drwxr-xr-x -         0 2023-11-14 22:13 docs',
    'lrwxrwxrwx -         5 2023-11-14 22:13 link -> /docs',
  ]);
  const long = formatListing([{ name: 'a', attr: attr({ size: 7 }) }], { long: true, utc: true });
  assert.deepEqual(long, ['-rw-r--r-- 3 1000 100 7 2023-11-14 22:13 a']);
  assert.deepEqual(alignColumns([['a', 'bb', 'x'], ['ccc', 'd', 'y']], new Set([1])), ['a   bb x', 'ccc  d y']);
  assert.equal(formatTime(0, true), '1970-01-01 00:00');
});

test('CLI ls: a large folder is listed without holding its decoded entries, in the same aligned lines', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const total = 5_000;
  const refs: Array<WeakRef<object>> = [];
  let aliveOfFirst = -1;
  const entries = async function* (): AsyncIterable<DirEntry> {
    for (let i = 0; i < total; i++) {
      if (i === 4_000) {
        await new Promise((resolve) => setImmediate(resolve));
        gc();
        aliveOfFirst = refs.slice(0, 3_000).filter((r) => r.deref() !== undefined).length;
      }
      const e = { name: `f${i}`, attr: attr({ size: i * 37 }) };
      refs.push(new WeakRef(e));
      yield e;
    }
  };
  const client = {
    stat: async () => attr({ type: 'DIRECTORY', mode: 0o755 }),
    listAll: () => entries(),
  } as unknown as DfsClient;
  const out: Buffer[] = [];
  const io: Io = {
    stdin: Readable.from([]), stdout: new Writable({ write(c, _e, cb) { out.push(c); cb(); } }),
    stderr: new Writable({ write(_c, _e, cb) { cb(); } }), progress: false, onInterrupt: () => () => undefined,
  };
  assert.equal(await cmdLs(client, io, ['/big'], {}), 0);
  assert.equal(aliveOfFirst, 0, 'entries already listed were still held');
  const expected = formatListing(Array.from({ length: total }, (_, i) => ({ name: `f${i}`, attr: attr({ size: i * 37 }) })));
  assert.equal(Buffer.concat(out).toString(), expected.join('\n') + '\n');
});

test('CLI format: stat prints every attribute, chunk count and sha256', () => {
  const sha = Buffer.alloc(32, 0xab);
  const text = formatStat('/a.bin', attr({ size: 3_000_000, chunkCount: 3, sha256: sha, ino: 42 }), { utc: true }).join('\n');
  for (const want of [/File: \/a\.bin/, /Type: regular file/, /Size: 3000000/, /Inode: 42/, /Mode: \(0644\/-rw-r--r--\)/,
    /Uid: 1000/, /Gid: 100/, /Modify: 2023-11-14 22:13 \(1700000000\.000000000\)/, /Chunks: 3/, /Replication: 3/,
    new RegExp(`SHA-256: ${sha.toString('hex')}`)]) {
    assert.match(text, want);
  }
  assert.match(formatStat('/d', attr({ type: 'DIRECTORY', mode: 0o755 })).join('\n'), /Type: directory/);
  assert.match(formatStat('/f', attr({})).join('\n'), /SHA-256: -/);
});

test('CLI format: nodes table and df', () => {
  const lines = formatNodes([
    { serverId: 'cs2', address: '127.0.0.1:7102', state: 'DEAD', capacityBytes: 1024 ** 3, usedBytes: 0, freeBytes: 1024 ** 3, chunkCount: 0, lastHeartbeatUnixMs: 1_000, activeWrites: 0, replicasToMove: 0, unreachable: true },
    { serverId: 'cs1', address: '127.0.0.1:7101', state: 'ALIVE', capacityBytes: 2 * 1024 ** 3, usedBytes: 1024 ** 2, freeBytes: 1024 ** 3, chunkCount: 12, lastHeartbeatUnixMs: 10_500, activeWrites: 1, replicasToMove: 0, unreachable: false },
    { serverId: 'cs3', address: '10.0.0.1:7100', state: 'ALIVE', capacityBytes: 1024 ** 3, usedBytes: 0, freeBytes: 1024 ** 3, chunkCount: 0, lastHeartbeatUnixMs: 10_500, activeWrites: 0, replicasToMove: 0, unreachable: true },
  ], 11_000);
  assert.equal(lines.length, 4);
  assert.match(lines[3], /^cs3 +10\.0\.0\.1:7100 +UNREACHABLE /);
  assert.match(lines[0], /^ID\s+ADDRESS\s+STATE\s+CAPACITY\s+USED\s+FREE\s+CHUNKS\s+WRITES\s+HEARTBEAT$/);
  assert.match(lines[1], /^cs1 +127\.0\.0\.1:7101 ALIVE +2\.0G +1\.0M +1\.0G +12 +1 0\.5s ago$/);
  assert.match(lines[2], /^cs2 .* DEAD .* 10\.0s ago$/);
  const df = formatDf({ capacityBytes: 4 * 1024 ** 3, usedBytes: 1024 ** 3, freeBytes: 3 * 1024 ** 3, files: 10, chunks: 20, liveServers: 3, safeMode: false });
  assert.match(df[0], /CAPACITY\s+USED\s+FREE\s+USE%\s+INODES\s+CHUNKS\s+SERVERS/);
  assert.match(df[1], /4\.0G\s+1\.0G\s+3\.0G\s+25%\s+10\s+20\s+3/);
});

test('CLI format: errors read like coreutils', () => {
  assert.equal(errorLine(new DfsError('ENOENT', 'x'), 'stat', '/x'), "dfs: cannot stat '/x': No such file or directory");
  assert.equal(errorLine(new DfsError('EEXIST', 'x'), 'create directory', '/a'), "dfs: cannot create directory '/a': File exists");
  assert.equal(errorLine(new DfsError('EISDIR', 'x'), 'remove', '/d'), "dfs: cannot remove '/d': Is a directory");
  assert.equal(errorLine(new DfsError('ENOTEMPTY', 'x'), 'move', '/a', '/b'), "dfs: cannot move '/a' to '/b': Directory not empty");
  assert.equal(errorLine(new DfsError('EISDIR', 'x'), undefined, '/d'), 'dfs: /d: Is a directory');
  assert.equal(errorLine(new DfsError('UNAVAILABLE', 'x'), undefined, 'nodes'), 'dfs: nodes: Service unavailable');
  const fsErr = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
  assert.equal(errorLine(fsErr, 'stat', 'local.txt'), "dfs: cannot stat 'local.txt': No such file or directory");
  assert.equal(errorLine(new DfsError('INTERNAL', 'disk on fire'), 'get', '/f'), "dfs: cannot get '/f': disk on fire");
  // a path no file can have says why
  const relative = (() => { try { normalizePath('docs'); } catch (e) { return e; } })();
  assert.equal(errorLine(relative, 'create directory', 'docs'), "dfs: cannot create directory 'docs': Invalid argument (path is not absolute)");
  const escaping = (() => { try { normalizePath('/a/../..'); } catch (e) { return e; } })();
  assert.equal(errorLine(escaping, undefined, 'fsck'), 'dfs: fsck: Invalid argument (path escapes the root)');
});

test('CLI format: a data-path failure names the chunk and its cause; an unreachable master stays one short line', () => {
  const noReplica = new DfsError('UNAVAILABLE', 'chunk 0 (handle 235): no live replica');
  assert.equal(transferErrorLine(noReplica, false, 'get', '/f'), "dfs: cannot get '/f': Input/output error (chunk 0 (handle 235): no live replica)");
  assert.equal(transferErrorLine(noReplica, false, undefined, '/f'), 'dfs: /f: Input/output error (chunk 0 (handle 235): no live replica)');
  const refused = new DfsError('UNAVAILABLE', 'ReadChunk: cannot connect to 127.0.0.1:7101: connect ECONNREFUSED 127.0.0.1:7101');
  assert.equal(transferErrorLine(refused, false, 'get', '/f'), `dfs: cannot get '/f': Input/output error (${refused.message})`);
  const silent = new DfsError('ETIMEDOUT', 'ReadChunk: deadline exceeded');
  assert.equal(transferErrorLine(silent, false, undefined, '/f'), 'dfs: /f: Connection timed out (ReadChunk: deadline exceeded)');
  // the master down: the CLI adds "is the master running at …?" on its own line
  const master = new DfsError('UNAVAILABLE', 'Stat: No connection established. Last error: connect ECONNREFUSED 127.0.0.1:7000');
  assert.equal(transferErrorLine(master, true, 'get', '/f'), "dfs: cannot get '/f': Service unavailable");
  assert.equal(errorLine(master, 'access', '/'), "dfs: cannot access '/': Service unavailable");
  // a bad replica, the data's own codes: their detail everywhere
  const bad = new DfsError('CHECKSUM_MISMATCH', 'replica of chunk 235 is bad: block 3 does not match its CRC32C');
  assert.equal(transferErrorLine(bad, false, 'get', '/f'), `dfs: cannot get '/f': Checksum mismatch (${bad.message})`);
  assert.equal(errorLine(new DfsError('EIO', 'the master could not write its metadata to disk: MDB_PANIC'), 'create directory', '/d'),
    "dfs: cannot create directory '/d': Input/output error (the master could not write its metadata to disk: MDB_PANIC)");
  // a local file's errno says no more than its code
  const localEio = Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO', syscall: 'read' });
  assert.equal(errorLine(localEio, 'open', 'local.bin'), "dfs: cannot open 'local.bin': Input/output error");
  // namespace errors stay terse
  assert.equal(transferErrorLine(new DfsError('ENOENT', 'no such file or directory: /f'), false, 'get', '/f'), "dfs: cannot get '/f': No such file or directory");
});

test('CLI options: flags map onto config keys and win over the file', () => {
  assert.deepEqual(configOverrides('client', { master: '10.0.0.1:7000', logLevel: 'debug', long: true }),
    { 'master.address': '10.0.0.1:7000', 'log.level': 'debug' });
  assert.deepEqual(configOverrides('master', { listen: '0.0.0.0:7000', metaDir: '/m' }), { 'master.listen': '0.0.0.0:7000', 'master.metaDir': '/m' });
  assert.deepEqual(configOverrides('chunkserver', { master: 'm:1', listen: 'h:0', dataDir: '/d', id: 7, advertise: 'cs:7100' }),
    { 'master.address': 'm:1', 'chunkserver.listen': 'h:0', 'chunkserver.dataDir': '/d', 'chunkserver.id': '7', 'chunkserver.advertise': 'cs:7100' });
  assert.deepEqual(configOverrides('local', { dir: '/tmp/x', chunkservers: '5', listen: '127.0.0.1:0' }),
    { 'local.dir': '/tmp/x', 'local.chunkservers': 5, 'master.listen': '127.0.0.1:0' });
  assert.throws(() => configOverrides('local', { chunkservers: 'many' }), (e: unknown) => e instanceof DfsError && e.code === 'BAD_CONFIG');
  const config = loadConfig({ env: {}, overrides: configOverrides('chunkserver', { master: '10.1.1.1:9000', id: 3 }) });
  assert.equal(config.master.address, '10.1.1.1:9000');
  assert.equal(config.chunkserver.id, '3');
  assert.throws(() => loadConfig({ env: {}, overrides: configOverrides('client', { master: 'nonsense' }) }), /bad config value at "master\.address"/);
});

test('an empty option value (--http-listen "", documented as off) reaches the config as ""', () => {
  // cac parses "" as the number 0; the CLI carries it past the parser as EMPTY_ARG
  assert.deepEqual(configOverrides('master', { httpListen: EMPTY_ARG }), { 'master.httpListen': '' });
  assert.equal(loadConfig({ env: {}, overrides: configOverrides('chunkserver', { httpListen: EMPTY_ARG }) }).chunkserver.httpListen, '');
});

test('fsck report: missing chunks while in safe mode carry a hint that the reports may still be arriving', () => {
  const base = {
    problems: [], truncated: false, bytes: 10, directories: 1, files: 1, chunks: 1, replicas: 0, underReplicated: 0, overReplicated: 0,
    misReplicated: 0, corrupt: 0, missing: 1, liveServers: 3, decommissioningServers: 0, pendingCopies: 0, safeMode: true,
  } as unknown as FsckReply__Output;
  assert.match(formatFsck('/', base).at(-1)!, /^Safe mode is ON: chunkservers may not have reported all their chunks yet/);
  assert.match(formatFsck('/', { ...base, safeMode: false }).at(-1)!, /is CORRUPT$/);
  assert.match(formatFsck('/', { ...base, missing: 0 }).at(-1)!, /is HEALTHY$/);
});
