// The data link (src/common/data-link.ts): WriteChunk and ReadChunk over plain TCP on the port of
// a grpc-js server, served by the handlers registered on it; gRPC on the same port untouched.
process.env.DFS_LOG_LEVEL ??= 'silent';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { DataLinks, DATA_PREFACE } from '../src/common/data-link';
import { bindServer, callUnary, chunkserverClient, fromServiceError, proto, stopServer, toServiceError, SERVER_OPTIONS } from '../src/common/rpc';
import { DfsError } from '../src/common/errors';
import { crc32c } from '../src/common/crc32c';
import { FAILED_SERVER_KEY } from '../src/chunkserver/write-pipeline';
import type { WriteReply__Output } from '../src/generated/dfs/WriteReply';
import type { DataFrame__Output } from '../src/generated/dfs/DataFrame';
import type { ChunkStatRequest } from '../src/generated/dfs/ChunkStatRequest';
import type { ChunkStatReply__Output } from '../src/generated/dfs/ChunkStatReply';

const MiB = 1024 * 1024;

/** What the fake chunkserver saw of each write: header, the frames' bytes, whether it ended. */
interface SeenWrite { header: { handle: number; length: number } | undefined; bytes: number; crcOk: boolean; cancelled: boolean }

const writes: SeenWrite[] = [];
let readCancelled = 0;
let readFramesWritten = 0;
const peers = new Set<string>();
const server = new grpc.Server(SERVER_OPTIONS);
let address = '';

before(async () => {
  server.addService(proto().dfs.Chunkserver.service, {
    WriteChunk: (call: grpc.ServerReadableStream<any, any>, cb: grpc.sendUnaryData<any>) => {
      const seen: SeenWrite = { header: undefined, bytes: 0, crcOk: true, cancelled: false };
      writes.push(seen);
      peers.add(call.getPeer());
      call.on('cancelled', () => { seen.cancelled = true; });
      call.on('data', (f: any) => {
        if (f.header) seen.header = { handle: Number(f.header.handle), length: Number(f.header.length) };
        if (f.data.length > 0 && crc32c(f.data) !== f.crc32c >>> 0) seen.crcOk = false;
        seen.bytes += f.data.length;
        if (seen.header?.handle === 66 && seen.bytes > 0) {
          // refuses at once, naming a replica, while the client still sends
          const se = toServiceError(new DfsError('CHECKSUM_MISMATCH', 'frame refused'));
          se.metadata!.set(FAILED_SERVER_KEY, 'cs-bad');
          cb(se as grpc.ServiceError);
        }
      });
      call.on('end', () => {
        if (seen.header?.handle === 66) return;
        cb(null, { chunkLength: seen.bytes, replicasWritten: seen.crcOk ? 1 : 0 });
      });
    },
    ReadChunk: async (call: grpc.ServerWritableStream<any, any>) => {
      const req = call.request;
      let cancelled = false;
      call.on('cancelled', () => { cancelled = true; readCancelled++; });
      if (Number(req.handle) === 404) {
        call.emit('error', toServiceError(new DfsError('CHUNK_NOT_FOUND', 'no chunk 404')));
        return;
      }
      // frames of 1 MiB (handle 77: of 10,007 bytes) filled with their index, honouring
      // back-pressure, until cancelled
      const frameBytes = Number(req.handle) === 77 ? 10_007 : MiB;
      for (let i = 0; i < Number(req.length) / frameBytes && !cancelled; i++) {
        const data = Buffer.alloc(frameBytes, i);
        readFramesWritten++;
        if (!call.write({ data, crc32c: crc32c(data) })) await new Promise((r) => call.once('drain', r));
      }
      if (!cancelled) call.end();
    },
    ChunkStat: (call: grpc.ServerUnaryCall<any, any>, cb: grpc.sendUnaryData<any>) => cb(null, { exists: true, version: Number(call.request.handle), length: 1 }),
  } as grpc.UntypedServiceImplementation);
  address = `127.0.0.1:${await bindServer(server, '127.0.0.1:0')}`;
});

after(async () => {
  await stopServer(server, 100);
});

function write(links: DataLinks, handle: number, frames: Buffer[]): Promise<WriteReply__Output> {
  const length = frames.reduce((n, f) => n + f.length, 0);
  return new Promise((resolve, reject) => {
    const call = links.get(address).WriteChunk((err, reply) => (err ? reject(err) : resolve(reply!)));
    call.write({ header: { handle, version: 1, offset: 0, length, chain: [] }, data: Buffer.alloc(0), crc32c: 0 });
    for (const data of frames) call.write({ data, crc32c: crc32c(data) });
    call.end();
  });
}

async function readAll(links: DataLinks, handle: number, length: number): Promise<DataFrame__Output[]> {
  const frames: DataFrame__Output[] = [];
  for await (const f of links.get(address).ReadChunk({ handle, version: 1, offset: 0, length }) as AsyncIterable<DataFrame__Output>) frames.push(f);
  return frames;
}

