// Chunkservers in process on 127.0.0.1:0 with a tiny fake master: the pipelined write chain,
// reads from every replica, leases, versions, bad frames, corruption reports, heartbeat replies
// (replicate, delete, reregister) and a master that is down at startup.
process.env.DFS_LOG_LEVEL ??= 'silent';
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, open } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { loadConfig, type Config } from '../src/common/config';
import { crc32c } from '../src/common/crc32c';
import { DfsError } from '../src/common/errors';
import { READ_SMALL_BYTES_MAX, WRITE_SMALL_BYTES_MAX, bindServer, callUnary, chunkserverClient, fromServiceError, proto, stopServer, type ChunkserverClient } from '../src/common/rpc';
import { chunkserverCallsOf, closeCallsClient } from '../src/common/meta-calls';
import type { DataFrame__Output } from '../src/generated/dfs/DataFrame';
import { startChunkserver, type ChunkserverHandle } from '../src/chunkserver/chunkserver';
import { FAILED_SERVER_KEY } from '../src/chunkserver/write-pipeline';
import type { HeartbeatRequest__Output } from '../src/generated/dfs/HeartbeatRequest';
import type { HeartbeatReply } from '../src/generated/dfs/HeartbeatReply';
import type { RegisterRequest__Output } from '../src/generated/dfs/RegisterRequest';
import type { BadReplicaReport__Output } from '../src/generated/dfs/BadReplicaReport';
import type { WriteHeader } from '../src/generated/dfs/WriteHeader';
import type { WriteReply__Output } from '../src/generated/dfs/WriteReply';
import type { GrantRequest } from '../src/generated/dfs/GrantRequest';
import type { GrantReply__Output } from '../src/generated/dfs/GrantReply';
import type { ReadRequest } from '../src/generated/dfs/ReadRequest';
import type { ChunkStatRequest } from '../src/generated/dfs/ChunkStatRequest';
import type { ChunkStatReply__Output } from '../src/generated/dfs/ChunkStatReply';
import type { ReplicateRequest } from '../src/generated/dfs/ReplicateRequest';

const MiB = 1024 * 1024;

/** A master that records what chunkservers send and replies only when told to. */
class FakeMaster {
  readonly registers: RegisterRequest__Output[] = [];
  readonly heartbeats: HeartbeatRequest__Output[] = [];
  readonly badReports: BadReplicaReport__Output[] = [];
  private readonly streams = new Map<string, grpc.ServerDuplexStream<HeartbeatRequest__Output, HeartbeatReply>>();
  private server = new grpc.Server();
  address = '';

  async start(listen = '127.0.0.1:0'): Promise<void> {
    this.server = new grpc.Server();
    this.server.addService(proto().dfs.Master.service, {
      Register: (call: grpc.ServerUnaryCall<RegisterRequest__Output, unknown>, cb: grpc.sendUnaryData<unknown>) => {
        this.registers.push(call.request);
        cb(null, { heartbeatIntervalMs: 100 });
      },
      Heartbeat: (call: grpc.ServerDuplexStream<HeartbeatRequest__Output, HeartbeatReply>) => {
        call.on('data', (m: HeartbeatRequest__Output) => {
          this.heartbeats.push(m);
          this.streams.set(m.serverId, call);
        });
        call.on('error', () => undefined);
        call.on('end', () => call.end());
      },
      ReportBadReplica: (call: grpc.ServerUnaryCall<BadReplicaReport__Output, unknown>, cb: grpc.sendUnaryData<unknown>) => {
        this.badReports.push(call.request);
        cb(null, {});
      },
    });
    const port = await bindServer(this.server, listen);
    this.address = `127.0.0.1:${port}`;
  }

  reply(serverId: string, reply: HeartbeatReply): void {
    const s = this.streams.get(serverId);
    assert.ok(s, `no heartbeat stream from ${serverId}`);
    s.write(reply);
  }

