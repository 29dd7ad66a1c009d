/**
 * A direct decoder of `HeartbeatRequest` for the master's Heartbeat stream (issue 6, master at
 * scale). A full report page holds 10,000 `ChunkReport`s; protobufjs decodes each into a message
 * object, converts its three uint64 through Long, then copies it into a plain object
 * (`toObject`): with 1,000 chunkservers reporting at once that was ~45% of the master's CPU,
 * spent synchronously inside grpc-js before any handler could yield.
 *
 * Contract: for every message this returns exactly what `proto().dfs.Master.service.Heartbeat
 * .requestDeserialize` returns (proto-loader options longs: Number, defaults: true; bytes as
 * Buffer views of the input; uint64 as lo + hi·2^32 like protobufjs' LongBits.toNumber). On
 * anything it does not know (a field number or wire type the schema of today does not have, a
 * group, a truncated message) it returns the protobufjs decoding of the whole message instead,
 * so a field added to the schema later is never dropped, only decoded the slow way
 * (test/master-heartbeat-decode.test.ts compares both on random messages and checks that
 * the field lists here match the schema).
 */
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import type { HeartbeatRequest__Output } from '../generated/dfs/HeartbeatRequest';
import type { ChunkReport__Output } from '../generated/dfs/ChunkReport';
import type { BadReplicaReport__Output } from '../generated/dfs/BadReplicaReport';
import type { InventoryDigest__Output } from '../generated/dfs/InventoryDigest';

/** Field numbers decoded here, per message (checked against the schema by the test). */
export const DECODED_FIELDS = {
  HeartbeatRequest: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
  ChunkReport: [1, 2, 3],
  BadReplicaReport: [1, 2, 3],
  InventoryDigest: [1, 2, 3],
} as const;

/** Thrown inside the decoder when the message needs the generic decoder. */
class NotHandled extends Error {}

const TWO_32 = 4294967296;

class Reader {
  pos: number;

  constructor(readonly buf: Buffer, start: number, readonly end: number) {
    this.pos = start;
  }

  private byte(): number {
    if (this.pos >= this.end) throw new NotHandled('truncated');
    return this.buf[this.pos++];
  }

  /** protobufjs' uint32(): the low 32 bits of a varint of up to 10 bytes. */
  uint32(): number {
    let value = 0;
    for (let i = 0; i < 5; i++) {
      const b = this.byte();
      value = (value | ((b & 127) << (7 * i))) >>> 0;
      if (b < 128) return value;
    }
    for (let i = 0; i < 5; i++) if (this.byte() < 128) return value; // bits beyond 32 are dropped
    throw new NotHandled('varint too long');
  }

  /** protobufjs' uint64 with longs: Number: lo + hi · 2^32 of the 64-bit varint. */
  uint64(): number {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 4; i++) {
      const b = this.byte();
      lo = (lo | ((b & 127) << (7 * i))) >>> 0;
      if (b < 128) return lo;
    }
    let b = this.byte();
    lo = (lo | ((b & 127) << 28)) >>> 0;
    hi = ((b & 127) >> 4) >>> 0;
    if (b < 128) return lo + hi * TWO_32;
    for (let i = 0; i < 5; i++) {
      b = this.byte();
      hi = (hi | ((b & 127) << (7 * i + 3))) >>> 0;
      if (b < 128) return lo + hi * TWO_32;
    }
    throw new NotHandled('varint too long');
  }

  /** The [start, end) of a length-delimited field's bytes. */
  span(): [number, number] {
    const len = this.uint32();
    const start = this.pos;
    if (start + len > this.end) throw new NotHandled('truncated');
    this.pos = start + len;
    return [start, start + len];
  }

  string(): string {
    const [s, e] = this.span();
    return this.buf.toString('utf8', s, e);
  }

  /** A field key: [field number, wire type]. */
  key(): [number, number] {
    const k = this.uint32();
    return [k >>> 3, k & 7];
  }
}

function expect(wire: number, want: number): void {
  if (wire !== want) throw new NotHandled('wire type');
}

function chunkReport(r: Reader): ChunkReport__Output {
  const [s, e] = r.span();
  const m = new Reader(r.buf, s, e);
  const out: ChunkReport__Output = { handle: 0, version: 0, length: 0 };
  while (m.pos < e) {
    const [field, wire] = m.key();
    expect(wire, 0);
    if (field === 1) out.handle = m.uint64();
    else if (field === 2) out.version = m.uint64();
    else if (field === 3) out.length = m.uint64();
    else throw new NotHandled('field');
  }
  return out;
}

