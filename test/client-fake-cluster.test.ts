/**
 * DfsClient against a fake master and fake chunkservers (real gRPC on 127.0.0.1 port 0, state in
 * memory), so the client's data path is tested without the real master: streaming put/get,
 * retries that exclude a failed server, read failover on a corrupt replica, abort of a failed
 * upload, holes and clipping of readRange, writeRange, and an unreachable master.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import * as grpc from '@grpc/grpc-js';
import { loadConfig } from '../src/common/config';
import { DfsError } from '../src/common/errors';
import { bindServer, proto, stopServer, toServiceError, unary, SERVER_OPTIONS } from '../src/common/rpc';
import { CHUNKSERVER_CALLS, serveMetaCalls } from '../src/common/meta-calls';
import { crc32c } from '../src/common/crc32c';
import { setLogLevel } from '../src/common/logger';
import { DfsClient } from '../src/client/dfs-client';
import type { Attr } from '../src/client/types';

/** Above WRITE_SMALL_BYTES_MAX: whole chunks stream through WriteChunk, tails go as WriteSmall. */
const CHUNK = 512 * 1024;
const FRAME = 4096;

interface FakeChunk { handle: number; version: number; servers: string[] }
interface FakeFile { ino: number; size: number; chunks: Map<number, FakeChunk>; sha256: Buffer; path?: string }

class FakeChunkserver {
  readonly store = new Map<number, Buffer>();
  down = false;
  corruptReads = false;
  /** WriteSmall calls served (a primary's). */
  smallWrites = 0;
  server = new grpc.Server(SERVER_OPTIONS);
  readonly streams = new Set<{ end(): void }>();
  address = '';
  constructor(readonly id: string, private readonly peers: Map<string, FakeChunkserver>) {}

  async start(): Promise<void> {
    const impl: Record<string, unknown> = {
      WriteChunk: (call: grpc.ServerReadableStream<any, any>, cb: grpc.sendUnaryData<any>) => this.write(call, cb),
      ReadChunk: (call: grpc.ServerWritableStream<any, any>) => this.read(call),
      ReadSmall: unary(async (req: any) => this.readSmall(req)),
      WriteSmall: (call: grpc.ServerUnaryCall<any, any>, cb: grpc.sendUnaryData<any>) => {
        const f = call.request;
        this.smallWrites++;
        this.apply(f.header, [f.data], f.data.length > 0 && crc32c(f.data) !== f.crc32c, cb);
      },
      Grant: unary(async () => ({})), ChunkStat: unary(async () => ({})), Replicate: unary(async () => ({})),
    };
    impl.Calls = (call: Parameters<typeof serveMetaCalls>[0]) => serveMetaCalls(call, impl, this.streams, CHUNKSERVER_CALLS);
    this.server.addService(proto().dfs.Chunkserver.service, impl as grpc.UntypedServiceImplementation);
    this.address = `127.0.0.1:${await bindServer(this.server, '127.0.0.1:0')}`;
  }

  private write(call: grpc.ServerReadableStream<any, any>, cb: grpc.sendUnaryData<any>): void {
    let header: any;
    const parts: Buffer[] = [];
    let bad = false;
    call.on('data', (f: any) => {
      if (f.header) header = f.header;
      if (f.data.length > 0 && crc32c(f.data) !== f.crc32c) bad = true;
      parts.push(f.data);
    });
    call.on('end', () => this.apply(header, parts, bad, cb));
  }

  /** A whole chunk write down the chain (the fake applies it to every replica at once). */
  private apply(header: any, parts: Buffer[], bad: boolean, cb: grpc.sendUnaryData<any>): void {
    const chain: FakeChunkserver[] = [this, ...header.chain.map((r: any) => this.peers.get(r.serverId)!)];
    const failed = chain.find((s) => s.down);
    if (bad || failed) {
      const se = toServiceError(new DfsError(bad ? 'CHECKSUM_MISMATCH' : 'UNAVAILABLE', `chain failed at ${failed?.id}`));
      if (failed) se.metadata!.set('dfs-failed-server', failed.id);
      cb(se as grpc.ServiceError);
      return;
    }
    const data = Buffer.concat(parts);
    assert.equal(data.length, Number(header.length), 'the header announces the bytes that follow');
    for (const s of chain) {
      const old = s.store.get(header.handle) ?? Buffer.alloc(0);
      let next = Buffer.alloc(Math.max(old.length, header.offset + data.length));
      old.copy(next);
      data.copy(next, header.offset);
      if (header._setLength === 'setLength') next = Buffer.concat([next, Buffer.alloc(CHUNK)]).subarray(0, header.setLength);
      s.store.set(header.handle, next);
    }
    cb(null, { chunkLength: data.length, replicasWritten: chain.length });
  }

