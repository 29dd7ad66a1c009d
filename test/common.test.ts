import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizePath, splitPath, parentOf, nameBytes } from '../src/common/paths';
import { loadConfig } from '../src/common/config';
import { DfsError, errnoOf, asDfsError } from '../src/common/errors';
import * as http2 from 'node:http2';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { toServiceError, fromServiceError, bindServer, stopServer, proto, PROTO_PATH, LOADER_OPTIONS, SERVER_OPTIONS, FLOW_CONTROL_WINDOW_BYTES, WIRE_BYTES, type WireFrame } from '../src/common/rpc';
import schemaJson from '../src/generated/dfs.json';
import { crc32c } from '../src/common/crc32c';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import { NODE_FLAGS } from '../src/common/node-flags';
import { tuneMalloc } from '../src/common/malloc-tune';
import { once } from 'node:events';
import { LOCK_FILE, lockDir } from '../src/common/data-dir';
import { sleep } from '../src/common/clock';

test('paths: normalization', () => {
  const cases: [string, string][] = [
    ['/', '/'], ['//a//b/', '/a/b'], ['/a/./b', '/a/b'], ['/a/b/../c', '/a/c'], ['/é/ü', '/é/ü'],
  ];
  for (const [input, want] of cases) assert.equal(normalizePath(input), want, input);
  assert.deepEqual(splitPath('/x/y'), ['x', 'y']);
  assert.deepEqual(parentOf('/x/y'), ['/x', 'y']);
  assert.deepEqual(parentOf('/x'), ['/', 'x']);
});

test('paths: bad input is rejected with a code', () => {
  const cases: [string, string][] = [
    ['', 'EINVAL'], ['a/b', 'EINVAL'], ['/a\0b', 'EINVAL'], ['/..', 'EINVAL'], ['/a/../..', 'EINVAL'],
    ['/' + 'x'.repeat(256), 'ENAMETOOLONG'], ['/' + 'a/'.repeat(2100), 'ENAMETOOLONG'],
  ];
  for (const [input, code] of cases) {
    assert.throws(() => normalizePath(input), (e: unknown) => e instanceof DfsError && e.code === code, JSON.stringify(input).slice(0, 40));
  }
  assert.equal(normalizePath('/' + 'x'.repeat(255)).length, 256);
});

