// Entropy-driven block compression of chunk files: the codec and entropy estimate (pure), the
// meta format (1 = all raw, 2 = a stored word per block), the store with compression on
// (mixed blocks, partial overwrites across compressed blocks, arbitrary range reads, gaps and
// set_length around compressed blocks, old-format files, scrubbing), and a cluster end to end.
process.env.DFS_LOG_LEVEL ??= 'silent';
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, readFile, writeFile, open, stat, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import { Readable, Writable } from 'node:stream';
import { FileChunkStore, type BadReplica } from '../src/chunkserver/chunk-store';
import { BLOCK_BYTES, decodeMeta, encodeMeta, type ChunkMeta } from '../src/chunkserver/chunk-meta';
import {
  CODEC_BROTLI, COMPRESS_MIN_BYTES, STORED_RAW, codecOf, decodeBlock, encodeBlock, estimateEntropyBitsPerByte,
  storedBytesOf, storedWord, type CompressionPolicy,
} from '../src/chunkserver/block-codec';
import { Scrubber } from '../src/chunkserver/scrubber';
import { crc32c } from '../src/common/crc32c';
import { isDfsError } from '../src/common/errors';
import { logger } from '../src/common/logger';
import { sleep } from '../src/common/clock';
import { TestCluster } from './helpers/cluster';
import { readAll, writeAt } from './helpers/chunk-store-io';

const AUTO: CompressionPolicy = { mode: 'auto', entropyMaxBitsPerByte: 7 };
const MiB = 1024 * 1024;

/** `n` bytes of log lines: low entropy, compressible (like the benchmark's text file). */
function logText(n: number, seed = 0): Buffer {
  const levels = ['INFO', 'WARN', 'DEBUG', 'ERROR'];
  const lines: string[] = [];
  let len = 0;
  for (let i = seed; len < n; i++) {
    const line = `2026-11-23T22:${String(i % 60).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}Z ${levels[i % 4]} [worker-${i % 8}] ` +
      `request id=${((i * 2654435761) >>> 0).toString(16)} path=/api/items/${i % 1000} status=200 ms=${i % 97}\n`;
    lines.push(line);
    len += line.length;
  }
  return Buffer.from(lines.join('')).subarray(0, n);
}


async function metaOf(store: FileChunkStore, handle: number): Promise<ChunkMeta> {
  return decodeMeta(await readFile(store.chunkPath(handle).replace(/\.chunk$/, '.meta')));
}

function isCompressed(meta: ChunkMeta, block: number): boolean {
  return (meta.stored?.[block] ?? STORED_RAW) !== STORED_RAW;
}

/** A model of a chunk: write `data` at `offset`, then apply a set_length. */
function applyToModel(model: Buffer, offset: number, data: Buffer, setLength?: number): Buffer {
  let out = model;
  const end = offset + data.length;
  if (data.length > 0 && end > out.length) out = Buffer.concat([out, Buffer.alloc(end - out.length)]);
  data.copy(out, offset);
  if (setLength !== undefined) out = setLength <= out.length ? out.subarray(0, setLength) : Buffer.concat([out, Buffer.alloc(setLength - out.length)]);
  return Buffer.from(out);
}