  private readSmall(req: any): { data: Buffer; crc32c: number } {
    if (this.down) throw new DfsError('UNAVAILABLE', 'down');
    const data = (this.store.get(Number(req.handle)) ?? Buffer.alloc(0)).subarray(Number(req.offset), Number(req.offset) + Number(req.length));
    return { data, crc32c: this.corruptReads ? crc32c(data) ^ 1 : crc32c(data) };
  }

  private read(call: grpc.ServerWritableStream<any, any>): void {
    const req = call.request;
    if (this.down) { call.emit('error', toServiceError(new DfsError('UNAVAILABLE', 'down'))); return; }
    const data = (this.store.get(req.handle) ?? Buffer.alloc(0)).subarray(req.offset, req.offset + req.length);
    for (let pos = 0; pos < data.length; pos += FRAME) {
      const frame = data.subarray(pos, pos + FRAME);
      call.write({ data: frame, crc32c: this.corruptReads ? crc32c(frame) ^ 1 : crc32c(frame) });
    }
    call.end();
  }
}

class FakeMaster {
  readonly files = new Map<number, FakeFile>();
  readonly paths = new Map<string, number>();
  readonly excluded: string[][] = [];
  /** unwritten_handle of each GetLease (0: no claim). */
  readonly unwritten: number[] = [];
  readonly badReports: string[] = [];
  readonly aborted: number[] = [];
  readonly sessions: string[] = [];
  server = new grpc.Server(SERVER_OPTIONS);
  readonly streams = new Set<{ end(): void }>();
  address = '';
  private nextIno = 10;
  private nextHandle = 100;
  constructor(private readonly servers: Map<string, FakeChunkserver>) {}

  attr(f: FakeFile): Attr {
    const t = { sec: 1, nsec: 0 };
    return { ino: f.ino, type: 'REGULAR', mode: 0o644, uid: 0, gid: 0, size: f.size, nlink: 1, atime: t, mtime: t, ctime: t,
      chunkSize: CHUNK, replication: 3, symlinkTarget: '', rdev: 0, sha256: f.sha256, chunkCount: Math.ceil(f.size / CHUNK) };
  }

  private info(index: number, c: FakeChunk) {
    return { index, handle: c.handle, version: c.version, replicas: c.servers.map((id) => ({ serverId: id, address: this.servers.get(id)!.address })) };
  }

  private file(ino: number): FakeFile {
    const f = this.files.get(ino);
    if (!f) throw new DfsError('ENOENT', `no inode ${ino}`);
    return f;
  }

