/**
 * The master's direct HeartbeatRequest decoder (src/master/heartbeat-decode.ts) returns exactly
 * what protobufjs (proto-loader) returns, on random messages and hand-made wire edge cases, falls
 * back to protobufjs for what it does not know, and covers every field of the schema.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as protoLoader from '@grpc/proto-loader';
import { proto, PROTO_PATH, LOADER_OPTIONS } from '../src/common/rpc';
import { decodeHeartbeatRequest, withDirectHeartbeatDecoder, DECODED_FIELDS } from '../src/master/heartbeat-decode';
import type { HeartbeatRequest, HeartbeatRequest__Output } from '../src/generated/dfs/HeartbeatRequest';

const method = proto().dfs.Master.service.Heartbeat;
const generic = (b: Buffer): HeartbeatRequest__Output => method.requestDeserialize(b) as HeartbeatRequest__Output;
const encode = (m: HeartbeatRequest): Buffer => method.requestSerialize(m);

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomMessage(r: () => number): HeartbeatRequest {
  const u64 = (): number => {
    const k = r();
    if (k < 0.1) return 0;
    if (k < 0.5) return Math.floor(r() * 2 ** 14);
    if (k < 0.8) return Math.floor(r() * 2 ** 35);
    return Math.floor(r() * 2 ** 53);
  };
  const text = (): string => ['', 'cs-a', 'sérveur-ü', '服务器', 'x'.repeat(200)][Math.floor(r() * 5)];
  const m: HeartbeatRequest = {};
  if (r() < 0.9) m.serverId = text();
  if (r() < 0.7) m.capacityBytes = u64();
  if (r() < 0.7) m.usedBytes = u64();
  if (r() < 0.7) m.freeBytes = u64();
  if (r() < 0.5) m.activeWrites = Math.floor(r() * 2 ** 32);
  if (r() < 0.5) m.chunkCount = u64();
  if (r() < 0.5) m.fullReport = r() < 0.5;
  if (r() < 0.5) m.lastPage = r() < 0.5;
  if (r() < 0.7) m.chunks = Array.from({ length: Math.floor(r() * 50) }, () => ({ handle: u64(), version: u64(), length: u64() }));
  if (r() < 0.5) m.removed = Array.from({ length: Math.floor(r() * 20) }, u64);
  if (r() < 0.3) m.bad = Array.from({ length: Math.floor(r() * 3) }, () => ({ handle: u64(), serverId: text(), reason: text() }));
  if (r() < 0.6) m.digest = { bits: Buffer.from(Array.from({ length: Math.floor(r() * 40) }, () => Math.floor(r() * 256))), hashes: Math.floor(r() * 10), count: u64() };
  if (r() < 0.7) m.instanceId = text();
  return m;
}

/** Wire helpers for hand-made messages. */
function varint(n: bigint): number[] {
  const out: number[] = [];
  do {
    let b = Number(n & 127n);
    n >>= 7n;
    if (n > 0n) b |= 128;
    out.push(b);
  } while (n > 0n);
  return out;
}
const key = (field: number, wire: number): number[] => varint(BigInt((field << 3) | wire));

test('HeartbeatRequest decoder: same result as protobufjs on 2,000 random messages', () => {
  const r = rng(42);
  for (let i = 0; i < 2_000; i++) {
    const buf = encode(randomMessage(r));
    assert.deepStrictEqual(decodeHeartbeatRequest(buf, generic), generic(buf), `message ${i}`);
  }
});

test('HeartbeatRequest decoder: empty message, 10-byte and 2^64-1 varints, unpacked repeated uint64', () => {
  const cases: number[][] = [
    [],
    [...key(2, 0), ...varint(2n ** 64n - 1n)], // capacity_bytes = max uint64
    [...key(5, 0), ...varint(2n ** 64n - 1n)], // active_writes (uint32) from a 10-byte varint
    [...key(6, 0), ...varint(2n ** 53n + 1n)], // beyond the safe integers: rounded as protobufjs does
    [...key(10, 0), ...varint(7n), ...key(10, 0), ...varint(2n ** 40n)], // removed, unpacked
    [...key(10, 2), 3, ...varint(1n), ...varint(300n)], // removed, packed
    [...key(7, 0), ...varint(2n)], // bool from a value other than 1
    [...key(12, 2), 0], // an empty digest message
    [...key(12, 2), 2, ...key(2, 0), 7, ...key(12, 2), 2, ...key(3, 0), 9], // digest twice: the last wins
  ];
  for (const bytes of cases) {
    const buf = Buffer.from(bytes);
    assert.deepStrictEqual(decodeHeartbeatRequest(buf, generic), generic(buf), `bytes ${buf.toString('hex')}`);
  }
});

test('HeartbeatRequest decoder: unknown fields and wire types fall back to protobufjs; malformed input fails as there', () => {
  const base = encode({ serverId: 'cs-1', chunks: [{ handle: 5, version: 2, length: 3 }] });
  let fallbacks = 0;
  const counting = (b: Buffer): HeartbeatRequest__Output => { fallbacks++; return generic(b); };
  for (const extra of [[...key(99, 0), 1], [...key(14, 2), 1, 65], [...key(1, 0), 1]]) {
    const buf = Buffer.concat([base, Buffer.from(extra)]);
    let want: unknown;
    try { want = generic(buf); } catch (e) { want = e; }
    if (want instanceof Error) assert.throws(() => decodeHeartbeatRequest(buf, counting));
    else assert.deepStrictEqual(decodeHeartbeatRequest(buf, counting), want);
  }
  assert.equal(fallbacks, 3);
  const truncated = base.subarray(0, base.length - 2);
  assert.throws(() => generic(truncated));
  assert.throws(() => decodeHeartbeatRequest(truncated, generic));
});

test('HeartbeatRequest decoder: its field lists are the schema\'s (a new field needs the decoder updated)', () => {
  const def = protoLoader.loadSync(PROTO_PATH, LOADER_OPTIONS);
  for (const [name, fields] of Object.entries(DECODED_FIELDS)) {
    const type = (def[`dfs.${name}`] as { type: { field: { number: number }[] } }).type;
    assert.deepEqual(type.field.map((f) => f.number).sort((a, b) => a - b), [...fields], name);
  }
});

test('HeartbeatRequest decoder: the service definition uses it for Heartbeat only', () => {
  const service = proto().dfs.Master.service;
  const wrapped = withDirectHeartbeatDecoder(service);
  assert.notEqual(wrapped.Heartbeat.requestDeserialize, service.Heartbeat.requestDeserialize);
  assert.equal(wrapped.Stat, service.Stat);
  const buf = encode({ serverId: 'a', fullReport: true, chunks: [{ handle: 1, version: 1, length: 0 }] });
  assert.deepStrictEqual(wrapped.Heartbeat.requestDeserialize(buf), generic(buf));
});