describe('block codec (pure)', () => {
  test('entropy estimate: random bytes near 8 bits, log text near 5, one repeated byte 0', () => {
    assert.ok(estimateEntropyBitsPerByte(randomBytes(BLOCK_BYTES)) > 7.5);
    const text = estimateEntropyBitsPerByte(logText(BLOCK_BYTES));
    assert.ok(text > 4 && text < 6, `log text: ${text}`);
    assert.equal(estimateEntropyBitsPerByte(Buffer.alloc(BLOCK_BYTES, 7)), 0);
    assert.equal(estimateEntropyBitsPerByte(Buffer.alloc(0)), 0);
    // small inputs are counted whole: two equally frequent values = 1 bit
    assert.equal(estimateEntropyBitsPerByte(Buffer.from([1, 2, 1, 2])), 1);
  });

  test('encode: log text compressed by at least 1/8, random and small blocks raw, nothing compressed when off', () => {
    const text = logText(BLOCK_BYTES);
    const packed = encodeBlock(text, AUTO);
    assert.equal(codecOf(packed.word), CODEC_BROTLI);
    assert.equal(storedBytesOf(packed.word, BLOCK_BYTES), packed.data.length);
    assert.ok(packed.data.length <= BLOCK_BYTES * 7 / 8);
    assert.deepEqual(decodeBlock(packed.data, packed.word, BLOCK_BYTES), text);

    const random = randomBytes(BLOCK_BYTES);
    assert.equal(encodeBlock(random, AUTO).word, STORED_RAW);
    assert.equal(encodeBlock(random, AUTO).data, random);
    assert.equal(encodeBlock(logText(COMPRESS_MIN_BYTES - 1), AUTO).word, STORED_RAW);
    assert.equal(encodeBlock(text, { mode: 'off', entropyMaxBitsPerByte: 8 }).word, STORED_RAW);
    assert.equal(encodeBlock(text, { mode: 'auto', entropyMaxBitsPerByte: 3 }).word, STORED_RAW, 'above the threshold: not tried');
  });

  test('entropy below the threshold but incompressible by 1/8: stored raw', () => {
    // 7 bits/byte of uniform noise (bytes 0..127): under an 8-bit threshold, the codec saves < 1/8
    const noise = Buffer.from(randomBytes(BLOCK_BYTES).map((b) => b & 0x7f));
    assert.equal(encodeBlock(noise, { mode: 'auto', entropyMaxBitsPerByte: 8 }).word, STORED_RAW);
  });

  test('decode: damaged streams, wrong sizes and unknown codecs are undefined, never an exception', () => {
    const text = logText(BLOCK_BYTES);
    const { data, word } = encodeBlock(text, AUTO);
    const flipped = Buffer.from(data);
    flipped[Math.floor(flipped.length / 2)] ^= 0xff;
    const out = decodeBlock(flipped, word, BLOCK_BYTES);
    assert.ok(out === undefined || crc32c(out) !== crc32c(text), 'damage is seen by decode or by the CRC');
    assert.equal(decodeBlock(data.subarray(0, data.length - 10), word, BLOCK_BYTES), undefined, 'short read');
    assert.equal(decodeBlock(data, word, BLOCK_BYTES - 1), undefined, 'longer than the block');
    assert.equal(decodeBlock(data, ((7 << 24) | data.length) >>> 0, BLOCK_BYTES), undefined, 'unknown codec');
    assert.equal(decodeBlock(text.subarray(1), STORED_RAW, BLOCK_BYTES), undefined, 'short raw block');
    assert.throws(() => storedWord(0, 10));
    assert.throws(() => storedWord(CODEC_BROTLI, 0));
  });
});

describe('meta formats', () => {
  test('format 1 when every block is raw (readable by earlier versions), format 2 with stored words', () => {
    const raw: ChunkMeta = { version: 3, lengthBytes: BLOCK_BYTES + 5, crcs: [11, 12], stored: [STORED_RAW, STORED_RAW] };
    const v1 = encodeMeta(raw);
    assert.equal(v1.readUInt16LE(4), 1);
    assert.deepEqual(decodeMeta(v1), { version: 3, lengthBytes: BLOCK_BYTES + 5, crcs: [11, 12] });
    const mixed: ChunkMeta = { version: 3, lengthBytes: BLOCK_BYTES + 5000, crcs: [11, 12], stored: [storedWord(CODEC_BROTLI, 900), STORED_RAW] };
    const v2 = encodeMeta(mixed);
    assert.equal(v2.readUInt16LE(4), 2);
    assert.deepEqual(decodeMeta(v2), mixed);
  });

  test('a stored word that cannot describe its block is refused on both sides', () => {
    // compressed "size" not smaller than the (partial) block
    const meta: ChunkMeta = { version: 1, lengthBytes: BLOCK_BYTES + 100, crcs: [1, 2], stored: [STORED_RAW, storedWord(CODEC_BROTLI, 100)] };
    assert.throws(() => encodeMeta(meta), (e) => isDfsError(e, 'INTERNAL'));
    // the same word smuggled into a well-formed file: the meta is refused as damaged
    const good = encodeMeta({ ...meta, stored: [STORED_RAW, storedWord(CODEC_BROTLI, 99)] });
    const bad = Buffer.from(good);
    bad.writeUInt32LE(storedWord(CODEC_BROTLI, 100), 28 + 4 * 2 + 4);
    bad.writeUInt32LE(crc32c(bad.subarray(0, bad.length - 4)), bad.length - 4);
    assert.throws(() => decodeMeta(bad), (e) => isDfsError(e, 'CHECKSUM_MISMATCH') && /stored word/.test((e as Error).message));
    bad.writeUInt16LE(3, 4);
    bad.writeUInt32LE(crc32c(bad.subarray(0, bad.length - 4)), bad.length - 4);
    assert.throws(() => decodeMeta(bad), (e) => isDfsError(e, 'CHECKSUM_MISMATCH') && /format version 3/.test((e as Error).message));
  });
});