  async start(): Promise<void> {
    const impl: Record<string, unknown> = {
      Stat: unary(async (req: any) => {
        const ino = this.paths.get(req.path);
        if (ino === undefined) throw new DfsError('ENOENT', req.path);
        return this.attr(this.file(ino));
      }),
      BeginUpload: unary(async () => {
        const ino = this.nextIno++;
        this.files.set(ino, { ino, size: 0, chunks: new Map(), sha256: Buffer.alloc(0) });
        return { ino, chunkSize: CHUNK, replication: 3, uploadTimeoutMs: 60_000 };
      }),
      CommitUpload: unary(async (req: any) => {
        const f = this.file(req.ino);
        Object.assign(f, { size: req.size, sha256: req.sha256, path: req.path });
        this.paths.set(req.path, f.ino);
        return this.attr(f);
      }),
      AbortUpload: unary(async (req: any) => { this.aborted.push(req.ino); this.files.delete(req.ino); return {}; }),
      GetLease: unary(async (req: any) => {
        const f = this.file(req.ino);
        this.excluded.push(req.excludeServerIds);
        this.unwritten.push(Number(req.unwrittenHandle));
        let c = f.chunks.get(req.index);
        if (!c) f.chunks.set(req.index, c = { handle: this.nextHandle++, version: 0, servers: [...this.servers.keys()] });
        c.servers = c.servers.filter((s) => !req.excludeServerIds.includes(s));
        c.version++;
        return { chunk: this.info(req.index, c), primaryServerId: c.servers[0], leaseDurationMs: 60_000 };
      }),
      GetChunks: unary(async (req: any) => {
        const f = this.file(req.ino);
        const chunks = [...f.chunks.entries()].filter(([i]) => i >= req.firstIndex && i < req.firstIndex + (req.count || 1e9)).map(([i, c]) => this.info(i, c));
        return { attr: this.attr(f), chunks };
      }),
      CommitWrite: unary(async (req: any) => {
        const f = this.file(req.ino);
        f.size = Math.max(f.size, req.minSize);
        f.sha256 = Buffer.alloc(0);
        return this.attr(f);
      }),
      SetAttr: unary(async (req: any) => {
        const f = this.file(req.ino);
        if (req._size === 'size') {
          f.size = req.size;
          for (const i of [...f.chunks.keys()]) if (i * CHUNK >= req.size) f.chunks.delete(i);
        }
        return this.attr(f);
      }),
      Open: unary(async (req: any) => {
        const ino = this.paths.get(req.path);
        if (ino === undefined) throw new DfsError('ENOENT', req.path);
        return this.attr(this.file(ino));
      }),
      Release: unary(async () => ({})),
      KeepSession: unary(async (req: any) => { this.sessions.push(`${req.sessionId}:${req.openInos.join(',')}`); return { sessionTimeoutMs: 300 }; }),
      ReportBadReplica: unary(async (req: any) => { this.badReports.push(`${req.handle}@${req.serverId}`); return {}; }),
    };
    const service = proto().dfs.Master.service;
    // the client sends namespace and data-path calls on the Calls stream: served by the same handlers
    impl.Calls = (call: Parameters<typeof serveMetaCalls>[0]) => serveMetaCalls(call, impl, this.streams);
    for (const name of Object.keys(service)) impl[name] ??= unary(async () => { throw new DfsError('ENOTSUP', name); });
    this.server.addService(service, impl as grpc.UntypedServiceImplementation);
    this.address = `127.0.0.1:${await bindServer(this.server, '127.0.0.1:0')}`;
  }

  /** Makes a file with chunks at the given indexes only (holes elsewhere), for readRange. */
  sparseFile(size: number, chunks: Map<number, Buffer>): number {
    const ino = this.nextIno++;
    const f: FakeFile = { ino, size, chunks: new Map(), sha256: Buffer.alloc(0) };
    for (const [index, data] of chunks) {
      const handle = this.nextHandle++;
      f.chunks.set(index, { handle, version: 1, servers: [...this.servers.keys()] });
      for (const s of this.servers.values()) s.store.set(handle, Buffer.from(data));
    }
    this.files.set(ino, f);
    return ino;
  }
}

const config = loadConfig({
  env: {},
  overrides: {
    'client.frameBytes': FRAME, 'client.parallelChunks': 2, 'client.retries': 4,
    'client.rpcTimeoutMs': 2_000, 'client.dataTimeoutMs': 2_000, 'log.level': 'silent',
  },
});
const servers = new Map<string, FakeChunkserver>();
let master: FakeMaster;
let client: DfsClient;

before(async () => {
  setLogLevel('silent');
  for (const id of ['cs-a', 'cs-b', 'cs-c']) {
    const s = new FakeChunkserver(id, servers);
    servers.set(id, s);
    await s.start();
  }
  master = new FakeMaster(servers);
  await master.start();
  client = new DfsClient({ masterAddress: master.address, config });
});

after(async () => {
  client?.close();
  for (const s of master?.streams ?? []) s.end();
  await master?.server && stopServer(master.server, 100);
  for (const s of servers.values()) await stopServer(s.server, 100);
});

function reset(): void {
  for (const s of servers.values()) { s.down = false; s.corruptReads = false; }
}

/** A Readable giving `data` in pieces of `piece` bytes (like a pipe). */
function pieces(data: Buffer, piece: number): Readable {
  const parts: Buffer[] = [];
  for (let pos = 0; pos < data.length; pos += piece) parts.push(data.subarray(pos, pos + piece));
  return Readable.from(parts);
}