  async stop(): Promise<void> {
    this.streams.clear();
    await stopServer(this.server, 200);
  }
}

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A client-side WriteChunk: header, then frames honouring write() back-pressure. */
function writeChunk(client: ChunkserverClient, header: WriteHeader, data: Buffer, frameBytes = 256 * 1024,
  mangle: (frames: { data: Buffer; crc32c: number }[]) => void = () => undefined): Promise<WriteReply__Output> {
  return new Promise((resolve, reject) => {
    const call = client.WriteChunk((err, reply) => (err ? reject(fromServiceError(err)) : resolve(reply!)));
    const frames: { data: Buffer; crc32c: number }[] = [];
    for (let i = 0; i < data.length; i += frameBytes) {
      const d = data.subarray(i, i + frameBytes);
      frames.push({ data: d, crc32c: crc32c(d) });
    }
    mangle(frames);
    call.on('error', () => undefined);
    void (async () => {
      call.write({ header, data: Buffer.alloc(0), crc32c: 0 });
      for (const f of frames) {
        if (!call.write(f)) await new Promise((r) => call.once('drain', r));
      }
      call.end();
    })();
  });
}

async function readChunk(client: ChunkserverClient, req: ReadRequest): Promise<Buffer> {
  const parts: Buffer[] = [];
  try {
    for await (const f of client.ReadChunk(req) as AsyncIterable<{ data: Buffer; crc32c: number }>) {
      assert.equal(crc32c(f.data), f.crc32c >>> 0, 'frame CRC');
      assert.ok(f.data.length <= 256 * 1024, 'frames of at most client.frameBytes');
      parts.push(Buffer.from(f.data));
    }
  } catch (e) {
    throw fromServiceError(e);
  }
  return Buffer.concat(parts);
}

function grant(client: ChunkserverClient, req: GrantRequest): Promise<GrantReply__Output> {
  return callUnary(client, client.Grant, req, 5000);
}

function codeOf(e: unknown): string {
  return e instanceof DfsError ? e.code : String(e);
}