function badReplica(r: Reader): BadReplicaReport__Output {
  const [s, e] = r.span();
  const m = new Reader(r.buf, s, e);
  const out: BadReplicaReport__Output = { handle: 0, serverId: '', reason: '' };
  while (m.pos < e) {
    const [field, wire] = m.key();
    if (field === 1) { expect(wire, 0); out.handle = m.uint64(); }
    else if (field === 2) { expect(wire, 2); out.serverId = m.string(); }
    else if (field === 3) { expect(wire, 2); out.reason = m.string(); }
    else throw new NotHandled('field');
  }
  return out;
}

function digest(r: Reader): InventoryDigest__Output {
  const [s, e] = r.span();
  const m = new Reader(r.buf, s, e);
  const out: InventoryDigest__Output = { bits: Buffer.alloc(0), hashes: 0, count: 0 };
  while (m.pos < e) {
    const [field, wire] = m.key();
    if (field === 1) { expect(wire, 2); const [bs, be] = m.span(); out.bits = m.buf.subarray(bs, be); }
    else if (field === 2) { expect(wire, 0); out.hashes = m.uint32(); }
    else if (field === 3) { expect(wire, 0); out.count = m.uint64(); }
    else throw new NotHandled('field');
  }
  return out;
}

function decodeFast(buf: Buffer): HeartbeatRequest__Output {
  const r = new Reader(buf, 0, buf.length);
  const out: HeartbeatRequest__Output = {
    chunks: [], removed: [], bad: [], serverId: '', capacityBytes: 0, usedBytes: 0, freeBytes: 0,
    activeWrites: 0, chunkCount: 0, fullReport: false, lastPage: false, digest: null, instanceId: '',
  };
  while (r.pos < r.end) {
    const [field, wire] = r.key();
    switch (field) {
      case 1: expect(wire, 2); out.serverId = r.string(); break;
      case 2: expect(wire, 0); out.capacityBytes = r.uint64(); break;
      case 3: expect(wire, 0); out.usedBytes = r.uint64(); break;
      case 4: expect(wire, 0); out.freeBytes = r.uint64(); break;
      case 5: expect(wire, 0); out.activeWrites = r.uint32(); break;
      case 6: expect(wire, 0); out.chunkCount = r.uint64(); break;
      case 7: expect(wire, 0); out.fullReport = r.uint32() !== 0; break;
      case 8: expect(wire, 0); out.lastPage = r.uint32() !== 0; break;
      case 9: expect(wire, 2); out.chunks.push(chunkReport(r)); break;
      case 10:
        if (wire === 2) { // packed
          const [s, e] = r.span();
          const inner = new Reader(r.buf, s, e);
          while (inner.pos < e) out.removed.push(inner.uint64());
        } else {
          expect(wire, 0);
          out.removed.push(r.uint64());
        }
        break;
      case 11: expect(wire, 2); out.bad.push(badReplica(r)); break;
      case 12: expect(wire, 2); out.digest = digest(r); break;
      case 13: expect(wire, 2); out.instanceId = r.string(); break;
      default: throw new NotHandled('field');
    }
  }
  return out;
}

/**
 * Decodes a HeartbeatRequest; `generic` (protobufjs) decodes what this decoder does not handle.
 * Errors: those of `generic` (a malformed message).
 */
export function decodeHeartbeatRequest(buf: Buffer, generic: (buf: Buffer) => HeartbeatRequest__Output): HeartbeatRequest__Output {
  try {
    return decodeFast(buf);
  } catch (e) {
    if (e instanceof NotHandled) return generic(buf);
    throw e;
  }
}

/** The Master service definition with `decodeHeartbeatRequest` as the Heartbeat request decoder. */
export function withDirectHeartbeatDecoder(service: ServiceDefinition): ServiceDefinition {
  const hb = service.Heartbeat as MethodDefinition<HeartbeatRequest__Output, unknown>;
  const generic = hb.requestDeserialize;
  return { ...service, Heartbeat: { ...hb, requestDeserialize: (buf: Buffer) => decodeHeartbeatRequest(buf, generic) } };
}