function sink(): { stream: Writable; data: () => Buffer } {
  const parts: Buffer[] = [];
  const stream = new Writable({ highWaterMark: 1024, write(chunk, _enc, cb) { parts.push(chunk); setImmediate(cb); } });
  return { stream, data: () => Buffer.concat(parts) };
}

test('Fake cluster: put streams 5.5 chunks (size known or not), get returns the same bytes', async () => {
  reset();
  const data = randomBytes(5 * CHUNK + CHUNK / 2);
  const progress: number[] = [];
  const attr = await client.put(pieces(data, 10_000), '/known.bin', { sizeHint: data.length, onProgress: (p) => progress.push(p.bytesDone) });
  assert.equal(attr.size, data.length);
  assert.deepEqual(attr.sha256, createHash('sha256').update(data).digest());
  assert.equal(progress.at(-1), data.length);
  await client.put(pieces(data, 3_000), '/stream.bin');
  for (const path of ['/known.bin', '/stream.bin']) {
    const out = sink();
    await client.get(path, out.stream);
    assert.ok(out.data().equals(data), path);
  }
  assert.equal(master.files.get(attr.ino)!.chunks.size, 6);
});

test('Fake cluster: an empty put commits an empty file', async () => {
  reset();
  const attr = await client.put(Readable.from([]), '/empty');
  assert.equal(attr.size, 0);
  const out = sink();
  await client.get('/empty', out.stream);
  assert.equal(out.data().length, 0);
});

test('Fake cluster: a write failing at a secondary is retried with a lease excluding it', async () => {
  reset();
  servers.get('cs-c')!.down = true;
  master.excluded.length = 0;
  const data = randomBytes(CHUNK + 10);
  const attr = await client.put(pieces(data, 8192), '/retry.bin');
  assert.ok(master.excluded.some((e) => e.length === 1 && e[0] === 'cs-c'), `excluded: ${JSON.stringify(master.excluded)}`);
  for (const c of master.files.get(attr.ino)!.chunks.values()) assert.ok(!c.servers.includes('cs-c'));
  servers.get('cs-c')!.down = false;
  const out = sink();
  await client.get('/retry.bin', out.stream);
  assert.ok(out.data().equals(data));
});

test('Fake cluster: a small write goes as one WriteSmall; failing at a secondary, it is retried with a lease excluding it', async () => {
  reset();
  const before = [...servers.values()].reduce((n, s) => n + s.smallWrites, 0);
  servers.get('cs-b')!.down = true;
  master.excluded.length = 0;
  const data = randomBytes(10_000);
  const attr = await client.put(pieces(data, 4096), '/small-retry.bin');
  assert.ok(master.excluded.some((e) => e.length === 1 && e[0] === 'cs-b'), `the failed server travels in the Calls result's metadata: ${JSON.stringify(master.excluded)}`);
  assert.equal([...servers.values()].reduce((n, s) => n + s.smallWrites, 0) - before, 2, 'two WriteSmall calls: the failed one and the retry');
  servers.get('cs-b')!.down = false;
  const out = sink();
  await client.get('/small-retry.bin', out.stream);
  assert.ok(out.data().equals(data));
  assert.equal(attr.size, data.length);
});

test('Fake cluster: a retry says the chunk is unwritten only when no write under the failed lease was acknowledged', async () => {
  reset();
  const ino = master.sparseFile(0, new Map());
  const file = master.files.get(ino)!;
  servers.get('cs-b')!.down = true;
  master.unwritten.length = 0;
  await client.writeRange(ino, 0, randomBytes(4096)); // the first write under its lease fails
  const handle = file.chunks.get(0)!.handle;
  assert.deepEqual(master.unwritten, [0, handle], 'the retry names the chunk: nothing under its lease was acknowledged');
  servers.get('cs-b')!.down = false;
  await client.writeRange(ino, 4096, randomBytes(4096)); // acknowledged under the retry's lease, which stays cached
  servers.get('cs-c')!.down = true;
  master.unwritten.length = 0;
  await client.writeRange(ino, 8192, randomBytes(4096));
  assert.deepEqual(master.unwritten, [0], 'a write under that lease was acknowledged: no claim');
  servers.get('cs-c')!.down = false;
});