describe('chunkserver chain (3 servers, fake master)', () => {
  const dirs: string[] = [];
  const servers: ChunkserverHandle[] = [];
  const clients: ChunkserverClient[] = [];
  const master = new FakeMaster();
  let config: Config;

  before(async () => {
    config = loadConfig({ env: {}, overrides: { 'chunkserver.heartbeatIntervalMs': 100, 'client.frameBytes': 256 * 1024 } });
    await master.start();
    for (let i = 0; i < 3; i++) {
      const dir = await mkdtemp(join(tmpdir(), 'dfs-cs-chain-'));
      dirs.push(dir);
      const cs = await startChunkserver({ config, masterAddress: master.address, listen: '127.0.0.1:0', dataDir: dir });
      servers.push(cs);
      clients.push(chunkserverClient(cs.address));
    }
  });

  after(async () => {
    for (const c of clients) closeCallsClient(c);
    await Promise.all(servers.map((s) => s.stop()));
    await master.stop();
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  const replica = (i: number) => ({ serverId: servers[i].id, address: servers[i].address });

  test('every server registers and sends a full report, then incremental heartbeats', async () => {
    await waitFor('registrations', () => master.registers.length >= 3);
    for (const s of servers) {
      const reg = master.registers.find((r) => r.serverId === s.id)!;
      assert.equal(reg.address, s.address);
      assert.ok(reg.capacityBytes > 0 && reg.freeBytes > 0);
      await waitFor('full report', () => master.heartbeats.some((h) => h.serverId === s.id && h.fullReport && h.lastPage));
      await waitFor('incremental', () => master.heartbeats.some((h) => h.serverId === s.id && !h.fullReport));
    }
    assert.match(servers[0].id, /^cs-[0-9a-f]+$/);
    assert.notEqual(servers[0].id, servers[1].id);
  });

  const data = randomBytes(3 * MiB + 12345);

  test('a write through the chain lands identically on all three replicas', async () => {
    for (let i = 0; i < 3; i++) await grant(clients[i], { handle: 100, version: 1, create: true, primary: i === 0, leaseDurationMs: 60_000 });
    const reply = await writeChunk(clients[0], { handle: 100, version: 1, offset: 0, length: data.length, chain: [replica(1), replica(2)] }, data);
    assert.equal(reply.replicasWritten, 3);
    assert.equal(reply.chunkLength, data.length);
    for (let i = 0; i < 3; i++) {
      const got = await readChunk(clients[i], { handle: 100, version: 1, offset: 0, length: 64 * MiB });
      assert.ok(got.equals(data), `replica ${i} differs`);
      const stat = await callUnary<ChunkStatRequest, ChunkStatReply__Output>(clients[i], clients[i].ChunkStat, { handle: 100 }, 5000);
      assert.deepEqual({ v: stat.version, l: stat.length }, { v: 1, l: data.length });
    }
    const part = await readChunk(clients[2], { handle: 100, version: 1, offset: 70_000, length: 300_000 });
    assert.ok(part.equals(data.subarray(70_000, 370_000)));
    await waitFor('incremental report of chunk 100', () => master.heartbeats.some((h) => !h.fullReport && h.chunks.some((c) => c.handle === 100 && c.length === data.length)));
  });

  test('ReadSmall on the Calls stream: the bytes ReadChunk gives, in one frame with its CRC, short at the end; too large, stale or missing are refused', async () => {
    const calls = chunkserverCallsOf(clients[1]);
    const small = (offset: number, length: number, version = 1, handle = 100) =>
      calls.call<DataFrame__Output>('ReadSmall', { handle, version, offset, length }, 5000);
    for (const [offset, length] of [[0, 4096], [70_000, 200_000], [0, READ_SMALL_BYTES_MAX], [data.length - 100, 4096], [data.length + 10, 4096]]) {
      const f = await small(offset, length);
      assert.equal(crc32c(f.data), f.crc32c >>> 0, 'frame CRC');
      assert.ok(f.data.equals(data.subarray(offset, offset + length)), `ReadSmall ${offset}+${length}`);
    }
    // many in flight on the one stream, answered each to its own call
    const offsets = Array.from({ length: 64 }, (_, i) => (i * 48_611) % (data.length - 4096));
    const frames = await Promise.all(offsets.map((o) => small(o, 4096)));
    frames.forEach((f, i) => assert.ok(f.data.equals(data.subarray(offsets[i], offsets[i] + 4096)), `concurrent read ${i}`));
    assert.equal(codeOf(await small(0, READ_SMALL_BYTES_MAX + 1).catch((e) => e)), 'EINVAL');
    assert.equal(codeOf(await small(0, 10, 2).catch((e) => e)), 'STALE_VERSION');
    assert.equal(codeOf(await small(0, 10, 1, 999).catch((e) => e)), 'CHUNK_NOT_FOUND');
  });

  test('set_length travels down the chain', async () => {
    const tail = Buffer.from('tail');
    const reply = await writeChunk(clients[0], { handle: 100, version: 1, offset: 10, length: 4, setLength: 1000, chain: [replica(1), replica(2)] }, tail);
    assert.equal(reply.chunkLength, 1000);
    const expected = Buffer.from(data.subarray(0, 1000));
    tail.copy(expected, 10);
    for (let i = 0; i < 3; i++) assert.ok((await readChunk(clients[i], { handle: 100, version: 1, offset: 0, length: 5000 })).equals(expected));
  });

  test('the lease: a non-primary refuses client writes, an expired lease is refused', async () => {
    const e1 = await writeChunk(clients[1], { handle: 100, version: 1, offset: 0, length: 3, chain: [] }, Buffer.from('abc')).catch((e) => e);
    assert.equal(codeOf(e1), 'NOT_PRIMARY');
    await grant(clients[0], { handle: 101, version: 1, create: true, primary: true, leaseDurationMs: 1 });
    await new Promise((r) => setTimeout(r, 20));
    const e2 = await writeChunk(clients[0], { handle: 101, version: 1, offset: 0, length: 3, chain: [] }, Buffer.from('abc')).catch((e) => e);
    assert.equal(codeOf(e2), 'LEASE_EXPIRED');
  });

  test('versions: a wrong version is STALE_VERSION for writes, reads and grants', async () => {
    const e1 = await writeChunk(clients[0], { handle: 100, version: 2, offset: 0, length: 3, chain: [] }, Buffer.from('abc')).catch((e) => e);
    assert.ok(['STALE_VERSION', 'NOT_PRIMARY'].includes(codeOf(e1)), codeOf(e1));
    const e2 = await writeChunk(clients[1], { handle: 100, version: 2, offset: 0, length: 3, chain: [], fromPrimary: true }, Buffer.from('abc')).catch((e) => e);
    assert.equal(codeOf(e2), 'STALE_VERSION');
    const e3 = await readChunk(clients[0], { handle: 100, version: 2, offset: 0, length: 10 }).catch((e) => e);
    assert.equal(codeOf(e3), 'STALE_VERSION');
    const e4 = await grant(clients[0], { handle: 100, version: 3, expectedVersion: 2 }).catch((e) => fromServiceError(e));
    assert.equal(codeOf(e4), 'STALE_VERSION');
    const e5 = await grant(clients[0], { handle: 100, version: 2, create: true }).catch((e) => fromServiceError(e));
    assert.equal(codeOf(e5), 'EEXIST');
    const e6 = await readChunk(clients[0], { handle: 4242, version: 1, offset: 0, length: 10 }).catch((e) => e);
    assert.equal(codeOf(e6), 'CHUNK_NOT_FOUND');
    const e7 = await readChunk(clients[0], { handle: 2 ** 60, version: 1, offset: 0, length: 10 }).catch((e) => e);
    assert.equal(codeOf(e7), 'EINVAL');
  });

  test('bad frames are refused with BAD_FRAME / CHECKSUM_MISMATCH and the server keeps working', async () => {
    await grant(clients[0], { handle: 102, version: 1, create: true, primary: true, leaseDurationMs: 60_000 });
    const h = { handle: 102, version: 1, offset: 0, chain: [] };
    const payload = randomBytes(600_000);
    const fewer = await writeChunk(clients[0], { ...h, length: payload.length + 1 }, payload).catch((e) => e);
    assert.equal(codeOf(fewer), 'BAD_FRAME');
    const more = await writeChunk(clients[0], { ...h, length: payload.length - 1 }, payload).catch((e) => e);
    assert.equal(codeOf(more), 'BAD_FRAME');
    const corrupt = await writeChunk(clients[0], { ...h, length: payload.length }, payload, 256 * 1024, (f) => { f[1].crc32c ^= 1; }).catch((e) => e);
    assert.equal(codeOf(corrupt), 'CHECKSUM_MISMATCH');
    const noHeader = await new Promise<unknown>((resolve) => {
      const call = clients[0].WriteChunk((err) => resolve(err ? fromServiceError(err) : 'no error'));
      call.write({ data: Buffer.from('x'), crc32c: crc32c(Buffer.from('x')) });
      call.end();
    });
    assert.equal(codeOf(noHeader), 'BAD_FRAME');
    const big = await writeChunk(clients[0], { ...h, length: 5 * MiB }, randomBytes(5 * MiB), 5 * MiB).catch((e) => e);
    assert.equal(codeOf(big), 'BAD_FRAME');
    // still serving, and the chunk is consistent
    const ok = await writeChunk(clients[0], { ...h, length: payload.length }, payload);
    assert.equal(ok.replicasWritten, 1);
    assert.ok((await readChunk(clients[0], { handle: 102, version: 1, offset: 0, length: payload.length })).equals(payload));
  });

  test('a writer that cancels mid-write releases the chunk and leaves every replica consistent', async () => {
    for (let i = 0; i < 2; i++) await grant(clients[i], { handle: 105, version: 1, create: true, primary: i === 0, leaseDurationMs: 60_000 });
    const header = { handle: 105, version: 1, offset: 0, length: 4 * MiB, chain: [replica(1)] };
    const outcome = new Promise<unknown>((resolve) => {
      const call = clients[0].WriteChunk((err) => resolve(err ? fromServiceError(err) : 'no error'));
      call.on('error', () => undefined);
      call.write({ header, data: Buffer.alloc(0), crc32c: 0 });
      const part = randomBytes(MiB + 100);
      call.write({ data: part, crc32c: crc32c(part) }, () => setTimeout(() => call.cancel(), 100));
    });
    assert.equal(codeOf(await outcome), 'CANCELLED');
    const payload = randomBytes(200_000);
    await waitFor('the chunk lock to be released', async () => {
      const r = await writeChunk(clients[0], { ...header, length: payload.length }, payload).catch(() => undefined);
      return r?.replicasWritten === 2;
    });
    for (let i = 0; i < 2; i++) {
      const got = await readChunk(clients[i], { handle: 105, version: 1, offset: 0, length: 64 * MiB });
      assert.ok(got.subarray(0, payload.length).equals(payload), `replica ${i}`);
    }
  });

  test('a downstream failure fails the write and names the failed server', async () => {
    await grant(clients[0], { handle: 103, version: 1, create: true, primary: true, leaseDurationMs: 60_000 });
    await grant(clients[1], { handle: 103, version: 1, create: true });
    // servers[2] has no chunk 103
    const err = await writeChunk(clients[0], { handle: 103, version: 1, offset: 0, length: 1000, chain: [replica(1), replica(2)] }, randomBytes(1000))
      .catch((e) => e) as DfsError;
    assert.ok(err instanceof DfsError);
    assert.equal(err.code, 'CHUNK_NOT_FOUND');
    assert.ok(err.message.includes(servers[2].address), err.message);
    const md = (err.cause as grpc.ServiceError).metadata;
    assert.equal(md.get(FAILED_SERVER_KEY)[0], servers[2].id);
    // the primary is not wedged: the chunk's lock was released
    const ok = await writeChunk(clients[0], { handle: 103, version: 1, offset: 0, length: 10, chain: [replica(1)] }, randomBytes(10));
    assert.equal(ok.replicasWritten, 2);
  });

  test('WriteSmall on the Calls stream: through the chain as WriteChunk would, checked the same, a failed replica named', async () => {
    const small = (i: number, header: WriteHeader, payload: Buffer, crc = crc32c(payload)) =>
      chunkserverCallsOf(clients[i]).call<WriteReply__Output>('WriteSmall', { header, data: payload, crc32c: crc }, 5000);
    for (let i = 0; i < 3; i++) await grant(clients[i], { handle: 106, version: 1, create: true, primary: i === 0, leaseDurationMs: 60_000 });
    const payload = randomBytes(WRITE_SMALL_BYTES_MAX);
    const h = { handle: 106, version: 1, offset: 0, length: payload.length, chain: [replica(1), replica(2)], noSync: true };
    const reply = await small(0, h, payload);
    assert.deepEqual({ n: reply.replicasWritten, l: reply.chunkLength }, { n: 3, l: payload.length });
    // ranges and set_length travel down the chain too
    const ranged = await small(0, { ...h, offset: 10, length: 8, ranges: [{ offset: 10, length: 4 }, { offset: 100, length: 4 }], setLength: 5000 }, Buffer.from('abcdWXYZ'));
    assert.equal(ranged.chunkLength, 5000);
    const want = Buffer.from(payload.subarray(0, 5000));
    want.write('abcd', 10);
    want.write('WXYZ', 100);
    for (let i = 0; i < 3; i++) assert.ok((await readChunk(clients[i], { handle: 106, version: 1, offset: 0, length: 64 * MiB })).equals(want), `replica ${i}`);
    // many in flight on the one stream, each answered
    const many = await Promise.all(Array.from({ length: 32 }, (_, k) => small(0, { ...h, offset: k * 100, length: 100 }, Buffer.alloc(100, k))));
    assert.ok(many.every((r) => r.replicasWritten === 3));
    for (let k = 0; k < 32; k++) assert.ok((await readChunk(clients[2], { handle: 106, version: 1, offset: k * 100, length: 100 })).equals(Buffer.alloc(100, k)));
    // refused as WriteChunk refuses
    assert.equal(codeOf(await small(0, { ...h, length: WRITE_SMALL_BYTES_MAX + 1 }, randomBytes(WRITE_SMALL_BYTES_MAX + 1)).catch((e) => e)), 'EINVAL');
    assert.equal(codeOf(await small(0, { ...h, length: 11 }, randomBytes(10)).catch((e) => e)), 'BAD_FRAME');
    assert.equal(codeOf(await small(0, { ...h, length: 10 }, randomBytes(10), 12345).catch((e) => e)), 'CHECKSUM_MISMATCH');
    assert.equal(codeOf(await small(1, { ...h, chain: [], length: 3 }, Buffer.from('abc')).catch((e) => e)), 'NOT_PRIMARY');
    assert.equal(codeOf(await small(1, { ...h, chain: [], length: 3, version: 2, fromPrimary: true }, Buffer.from('abc')).catch((e) => e)), 'STALE_VERSION');
    // servers[2] has no chunk 107: the failure names it, through two hops of Calls streams
    await grant(clients[0], { handle: 107, version: 1, create: true, primary: true, leaseDurationMs: 60_000 });
    await grant(clients[1], { handle: 107, version: 1, create: true });
    const err = await small(0, { ...h, handle: 107, length: 10 }, randomBytes(10)).catch((e) => e) as DfsError;
    assert.equal(err.code, 'CHUNK_NOT_FOUND');
    assert.ok(err.message.includes(servers[2].address), err.message);
    assert.equal((err.cause as grpc.ServiceError).metadata.get(FAILED_SERVER_KEY)[0], servers[2].id);
    const ok = await small(0, { ...h, handle: 107, length: 10, chain: [replica(1)] }, randomBytes(10));
    assert.equal(ok.replicasWritten, 2, 'the primary is not wedged');
  });

  test('a replica whose disk refuses its chunk file fails the write with DISK_ERROR naming itself, primary or secondary, WriteSmall or WriteChunk, and is reported bad', async () => {
    const small = (header: WriteHeader, payload: Buffer) =>
      chunkserverCallsOf(clients[0]).call<WriteReply__Output>('WriteSmall', { header, data: payload, crc32c: crc32c(payload) }, 5000);
    const old = randomBytes(300 * 1024);
    for (const handle of [110, 111]) {
      for (let i = 0; i < 3; i++) await grant(clients[i], { handle, version: 1, create: true, primary: i === 0, leaseDurationMs: 60_000 });
      await writeChunk(clients[0], { handle, version: 1, offset: 0, length: old.length, chain: [replica(1), replica(2)] }, old);
    }
    // `rm X.chunk; mkdir X.chunk` (a black-box tester used chattr +i): opening it for a write fails with EISDIR
    const refuse = async (i: number, handle: number) => {
      await rm(servers[i].chunkPath(handle));
      await mkdir(servers[i].chunkPath(handle));
    };
    // the primary, in a small write: the others write at the same time (fan-out)
    await refuse(0, 110);
    const patch = Buffer.from('new bytes');
    const h = { handle: 110, version: 1, offset: 1000, length: patch.length, chain: [replica(1), replica(2)] };
    const err = await small(h, patch).catch((e) => e) as DfsError;
    assert.equal(err.code, 'DISK_ERROR', err.message);
    assert.match(err.message, /EISDIR/);
    assert.ok(err.message.includes(servers[0].address), err.message);
    assert.equal((err.cause as grpc.ServiceError).metadata.get(FAILED_SERVER_KEY)[0], servers[0].id, 'the client retries without it');
    await waitFor('ReportBadReplica of the primary', () => master.badReports.some((r) => r.handle === 110 && r.serverId === servers[0].id));
    // So the others hold bytes the failed one lacks, at the same version: the client's retry
    // gets a lease without it and a new version (test/faults-repair.test.ts), and this one,
    // bad and behind, is dropped.
    for (const i of [1, 2]) assert.ok((await readChunk(clients[i], { handle: 110, version: 1, offset: 1000, length: patch.length })).equals(patch), `replica ${i}`);
    assert.equal(codeOf(await readChunk(clients[0], { handle: 110, version: 1, offset: 0, length: 10 }).catch((e) => e)), 'CHECKSUM_MISMATCH', 'never served again');

    // a secondary, in a streamed write down the chain
    await refuse(2, 111);
    const big = randomBytes(300 * 1024);
    const err2 = await writeChunk(clients[0], { handle: 111, version: 1, offset: 0, length: big.length, chain: [replica(1), replica(2)] }, big)
      .catch((e) => e) as DfsError;
    assert.equal(err2.code, 'DISK_ERROR', err2.message);
    assert.equal((err2.cause as grpc.ServiceError).metadata.get(FAILED_SERVER_KEY)[0], servers[2].id);
    await waitFor('ReportBadReplica of the secondary', () => master.badReports.some((r) => r.handle === 111 && r.serverId === servers[2].id));
    const ok = await writeChunk(clients[0], { handle: 111, version: 1, offset: 0, length: 10, chain: [replica(1)] }, randomBytes(10));
    assert.equal(ok.replicasWritten, 2, 'the primary is not wedged');
  });

  test('a corrupted replica is refused, reported to the master and repaired by a replicate task', async () => {
    const fh = await open(servers[1].chunkPath(100), 'r+');
    await fh.write(Buffer.from([0xde, 0xad]), 0, 2, 500);
    await fh.close();
    const err = await readChunk(clients[1], { handle: 100, version: 1, offset: 0, length: 1000 }).catch((e) => e);
    assert.equal(codeOf(err), 'CHECKSUM_MISMATCH');
    const errSmall = await chunkserverCallsOf(clients[1]).call('ReadSmall', { handle: 100, version: 1, offset: 0, length: 4096 }, 5000).catch((e) => e);
    assert.equal(codeOf(errSmall), 'CHECKSUM_MISMATCH', 'ReadSmall verifies as ReadChunk does');
    await waitFor('ReportBadReplica', () => master.badReports.some((r) => r.handle === 100 && r.serverId === servers[1].id));
    await waitFor('bad list in a heartbeat', () => master.heartbeats.some((h) => h.serverId === servers[1].id && h.bad.some((b) => b.handle === 100)));
    const good = await readChunk(clients[0], { handle: 100, version: 1, offset: 0, length: 64 * MiB });
    master.reply(servers[1].id, { replicate: [{ handle: 100, version: 1, sources: [replica(1), replica(0)] }] });
    await waitFor('repaired replica', async () => {
      const got = await readChunk(clients[1], { handle: 100, version: 1, offset: 0, length: 64 * MiB }).catch(() => undefined);
      return got !== undefined && got.equals(good);
    });
  });

  test('Replicate RPC copies a chunk to a server that lacks it', async () => {
    const stat = await callUnary<ReplicateRequest, ChunkStatReply__Output>(clients[2], clients[2].Replicate, { task: { handle: 102, version: 1, sources: [replica(0)] } }, 5000);
    assert.equal(stat.version, 1);
    const a = await readChunk(clients[0], { handle: 102, version: 1, offset: 0, length: 64 * MiB });
    const b = await readChunk(clients[2], { handle: 102, version: 1, offset: 0, length: 64 * MiB });
    assert.ok(a.length > 0 && a.equals(b));
    const e = await callUnary(clients[2], clients[2].Replicate, { task: { handle: 555, version: 1, sources: [replica(0)] } }, 5000).catch((x) => x);
    assert.equal(codeOf(e), 'CHUNK_NOT_FOUND');
  });

  test('heartbeat replies: delete_chunks honours versions; reregister registers again with a full report', async () => {
    master.reply(servers[2].id, { deleteChunks: [{ handle: 102, version: 0 }, { handle: 100, version: 0 }] });
    await waitFor('deleted', async () => codeOf(await readChunk(clients[2], { handle: 102, version: 1, offset: 0, length: 1 }).catch((e) => e)) === 'CHUNK_NOT_FOUND');
    await waitFor('removed reported', () => master.heartbeats.some((h) => h.serverId === servers[2].id && h.removed.includes(102)));
    await grant(clients[0], { handle: 104, version: 5, create: true });
    master.reply(servers[0].id, { deleteChunks: [{ handle: 101, version: 0 }, { handle: 104, version: 4 }] });
    await waitFor('101 deleted', async () => codeOf(await readChunk(clients[0], { handle: 101, version: 1, offset: 0, length: 1 }).catch((e) => e)) === 'CHUNK_NOT_FOUND');
    assert.equal((await readChunk(clients[0], { handle: 104, version: 5, offset: 0, length: 1 })).length, 0, 'a newer replica survives');
    const before = master.registers.filter((r) => r.serverId === servers[0].id).length;
    const fullBefore = master.heartbeats.filter((h) => h.serverId === servers[0].id && h.fullReport).length;
    master.reply(servers[0].id, { reregister: true });
    await waitFor('re-registration', () => master.registers.filter((r) => r.serverId === servers[0].id).length > before);
    await waitFor('new full report', () => master.heartbeats.filter((h) => h.serverId === servers[0].id && h.fullReport).length > fullBefore);
    const last = master.heartbeats.filter((h) => h.serverId === servers[0].id && h.fullReport).at(-1)!;
    assert.ok(last.chunks.some((c) => c.handle === 100));
    assert.ok(!last.chunks.some((c) => c.handle === 101), 'chunk 101 was deleted');
  });
});

describe('a chunkserver whose data folder goes away', () => {
  const master = new FakeMaster();
  let dir = '';
  let cs: ChunkserverHandle | undefined;

  after(async () => {
    await cs?.stop();
    await master.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('stops itself and says why (its folder deleted while it runs), and does not make the folder again', async () => {
    await master.start();
    dir = await mkdtemp(join(tmpdir(), 'dfs-cs-gone-'));
    const config = loadConfig({ env: {}, overrides: { 'chunkserver.heartbeatIntervalMs': 100 } });
    cs = await startChunkserver({ config, masterAddress: master.address, listen: '127.0.0.1:0', dataDir: dir });
    await waitFor('registered', () => master.registers.length > 0);
    await rm(dir, { recursive: true });
    const why = await Promise.race([cs.failed, new Promise<undefined>((r) => setTimeout(() => r(undefined), 5000))]);
    assert.ok(why, 'the server stopped itself');
    assert.equal(why.code, 'DISK_ERROR');
    assert.match(why.message, /in_use\.lock is gone/);
    const client = chunkserverClient(cs.address);
    try {
      const e = await callUnary(client, client.Grant, { handle: 1, version: 1, create: true }, 2000).catch((x) => x);
      assert.ok(e instanceof DfsError && ['UNAVAILABLE', 'ETIMEDOUT'].includes(e.code), `no longer serving: ${String(e)}`);
    } finally {
      closeCallsClient(client);
    }
    assert.equal(existsSync(dir), false, 'the folder was not made again');
  });
});

describe('chunkserver and an unavailable master', () => {
  let dir = '';
  let cs: ChunkserverHandle | undefined;
  const master = new FakeMaster();

  after(async () => {
    await cs?.stop();
    await master.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('starts while the master is down, serves, and registers once the master is up; keeps its id', async () => {
    // find a free port, then leave it closed
    const probe = new grpc.Server();
    const port = await bindServer(probe, '127.0.0.1:0');
    await stopServer(probe, 100);
    const config = loadConfig({ env: {}, overrides: { 'chunkserver.heartbeatIntervalMs': 100 } });
    dir = await mkdtemp(join(tmpdir(), 'dfs-cs-nomaster-'));
    cs = await startChunkserver({ config, masterAddress: `127.0.0.1:${port}`, listen: '127.0.0.1:0', dataDir: dir });
    const client = chunkserverClient(cs.address);
    try {
      await grant(client, { handle: 7, version: 1, create: true });
      await new Promise((r) => setTimeout(r, 300));
      await master.start(`127.0.0.1:${port}`);
      await waitFor('registration after the master came up', () => master.registers.some((r) => r.serverId === cs!.id), 8000);
      await waitFor('full report with the chunk', () => master.heartbeats.some((h) => h.fullReport && h.chunks.some((c) => c.handle === 7)));
    } finally {
      client.close();
    }
    const id = cs.id;
    await cs.stop();
    cs = await startChunkserver({ config, masterAddress: master.address, listen: '127.0.0.1:0', dataDir: dir });
    assert.equal(cs.id, id, 'the id is read back from DATA_DIR/server-id');
  });
});