describe('file chunk store with compression auto', () => {
  let dir: string;
  let store: FileChunkStore;
  const bad: BadReplica[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dfs-cs-compress-'));
    store = new FileChunkStore({ dataDir: dir, compression: AUTO, onBad: (b) => bad.push(b) });
    await store.load();
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('compressible and random blocks side by side: text blocks compressed, random raw, disk use below the data', async () => {
    await store.create(1, 1);
    const data = Buffer.concat([logText(2 * BLOCK_BYTES), randomBytes(BLOCK_BYTES), logText(2 * BLOCK_BYTES, 77), Buffer.alloc(BLOCK_BYTES), logText(5000, 3)]);
    assert.equal(await writeAt(store, 1, 1, 0, data, { pieceBytes: 77_777 }), data.length);
    assert.deepEqual(await readAll(store, 1, 1), data);
    const meta = await metaOf(store, 1);
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((b) => isCompressed(meta, b)), [true, true, false, true, true, true, true]);
    assert.equal(meta.crcs[2], crc32c(data.subarray(2 * BLOCK_BYTES, 3 * BLOCK_BYTES)), 'CRCs are over the uncompressed bytes');
    assert.equal(meta.crcs[6], crc32c(data.subarray(6 * BLOCK_BYTES)));
    const st = await stat(store.chunkPath(1));
    assert.equal(st.size, data.length, 'the chunk file keeps the logical length');
    assert.ok(st.blocks * 512 < data.length / 2, `allocated ${st.blocks * 512} of ${data.length}`);
    assert.ok(store.storedBytes() < store.usedBytes() / 2, `${store.storedBytes()} stored of ${store.usedBytes()}`);
  });

  test('arbitrary ranges read back exactly, in pieces of any size', async () => {
    const model = await readAll(store, 1, 1);
    for (let i = 0; i < 60; i++) {
      const offset = Math.floor(Math.random() * (model.length + 1000));
      const length = Math.floor(Math.random() * 3 * BLOCK_BYTES);
      const piece = 1 + Math.floor(Math.random() * 100_000);
      assert.deepEqual(await readAll(store, 1, 1, offset, length, piece), model.subarray(offset, offset + length), `read ${offset}+${length} in ${piece}`);
    }
  });

  test('partial overwrites across compressed blocks: random over text turns blocks raw, text over random compresses them', async () => {
    await store.create(2, 1);
    let model = logText(4 * BLOCK_BYTES + 9000);
    await writeAt(store, 2, 1, 0, model);
    const steps: [number, Buffer][] = [
      [30_000, randomBytes(2 * BLOCK_BYTES)], // starts and ends inside compressed blocks
      [BLOCK_BYTES + 10, logText(2 * BLOCK_BYTES, 5)], // text back over the random bytes
      [3 * BLOCK_BYTES - 3, Buffer.from('xyzzy')], // a few bytes across a block boundary
      [4 * BLOCK_BYTES + 100, randomBytes(500)], // inside the compressed partial last block
    ];
    for (const [offset, data] of steps) {
      await writeAt(store, 2, 1, offset, data, { pieceBytes: 10_000 });
      model = applyToModel(model, offset, data);
      assert.deepEqual(await readAll(store, 2, 1), model, `after the write at ${offset}`);
    }
    const meta = await metaOf(store, 2);
    assert.equal(isCompressed(meta, 0), false, 'half random: stored raw');
    assert.equal(isCompressed(meta, 2), true, 'text again: compressed again');
    assert.equal(store.get(2)!.lengthBytes, model.length);
    assert.equal((await stat(store.chunkPath(2))).size, model.length);
  });

  test('append to a compressed last block, a gap past it, set_length growing and cutting into compressed blocks', async () => {
    await store.create(3, 1);
    let model = logText(BLOCK_BYTES + 10_000);
    await writeAt(store, 3, 1, 0, model);
    assert.ok(isCompressed(await metaOf(store, 3), 1), 'the partial last block is compressed');
    const ops: { offset: number; data: Buffer; setLength?: number }[] = [
      { offset: model.length, data: logText(3000, 9) }, // append into it
      { offset: 3 * BLOCK_BYTES + 7, data: Buffer.from('after a gap') }, // the rest of it and a whole block read as zeros
      { offset: 0, data: Buffer.alloc(0), setLength: 5 * BLOCK_BYTES + 20_000 }, // grow with zeros
      { offset: 4 * BLOCK_BYTES, data: logText(BLOCK_BYTES + 20_000, 4) }, // compressed blocks at the end
      { offset: 0, data: Buffer.alloc(0), setLength: 4 * BLOCK_BYTES + 12_345 }, // cut inside a compressed block
      { offset: 2, data: Buffer.from('head'), setLength: 6 * BLOCK_BYTES }, // write and grow in one commit
      { offset: 6 * BLOCK_BYTES, data: logText(20_000, 6), setLength: 8 * BLOCK_BYTES + 9 }, // a new compressed last block, grown past in the same commit
      { offset: 9 * BLOCK_BYTES, data: logText(30_000, 7), setLength: 9 * BLOCK_BYTES + 10_000 }, // and cut inside in the same commit
    ];
    for (const op of ops) {
      await writeAt(store, 3, 1, op.offset, op.data, { setLength: op.setLength });
      model = applyToModel(model, op.offset, op.data, op.setLength);
      assert.equal(store.get(3)!.lengthBytes, model.length);
      assert.deepEqual(await readAll(store, 3, 1), model, `after ${op.offset}+${op.data.length} set_length=${op.setLength}`);
    }
  });

  test('random writes of text, random bytes and zeros with set_lengths agree with an in-memory model, also after a reload', async () => {
    await store.create(4, 1);
    let model: Buffer = Buffer.alloc(0);
    const kinds = [(n: number) => logText(n, Math.floor(Math.random() * 1000)), (n: number) => randomBytes(n), (n: number) => Buffer.alloc(n)];
    for (let i = 0; i < 50; i++) {
      const offset = Math.floor(Math.random() * (model.length + 2 * BLOCK_BYTES));
      const data = kinds[i % 3](Math.floor(Math.random() * 2 * BLOCK_BYTES) + 1);
      const setLength = Math.random() < 0.2 ? Math.floor(Math.random() * 4 * BLOCK_BYTES) : undefined;
      await writeAt(store, 4, 1, offset, data, { setLength, pieceBytes: 1 + Math.floor(Math.random() * 70_000) });
      model = applyToModel(model, offset, data, setLength);
      assert.equal(store.get(4)!.lengthBytes, model.length, `step ${i}`);
    }
    assert.deepEqual(await readAll(store, 4, 1), model);
    const again = new FileChunkStore({ dataDir: dir, compression: AUTO });
    await again.load();
    assert.equal(again.get(4)!.bad, false);
    assert.deepEqual(await readAll(again, 4, 1), model);
    assert.equal(again.storedBytes(), store.storedBytes(), 'stored bytes are recomputed from the metas');
  });

  test('an old format-1 chunk (raw, no stored words) is read, overwritten in part and compressed from then on', async () => {
    const handle = 5;
    const data = logText(3 * BLOCK_BYTES + 100);
    const crcs = [0, 1, 2, 3].map((b) => crc32c(data.subarray(b * BLOCK_BYTES, (b + 1) * BLOCK_BYTES)));
    const path = store.chunkPath(handle);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, data);
    const oldMeta = encodeMeta({ version: 2, lengthBytes: data.length, crcs });
    assert.equal(oldMeta.readUInt16LE(4), 1);
    await writeFile(path.replace(/\.chunk$/, '.meta'), oldMeta);
    const reloaded = new FileChunkStore({ dataDir: dir, compression: AUTO });
    await reloaded.load();
    assert.equal(reloaded.get(handle)!.bad, false);
    assert.deepEqual(await readAll(reloaded, handle, 2), data);
    assert.deepEqual(await readAll(reloaded, handle, 2, 70_000, 100_000, 4096), data.subarray(70_000, 170_000));
    const patch = logText(BLOCK_BYTES, 42);
    await writeAt(reloaded, handle, 2, 1000, patch);
    const model = applyToModel(data, 1000, patch);
    assert.deepEqual(await readAll(reloaded, handle, 2), model);
    const meta = await metaOf(reloaded, handle);
    assert.deepEqual([0, 1, 2, 3].map((b) => isCompressed(meta, b)), [true, true, false, false], 'only the rewritten blocks change');
  });

  test('corruption inside a compressed block: the read fails, the replica is bad, the scrubber finds it too', async () => {
    for (const handle of [6, 7]) {
      await store.create(handle, 1);
      await writeAt(store, handle, 1, 0, logText(3 * BLOCK_BYTES, handle));
      const meta = await metaOf(store, handle);
      assert.ok(isCompressed(meta, 1));
      const fh = await open(store.chunkPath(handle), 'r+');
      const at = BLOCK_BYTES + Math.floor(storedBytesOf(meta.stored![1], BLOCK_BYTES) / 2);
      const b = Buffer.alloc(1);
      await fh.read(b, 0, 1, at);
      b[0] ^= 0x5a;
      await fh.write(b, 0, 1, at);
      await fh.close();
    }
    assert.deepEqual(await readAll(store, 6, 1, 0, 100), logText(100, 6), 'the good block before it still reads');
    await assert.rejects(readAll(store, 6, 1), (e) => isDfsError(e, 'CHECKSUM_MISMATCH'));
    assert.equal(store.get(6)!.bad, true);

    const scrubber = new Scrubber(store, 256 * MiB, logger('scrubber-test'), 20);
    scrubber.start();
    try {
      for (let i = 0; i < 500 && !bad.some((x) => x.handle === 7); i++) await sleep(20);
    } finally {
      await scrubber.stop();
    }
    assert.deepEqual(bad.filter((x) => x.handle === 6 || x.handle === 7).map((x) => x.handle).sort(), [6, 7]);
    assert.match(bad.find((x) => x.handle === 7)!.reason, /block 1 does not match/);
  });

  test('a write over a damaged compressed edge block fails instead of laundering it', async () => {
    await store.create(8, 1);
    await writeAt(store, 8, 1, 0, logText(2 * BLOCK_BYTES));
    const fh = await open(store.chunkPath(8), 'r+');
    await fh.write(Buffer.from([1, 2, 3]), 0, 3, 50);
    await fh.close();
    await assert.rejects(writeAt(store, 8, 1, 10, Buffer.from('x')), (e) => isDfsError(e, 'CHECKSUM_MISMATCH'));
    assert.equal(store.get(8)!.bad, true);
  });

  test('an aborted write keeps the replica consistent: the received bytes are written, completed with the old ones', async () => {
    await store.create(9, 1);
    const old = logText(3 * BLOCK_BYTES, 1);
    await writeAt(store, 9, 1, 0, old);
    const w = await store.openWriter(9, 1, 100, 3 * BLOCK_BYTES);
    const sent = logText(BLOCK_BYTES + 5000, 2);
    await w.write(sent);
    await w.abort();
    assert.equal(store.get(9)!.bad, false);
    assert.deepEqual(await readAll(store, 9, 1), applyToModel(old, 100, sent));
  });

  test('install (re-replication) stores compressible blocks compressed and reads back the same bytes', async () => {
    const data = Buffer.concat([logText(2 * BLOCK_BYTES + 3), randomBytes(BLOCK_BYTES), logText(6000, 8)]);
    async function* source() { for (let i = 0; i < data.length; i += 50_000) yield data.subarray(i, i + 50_000); }
    const st = await store.install(10, 4, source());
    assert.equal(st.lengthBytes, data.length);
    assert.deepEqual(await readAll(store, 10, 4), data);
    const meta = await metaOf(store, 10);
    // block 2: 3 bytes of text then random bytes; block 3: 3 random bytes then text
    assert.deepEqual([0, 1, 2, 3].map((b) => isCompressed(meta, b)), [true, true, false, true]);
    assert.equal((await stat(store.chunkPath(10))).size, data.length);
  });

  test('compression off: new blocks stay raw and the meta stays format 1, compressed blocks still read', async () => {
    const plain = new FileChunkStore({ dataDir: dir });
    await plain.load();
    await plain.create(11, 1);
    const text = logText(2 * BLOCK_BYTES);
    await writeAt(plain, 11, 1, 0, text);
    const raw = await readFile(plain.chunkPath(11).replace(/\.chunk$/, '.meta'));
    assert.equal(raw.readUInt16LE(4), 1);
    assert.deepEqual(await readAll(plain, 11, 1), text);
    assert.deepEqual(await readAll(plain, 1, 1), await readAll(store, 1, 1), 'chunks compressed by another configuration read the same');
    await writeAt(plain, 2, 1, 5, Buffer.from('raw now'));
    assert.equal(isCompressed(await metaOf(plain, 2), 0), false);
  });
});