test('Fake cluster: a failed upload is aborted and never linked', async () => {
  reset();
  for (const s of servers.values()) s.down = true;
  master.aborted.length = 0;
  await assert.rejects(client.put(pieces(randomBytes(3 * CHUNK), 8192), '/never.bin'), (e: unknown) => e instanceof DfsError && ['UNAVAILABLE', 'NO_SERVERS'].includes(e.code));
  assert.equal(master.aborted.length, 1);
  assert.equal(master.paths.has('/never.bin'), false);
  reset();
  const failing = new Readable({ read() { this.destroy(new Error('disk read error')); } });
  await assert.rejects(client.put(failing, '/never2.bin'));
  assert.equal(master.aborted.length, 2, 'a failing source aborts the upload too');
});

test('Fake cluster: a corrupt replica is reported and the read fails over', async () => {
  reset();
  const data = randomBytes(2 * CHUNK);
  const attr = await client.put(pieces(data, 8192), '/corrupt.bin', { sizeHint: data.length });
  client.invalidate(attr.ino);
  servers.get('cs-a')!.corruptReads = true;
  master.badReports.length = 0;
  const out = sink();
  await client.get('/corrupt.bin', out.stream);
  assert.ok(out.data().equals(data));
  assert.ok(master.badReports.some((r) => r.endsWith('@cs-a')), `reports: ${master.badReports}`);
  // this client now asks cs-a last: its next reads do not meet the corrupt replica
  master.badReports.length = 0;
  client.invalidate(attr.ino);
  assert.ok((await client.readRange(attr.ino, 0, 4096)).equals(data.subarray(0, 4096)));
  assert.equal(master.badReports.length, 0, `reports: ${master.badReports}`);
  // a small read (ReadSmall on the Calls stream) of a client that knows nothing yet fails over and reports the same way
  const fresh = new DfsClient({ masterAddress: master.address, config });
  try {
    for (const at of [5000, CHUNK + 77]) assert.ok((await fresh.readRange(attr.ino, at, 4096)).equals(data.subarray(at, at + 4096)), `small read at ${at}`);
  } finally {
    fresh.close();
  }
  assert.ok(master.badReports.some((r) => r.endsWith('@cs-a')), `reports after small reads: ${master.badReports}`);
  servers.get('cs-b')!.down = true;
  servers.get('cs-c')!.down = true;
  client.invalidate(attr.ino);
  await assert.rejects(client.readRange(attr.ino, 0, 10), (e: unknown) => e instanceof DfsError && ['CHECKSUM_MISMATCH', 'UNAVAILABLE'].includes(e.code));
});

test('Fake cluster: a chunk that no live server holds fails the read with UNAVAILABLE, never reads as zeros', async () => {
  reset();
  const data = randomBytes(2 * CHUNK);
  const attr = await client.put(pieces(data, 8192), '/orphaned.bin', { sizeHint: data.length });
  master.files.get(attr.ino)!.chunks.get(1)!.servers = []; // every replica of chunk 1 lost
  client.invalidate(attr.ino);
  const unavailable = (e: unknown): boolean => e instanceof DfsError && e.code === 'UNAVAILABLE' && /no live replica/.test(e.message);
  await assert.rejects(client.readRange(attr.ino, CHUNK, 100), unavailable);
  await assert.rejects(client.get('/orphaned.bin', sink().stream), unavailable);
  assert.ok((await client.readRange(attr.ino, 0, 100)).equals(data.subarray(0, 100)), 'chunk 0 still reads');
});

test('Fake cluster: content that does not match the stored SHA-256 fails the get', async () => {
  reset();
  const data = randomBytes(CHUNK);
  const attr = await client.put(pieces(data, 8192), '/tamper.bin');
  for (const c of master.files.get(attr.ino)!.chunks.values()) for (const id of c.servers) servers.get(id)!.store.get(c.handle)![5] ^= 0xff;
  await assert.rejects(client.get('/tamper.bin', sink().stream), (e: unknown) => e instanceof DfsError && e.code === 'CHECKSUM_MISMATCH');
});

test('Fake cluster: readRange spans chunks, reads holes and short chunks as zeros, clips at EOF', async () => {
  reset();
  const c0 = randomBytes(CHUNK);
  const c2 = randomBytes(100);
  const size = 2 * CHUNK + 500;
  const ino = master.sparseFile(size, new Map([[0, c0], [2, c2]]));
  const all = await client.readRange(ino, 0, 10 * CHUNK);
  assert.equal(all.length, size, 'clipped to the file size');
  const want = Buffer.alloc(size);
  c0.copy(want, 0);
  c2.copy(want, 2 * CHUNK);
  assert.ok(all.equals(want));
  const mid = await client.readRange(ino, CHUNK - 10, 20);
  assert.ok(mid.equals(want.subarray(CHUNK - 10, CHUNK + 10)));
  assert.equal((await client.readRange(ino, size, 10)).length, 0);
});