test('writes and reads go through the handlers; gRPC on the same port still works', async () => {
  const links = new DataLinks();
  try {
    const frames = [Buffer.alloc(MiB, 1), Buffer.alloc(3 * MiB + 17, 2), Buffer.from('tail')];
    const reply = await write(links, 5, frames);
    assert.deepEqual({ ...reply }, { chunkLength: 4 * MiB + 21, replicasWritten: 1 });
    const seen = writes.at(-1)!;
    assert.deepEqual(seen.header, { handle: 5, length: 4 * MiB + 21 });
    assert.equal(seen.crcOk, true, 'each frame arrives with the CRC32C of its bytes');

    const got = await readAll(links, 7, 3 * MiB);
    assert.equal(got.length, 3);
    got.forEach((f, i) => {
      assert.ok(f.data.equals(Buffer.alloc(MiB, i)), `frame ${i} intact`);
      assert.equal(f.crc32c >>> 0, crc32c(f.data));
    });

    // small frames: several per socket read, and split across reads
    const small = await readAll(links, 77, 500 * 10_007);
    assert.equal(small.length, 500);
    small.forEach((f, i) => assert.ok(f.data.equals(Buffer.alloc(10_007, i)), `small frame ${i} intact`));

    const cs = chunkserverClient(address);
    try {
      const stat = await callUnary<ChunkStatRequest, ChunkStatReply__Output>(cs, cs.ChunkStat, { handle: 9 }, 5000);
      assert.equal(stat.version, 9, 'a gRPC call is served on the data link port');
    } finally {
      cs.close();
    }
  } finally {
    links.close();
  }
});

test('a connection whose call ended cleanly serves the next call; a failed one is closed', async () => {
  const links = new DataLinks();
  try {
    peers.clear();
    await write(links, 1, [Buffer.alloc(100, 1)]);
    await readAll(links, 2, MiB);
    await write(links, 3, [Buffer.alloc(100, 3)]);
    assert.equal(peers.size, 1, `one connection for three calls (peers: ${[...peers].join(', ')})`);
    const reused = [...peers][0];

    const err = await write(links, 66, [Buffer.alloc(MiB, 6), Buffer.alloc(MiB, 6)]).then(() => undefined, (e) => e);
    const dfsErr = fromServiceError(err, 'WriteChunk');
    assert.equal(dfsErr.code, 'CHECKSUM_MISMATCH', `the handler's error code arrives: ${dfsErr.message}`);
    assert.equal(err.metadata.get(FAILED_SERVER_KEY)[0], 'cs-bad', 'with its metadata');

    peers.clear();
    await write(links, 4, [Buffer.alloc(10, 4)]);
    assert.equal(peers.size, 1);
    assert.notEqual([...peers][0], reused, 'the failed call\'s connection is not reused');
  } finally {
    links.close();
  }
});

test('a read error carries the server status; a cancelled read stops the server; refused connections are UNAVAILABLE', async () => {
  const links = new DataLinks();
  try {
    const err = await readAll(links, 404, MiB).then(() => undefined, (e) => e);
    assert.equal(fromServiceError(err, 'ReadChunk').code, 'CHUNK_NOT_FOUND');

    // A reader that takes one frame and cancels: the server sees 'cancelled' and stops writing
    // after what the socket buffers held (far fewer than the 256 frames asked for).
    const before = readFramesWritten;
    const cancelledBefore = readCancelled;
    const call = links.get(address).ReadChunk({ handle: 8, version: 1, offset: 0, length: 256 * MiB });
    call.on('error', () => undefined);
    await new Promise<void>((resolve) => call.once('data', () => { call.pause(); resolve(); }));
    call.cancel();
    const deadline = Date.now() + 5000;
    while (readCancelled === cancelledBefore && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(readCancelled, cancelledBefore + 1, 'the handler saw the cancellation');
    assert.ok(readFramesWritten - before < 64, `the server stopped early: ${readFramesWritten - before} frames`);

    // a port nobody listens on
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const dead = new DataLinks();
    const refused = await new Promise<grpc.ServiceError | null>((resolve) => {
      const w = dead.get(`127.0.0.1:${port}`).WriteChunk((e) => resolve(e));
      w.write({ header: { handle: 1, version: 1, offset: 0, length: 1, chain: [] }, data: Buffer.alloc(0), crc32c: 0 });
      w.end();
    });
    assert.equal(fromServiceError(refused, 'WriteChunk').code, 'UNAVAILABLE');
    dead.close();
  } finally {
    links.close();
  }
});

test('a client hanging up mid-write is a cancellation for the handler, not an end', async () => {
  const socket = net.connect(Number(address.split(':')[1]), '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  const msg = (kind: number, body: Buffer): Buffer => {
    const h = Buffer.alloc(5);
    h.writeUInt32BE(body.length, 0);
    h[4] = kind;
    return Buffer.concat([h, body]);
  };
  const headerFrame = proto().dfs.Chunkserver.service.WriteChunk.requestSerialize({ header: { handle: 12, version: 1, offset: 0, length: 10, chain: [] } } as never);
  const n = writes.length;
  socket.write(Buffer.concat([DATA_PREFACE, msg(1, Buffer.from([1])), msg(2, headerFrame)]));
  const deadline = Date.now() + 5000;
  while (writes.length === n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  socket.destroy();
  while (!writes[n]?.cancelled && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(writes[n]?.cancelled, true, 'the handler got cancelled');

  // garbage after the preface: the server closes that connection and goes on serving others
  const bad = net.connect(Number(address.split(':')[1]), '127.0.0.1');
  await new Promise((r) => bad.once('connect', r));
  const closed = new Promise((r) => bad.once('close', r));
  bad.on('error', () => undefined);
  bad.write(Buffer.concat([DATA_PREFACE, msg(9, Buffer.alloc(3))]));
  await closed;
  const links = new DataLinks();
  try {
    assert.equal((await write(links, 13, [Buffer.from('still serving')])).chunkLength, 13);
  } finally {
    links.close();
  }
});