test('config: defaults load, env and overrides apply, bad values name the key', async () => {
  const c = loadConfig({ env: {} });
  assert.equal(c.cluster.chunkSizeBytes, 64 * 1024 * 1024);
  assert.equal(c.cluster.replication, 3);
  assert.equal(loadConfig({ env: { DFS_CLUSTER_REPLICATION: '2' } }).cluster.replication, 2);
  assert.equal(loadConfig({ env: { DFS_MASTER_ADDRESS: '10.0.0.1:9000' } }).master.address, '10.0.0.1:9000');
  assert.equal(loadConfig({ env: {}, overrides: { 'client.retries': 7 } }).client.retries, 7);
  assert.throws(() => loadConfig({ env: {}, overrides: { 'cluster.replication': 'three' } }),
    (e: unknown) => e instanceof DfsError && e.code === 'BAD_CONFIG' && e.message.includes('cluster.replication'));
  assert.throws(() => loadConfig({ env: {}, overrides: { 'cluster.chunkSizeBytes': 1000 } }),
    (e: unknown) => e instanceof DfsError && e.message.includes('cluster.chunkSizeBytes'));
  const dir = await mkdtemp(join(tmpdir(), 'dfs-config-'));
  try {
    const file = join(dir, 'c.json');
    await writeFile(file, JSON.stringify({ master: { address: 'nohost' } }));
    assert.throws(() => loadConfig({ file, env: {} }), (e: unknown) => e instanceof DfsError && e.message.includes('master.address'));
    await writeFile(file, JSON.stringify({ cluster: { replication: 2 } }));
    const merged = loadConfig({ file, env: {} });
    assert.equal(merged.cluster.replication, 2);
    assert.equal(merged.cluster.chunkSizeBytes, 64 * 1024 * 1024, 'unset keys keep their defaults');
    await writeFile(file, '{not json');
    assert.throws(() => loadConfig({ file, env: {} }), (e: unknown) => e instanceof DfsError && e.code === 'BAD_CONFIG');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('errors: codes survive the gRPC round trip and map to errno', () => {
  for (const code of ['ENOENT', 'ENOTEMPTY', 'STALE_VERSION', 'CHECKSUM_MISMATCH'] as const) {
    const back = fromServiceError(toServiceError(new DfsError(code, 'x')));
    assert.equal(back.code, code);
  }
  assert.equal(errnoOf(new DfsError('ENOENT', '')), 2);
  assert.equal(errnoOf(new DfsError('CHECKSUM_MISMATCH', '')), 5);
  assert.equal(asDfsError(Object.assign(new Error('x'), { code: 'EEXIST' })).code, 'EEXIST');
});

test('rpc: a server bound by bindServer gives each session and stream the wide HTTP/2 window, not 64 KiB', async () => {
  const server = new grpc.Server(SERVER_OPTIONS);
  const port = await bindServer(server, '127.0.0.1:0');
  const session = http2.connect(`http://127.0.0.1:${port}`);
  try {
    session.on('error', () => {});
    // the server's first SETTINGS frame carries HTTP/2's defaults; the widened window follows in a
    // second SETTINGS frame (per stream) and a WINDOW_UPDATE (the connection)
    const wide = (): boolean => session.remoteSettings?.initialWindowSize === FLOW_CONTROL_WINDOW_BYTES
      && session.state.remoteWindowSize === FLOW_CONTROL_WINDOW_BYTES;
    const deadline = Date.now() + 5000;
    while (!wide() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(session.remoteSettings.initialWindowSize, FLOW_CONTROL_WINDOW_BYTES, 'per-stream window announced by the server');
    assert.equal(session.state.remoteWindowSize, FLOW_CONTROL_WINDOW_BYTES, 'connection window granted by the server');
  } finally {
    session.close();
    await stopServer(server, 100);
  }
});

test('node flags: bin/dfs and npm start run node with NODE_FLAGS (and it starts with them)', () => {
  const root = join(__dirname, '../..');
  const shebang = readFileSync(join(root, 'bin/dfs'), 'utf8').split('\n')[0];
  assert.equal(shebang, `#!/usr/bin/env -S node ${NODE_FLAGS.join(' ')}`);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  assert.match(pkg.scripts.start, new RegExp(`^node ${NODE_FLAGS.join(' ')} dist/src/cli\\.js local `));
  // the executable itself (through its #! line) starts node with them
  const args = execFileSync(join(root, 'bin/dfs'), ['config'], { env: { ...process.env, NODE_OPTIONS: '--require ' + join(__dirname, 'helpers/print-exec-argv.js') } }).toString();
  assert.match(args, new RegExp(`execArgv=.*${NODE_FLAGS[0]}`));
});

test('rpc: a decoded WriteFrame without a header keeps its encoded bytes, and those bytes encode to themselves', () => {
  const m = (proto().dfs.Chunkserver.service as unknown as Record<string, grpc.MethodDefinition<unknown, unknown>>).WriteChunk;
  const data = Buffer.from('some frame bytes');
  const bytes = m.requestSerialize({ data, crc32c: crc32c(data) });
  const frame = m.requestDeserialize(bytes) as { data: Buffer; crc32c: number } & WireFrame;
  assert.ok(frame.data.equals(data));
  assert.equal(frame[WIRE_BYTES], bytes, 'the received bytes travel with the frame');
  assert.equal(m.requestSerialize(frame[WIRE_BYTES]), bytes, 'an encoded frame is sent as it is');
  const withHeader = m.requestDeserialize(m.requestSerialize({ header: { handle: 7, version: 1, offset: 0, length: 0, chain: [] }, data: Buffer.alloc(0), crc32c: 0 })) as WireFrame;
  assert.equal(withHeader[WIRE_BYTES], undefined, 'a header frame is re-encoded (the next hop gets its own header)');
});

test('rpc: the schema processes load (src/generated/dfs.json) defines what proto/dfs.proto does, message by message and method by method', () => {
  const parsed = protoLoader.loadSync(PROTO_PATH, LOADER_OPTIONS);
  const loaded = protoLoader.fromJSON(schemaJson as Parameters<typeof protoLoader.fromJSON>[0], LOADER_OPTIONS);
  assert.deepEqual(Object.keys(loaded).sort(), Object.keys(parsed).sort());
  let methods = 0;
  for (const [name, def] of Object.entries(parsed)) {
    const other = loaded[name] as Record<string, unknown>;
    if ('type' in def) {
      assert.deepEqual((other as { type: unknown }).type, def.type, name);
      continue;
    }
    for (const [method, m] of Object.entries(def as protoLoader.ServiceDefinition)) {
      const o = (other as unknown as protoLoader.ServiceDefinition)[method];
      assert.deepEqual([o.path, o.requestStream, o.responseStream, o.requestType.type, o.responseType.type],
        [m.path, m.requestStream, m.responseStream, m.requestType.type, m.responseType.type], `${name}.${method}`);
      methods++;
    }
  }
  assert.ok(methods > 20);
});

test('crc32c: the standard check value', () => {
  assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
  const data = Buffer.from('hello world');
  assert.equal(crc32c(data.subarray(5), crc32c(data.subarray(0, 5))), crc32c(data));
});

test('rate limiter: a stream paced by it averages the configured bytes per second', () => {
  const { RateLimiter } = require('../src/common/rate-limiter') as typeof import('../src/common/rate-limiter');
  const MiB = 1024 * 1024;
  const limiter = new RateLimiter(2 * MiB);
  let now = 0;
  assert.equal(limiter.take(MiB, now), 0, 'one second worth of burst is free');
  assert.equal(limiter.take(MiB, now), 0);
  assert.equal(limiter.take(MiB, now), 500, 'the next MiB waits half a second at 2 MiB/s');
  // Pacing 100 frames of 1 MiB by the returned waits takes 100 MiB / 2 MiB/s minus the burst.
  now += 500;
  let total = 0;
  for (let i = 0; i < 100; i++) { const w = limiter.take(MiB, now); now += w; total += w; }
  assert.equal(total, 50_000);
  // Idle time refills the bucket, but never beyond one second's worth.
  assert.equal(limiter.take(2 * MiB, now + 60_000), 0);
  assert.equal(limiter.take(MiB, now + 60_000), 500);
});

test('paths: a byte that is not UTF-8 (escaped as U+F780..U+F7FF by the mount) counts as one byte', () => {
  assert.equal(nameBytes('abc'), 3);
  assert.equal(nameBytes('\u20ac'), 3);
  assert.equal(nameBytes('\uf7ff\uf780x'), 3);
  assert.equal(nameBytes('\uf700'), 3, 'below the escape range: an ordinary character');
  assert.equal(normalizePath('/' + '\uf7ff'.repeat(255)), '/' + '\uf7ff'.repeat(255));
  assert.throws(() => normalizePath('/' + '\uf7ff'.repeat(256)), /ENAMETOOLONG|too long/);
  assert.throws(() => normalizePath('/' + '\u20ac'.repeat(86)), /ENAMETOOLONG|too long/);
});

test('malloc tuning: the native part is built and glibc takes the settings', () => {
  assert.equal(tuneMalloc(), true, 'build/native/malloc.node (scripts/build-native.sh) applies MALLOC_TUNING with mallopt');
});

test('data folder lock: a live holder is refused (EBUSY naming its pid); a killed holder, even not yet reaped (a zombie), is taken over', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dfs-lock-'));
  // `sleep 0.1 &` under a shell that then execs `sleep 30`: the first sleep ends as a zombie nobody reaps
  const parent = spawn('sh', ['-c', 'sleep 0.1 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const zombie = Number((await once(parent.stdout!, 'data'))[0].toString().trim());
    const statOf = (pid: number): string[] => { const s = readFileSync(`/proc/${pid}/stat`, 'utf8'); return s.slice(s.lastIndexOf(')') + 2).split(' '); };
    const holder = (pid: number) => JSON.stringify({ pid, start: statOf(pid)[19], boot: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() });
    writeFileSync(join(dir, LOCK_FILE), holder(parent.pid!));
    assert.throws(() => lockDir(dir, 'chunkserver'), (e: unknown) => e instanceof DfsError && e.code === 'EBUSY' && e.message.includes(`pid ${parent.pid}`));
    for (const deadline = Date.now() + 5_000; statOf(zombie)[0] !== 'Z';) {
      assert.ok(Date.now() < deadline, 'the child became a zombie');
      await sleep(20);
    }
    writeFileSync(join(dir, LOCK_FILE), holder(zombie));
    const lock = lockDir(dir, 'chunkserver');
    assert.equal(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid, process.pid);
    lock.release();
    assert.equal(existsSync(join(dir, LOCK_FILE)), false, 'released: gone');
  } finally {
    parent.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
});