test('Fake cluster: writeRange across a chunk boundary, commitWrite, then readRange', async () => {
  reset();
  const ino = master.sparseFile(0, new Map());
  const data = randomBytes(CHUNK + 1000);
  await client.writeRange(ino, CHUNK / 2, data);
  const attr = await client.commitWrite(ino, CHUNK / 2 + data.length);
  assert.equal(attr.size, CHUNK / 2 + data.length);
  const back = await client.readRange(ino, 0, attr.size);
  assert.ok(back.subarray(0, CHUNK / 2).equals(Buffer.alloc(CHUNK / 2)), 'the unwritten head reads as zeros');
  assert.ok(back.subarray(CHUNK / 2).equals(data));
});

test('Fake cluster: an unreachable master fails fast with UNAVAILABLE, bad paths fail before any call', async () => {
  const dead = new grpc.Server();
  const port = await bindServer(dead, '127.0.0.1:0');
  await stopServer(dead, 10);
  const c = new DfsClient({ masterAddress: `127.0.0.1:${port}`, config });
  try {
    const t0 = Date.now();
    await assert.rejects(c.stat('/x'), (e: unknown) => e instanceof DfsError && (e.code === 'UNAVAILABLE' || e.code === 'ETIMEDOUT'));
    assert.ok(Date.now() - t0 <= config.client.rpcTimeoutMs + 1_000, 'bounded by the deadline');
    await assert.rejects(c.stat('relative'), (e: unknown) => e instanceof DfsError && e.code === 'EINVAL');
    await assert.rejects(c.mkdir('/' + 'x'.repeat(300)), (e: unknown) => e instanceof DfsError && e.code === 'ENAMETOOLONG');
  } finally {
    c.close();
  }
});

test('Fake cluster: truncating into a chunk cuts its tail, so a later extension reads zeros', async () => {
  reset();
  const ino = master.sparseFile(0, new Map());
  const data = randomBytes(CHUNK + 1000);
  await client.writeRange(ino, 0, data);
  await client.commitWrite(ino, data.length);
  const attr = await client.setAttr({ ino, size: CHUNK + 100 });
  assert.equal(attr.size, CHUNK + 100);
  const chunk1 = master.files.get(ino)!.chunks.get(1)!;
  for (const id of chunk1.servers) assert.equal(servers.get(id)!.store.get(chunk1.handle)!.length, 100, `${id} cut at set_length`);
  await client.commitWrite(ino, 2 * CHUNK);
  const back = await client.readRange(ino, CHUNK, CHUNK);
  assert.ok(back.subarray(0, 100).equals(data.subarray(CHUNK, CHUNK + 100)));
  assert.ok(back.subarray(100).equals(Buffer.alloc(CHUNK - 100)), 'bytes past the truncation read as zeros');
});

test('Fake cluster: a session re-sends its open inodes with KeepSession until closed', async () => {
  reset();
  await client.put(pieces(randomBytes(10), 10), '/open.bin');
  const sessionConfig = structuredClone(config);
  sessionConfig.cluster.sessionTimeoutMs = 300;
  const c = new DfsClient({ masterAddress: master.address, config: sessionConfig, sessionId: 'mount-1' });
  try {
    const attr = await c.open('/open.bin');
    await new Promise((r) => setTimeout(r, 350));
    assert.ok(master.sessions.includes(`mount-1:${attr.ino}`), `sessions: ${master.sessions}`);
    await c.release(attr.ino);
    master.sessions.length = 0;
    await new Promise((r) => setTimeout(r, 250));
    assert.ok(master.sessions.includes('mount-1:'), 'released inodes are no longer sent');
  } finally {
    c.close();
  }
  // A call already on the wire at close() may still land; after that, none may follow.
  await new Promise((r) => setTimeout(r, 150));
  const seen = master.sessions.length;
  await new Promise((r) => setTimeout(r, 350));
  assert.equal(master.sessions.length, seen, 'no KeepSession after close');
});