describe('Cluster: compression end to end', () => {
  let cluster: TestCluster;
  before(async () => { cluster = await TestCluster.start({ chunkservers: 3, config: { 'cluster.chunkSizeBytes': MiB } }); });
  after(async () => { await cluster?.stop(); });

  const getAll = async (path: string): Promise<Buffer> => {
    const parts: Buffer[] = [];
    await cluster.client().get(path, new Writable({ write(c, _e, cb) { parts.push(Buffer.from(c)); cb(); } }));
    return Buffer.concat(parts);
  };

  const scrape = (address: string): Promise<string> => new Promise((resolve, reject) => {
    const [host, port] = address.split(':');
    http.get({ host, port: Number(port), path: '/metrics' }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
  const gauge = (text: string, name: string): number => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);

  test('a text file takes less disk than its data on every replica and comes back byte-identical', async () => {
    const text = logText(3 * MiB + 777);
    await cluster.client().put(Readable.from([text]), '/log.txt', { sizeHint: text.length });
    assert.ok((await getAll('/log.txt')).equals(text));
    let allocated = 0;
    for (let i = 0; i < 3; i++) for (const f of await cluster.chunkFiles(i)) allocated += (await stat(f)).blocks * 512;
    assert.ok(allocated < text.length * 3 / 2, `3 replicas of ${text.length} bytes take ${allocated} bytes on disk`);
    for (const cs of cluster.chunkservers) {
      const m = await scrape(cs!.httpAddress!);
      const used = gauge(m, 'dfs_chunkserver_used_bytes');
      const stored = gauge(m, 'dfs_chunkserver_stored_bytes');
      assert.equal(used, text.length, `${cs!.id} holds every chunk`);
      assert.ok(stored < used / 2, `${cs!.id}: ${stored} stored of ${used}`);
    }
    const random = randomBytes(2 * MiB + 5);
    await cluster.client().put(Readable.from([random]), '/random.bin', { sizeHint: random.length });
    assert.ok((await getAll('/random.bin')).equals(random));
  });
});
