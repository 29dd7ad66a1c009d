/**
 * The data link: WriteChunk and ReadChunk over plain TCP, on the chunkserver's gRPC port.
 *
 * Why: a chunk's bytes cross three HTTP/2 connections on a put (client → primary → two
 * replicas). Per GiB and connection, HTTP/2 in Node costs ~2.1 s of CPU at both ends against
 * ~0.75 s for a plain socket (1 MiB writes over loopback, measured here), and grpc-js adds its
 * own message reassembly and send copies on top; on two cores the put was bound by that CPU.
 * HDFS moves block data the same way (DataTransferProtocol: framed packets on a socket of its
 * own, RPC for everything else). Everything but the two bulk streams stays gRPC.
 *
 * Wire format (big-endian):
 *   client, once per connection:  the 8 bytes `DFSDATA1` (never the start of HTTP/2's preface,
 *                                 so one port serves both; `serveDataLinks` tells them apart)
 *   then messages:                [u32 body length][u8 kind][body]
 *   CALL   client → server  [u8 method][the request, encoded] (ReadChunk: a ReadRequest;
 *                           WriteChunk: nothing, its WriteFrames follow)
 *   FRAME  either way       one encoded WriteFrame (→ server) or DataFrame (→ client)
 *   END    either way       the client's last WriteFrame was sent / the server's last DataFrame
 *   REPLY  server → client  WriteChunk's WriteReply, encoded
 *   ERROR  server → client  JSON {code, details, metadata}: the gRPC status the handler gave
 * One call at a time per connection; a connection whose call ended cleanly (REPLY, END) goes
 * back to its client's pool, any other is closed. The client cancels by closing the socket.
 *
 * The server side runs the very handlers registered on the grpc-js server (the chunkserver's,
 * or a test's fake), with call objects that have the grpc-js call surface those handlers use:
 * events 'data' / 'end' / 'cancelled', pause/resume, write / 'drain' / end, emit('error').
 * The client side returns objects with the surface of grpc-js's client calls (write / 'drain'
 * / end / cancel with a completion callback; a Readable of frames with cancel), so chunk-io
 * and the write pipeline treat a link exactly as they treated a gRPC stream.
 */
import * as net from 'node:net';
import { Readable, Writable } from 'node:stream';
import * as grpc from '@grpc/grpc-js';
import type { ReadRequest } from '../generated/dfs/ReadRequest';
import type { WriteFrame } from '../generated/dfs/WriteFrame';
import type { WriteReply__Output } from '../generated/dfs/WriteReply';
import type { DataFrame__Output } from '../generated/dfs/DataFrame';
import { proto } from './rpc';

export const DATA_PREFACE = Buffer.from('DFSDATA1');

const KIND_CALL = 1;
const KIND_FRAME = 2;
const KIND_END = 3;
const KIND_REPLY = 4;
const KIND_ERROR = 5;

const METHOD_WRITE_CHUNK = 1;
const METHOD_READ_CHUNK = 2;
const METHOD_PATHS: Record<number, string> = {
  [METHOD_WRITE_CHUNK]: '/dfs.Chunkserver/WriteChunk',
  [METHOD_READ_CHUNK]: '/dfs.Chunkserver/ReadChunk',
};

const HEADER_BYTES = 5;
const EMPTY = Buffer.alloc(0);
/** Largest message body either side accepts (a 4 MiB frame and its encoding, with room). */
export const DATA_MESSAGE_BYTES_MAX = 8 * 1024 * 1024;
/** Frames a call buffers ahead of its consumer before the socket is paused. */
const CALL_FRAMES_AHEAD = 4;
/** Idle connections kept per server, and for how long. */
const IDLE_LINKS_PER_ADDRESS = 8;
const IDLE_LINK_MS = 30_000;
/** A server stops waiting for a failed write's client to hang up after this long. */
const DRAIN_AFTER_ERROR_MS = 30_000;

type Handler = {
  func: (...args: unknown[]) => void;
  serialize: (value: unknown) => Buffer;
  deserialize: (bytes: Buffer) => unknown;
};

// ------------------------------------------------------------------ framing

function header(kind: number, bodyBytes: number): Buffer {
  const h = Buffer.allocUnsafe(HEADER_BYTES);
  h.writeUInt32BE(bodyBytes, 0);
  h[4] = kind;
  return h;
}

/** Sends one message; returns the socket's write() result (false: wait for 'drain'). */
function send(socket: net.Socket, kind: number, body?: Buffer): boolean {
  if (socket.destroyed) return true;
  if (!body || body.length === 0) return socket.write(header(kind, 0));
  socket.cork();
  socket.write(header(kind, body.length));
  const ok = socket.write(body);
  socket.uncork();
  return ok;
}

/**
 * Sends a FRAME whose message is `{ data, crc32c }` with `data` in protobuf field `dataField`
 * and the CRC in fixed32 field `crcField` (WriteFrame 2/3, DataFrame 1/2), encoded by hand so
 * that `data` goes to the socket as it is: protobufjs would copy it into a new buffer.
 */
function sendDataFrame(socket: net.Socket, dataField: number, crcField: number, data: Buffer, crc: number): boolean {
  if (socket.destroyed) return true;
  const lead = Buffer.allocUnsafe(HEADER_BYTES + 1 + 5);
  let at = HEADER_BYTES;
  lead[at++] = (dataField << 3) | 2;
  for (let n = data.length; ; n >>>= 7) {
    if (n < 0x80) {
      lead[at++] = n;
      break;
    }
    lead[at++] = (n & 0x7f) | 0x80;
  }
  const tail = Buffer.allocUnsafe(5);
  tail[0] = (crcField << 3) | 5;
  tail.writeUInt32LE(crc >>> 0, 1);
  lead.writeUInt32BE(at - HEADER_BYTES + data.length + tail.length, 0);
  lead[4] = KIND_FRAME;
  socket.cork();
  socket.write(lead.subarray(0, at));
  socket.write(data);
  const ok = socket.write(tail);
  socket.uncork();
  return ok;
}

/** The `{ data, crc32c }` of a frame without anything else, or undefined. */
function plainDataFrame(frame: unknown): { data: Buffer; crc32c: number } | undefined {
  const f = frame as { header?: unknown; data?: unknown; crc32c?: unknown };
  if (f.header || !Buffer.isBuffer(f.data) || f.data.length === 0 || typeof f.crc32c !== 'number') return undefined;
  return f as { data: Buffer; crc32c: number };
}

/** A body at least this long is gathered in a buffer of its own (on a client: read into it by the kernel). */
const DIRECT_BODY_BYTES_MIN = 64 * 1024;
const SCRATCH_BYTES = 64 * 1024;

/**
 * Splits a connection's bytes into messages, fed either way:
 * - push(chunk), from 'data' events (the server's accepted sockets): a complete message inside
 *   a chunk is a view of it; a large body spread over chunks is copied once into its own buffer;
 * - next()/got(n), through net's `onread` (a client's connections): the kernel reads a large body
 *   (a DataFrame of a read) straight into the buffer that becomes the frame, in reads of up to
 *   the whole body; headers and small messages go through a reused scratch buffer. Against
 *   'data' events (a fresh 64 KiB buffer per read, then a copy into the message) this saves a
 *   copy and an allocation per byte received, and most of the read calls.
 * A throw from either (a message over DATA_MESSAGE_BYTES_MAX, a message nobody waits for) is a
 * protocol error: the caller closes the connection.
 */
class MessageReader {
  /** Where messages go. */
  onMessage: ((kind: number, body: Buffer) => void) | undefined;
  private scratch: Buffer | undefined;
  /** Bytes of an unfinished header or small message. */
  private carry: Buffer = EMPTY;
  private body: Buffer | undefined;
  private filled = 0;
  private bodyKind = 0;

  /** The buffer the next read goes into (onread). */
  next(): Buffer {
    if (this.body) return this.body.subarray(this.filled);
    return (this.scratch ??= Buffer.allocUnsafe(SCRATCH_BYTES));
  }

  /** `n` bytes were read into the buffer next() gave (onread). */
  got(n: number): void {
    if (this.body) this.fillBody(n);
    else this.parse(this.withCarry(this.scratch!.subarray(0, n)), false);
  }

  /** A received chunk, ours to keep ('data' events). */
  push(chunk: Buffer): void {
    let at = 0;
    if (this.body) {
      at = Math.min(chunk.length, this.body.length - this.filled);
      chunk.copy(this.body, this.filled, 0, at);
      this.fillBody(at);
    }
    if (at < chunk.length) this.parse(this.withCarry(chunk.subarray(at)), true);
  }

  private fillBody(n: number): void {
    this.filled += n;
    if (this.filled < this.body!.length) return;
    const body = this.body!;
    this.body = undefined;
    this.deliver(this.bodyKind, body);
  }

  private withCarry(data: Buffer): Buffer {
    return this.carry.length > 0 ? Buffer.concat([this.carry, data]) : data;
  }

  /** `owned`: `data` stays as it is (a received chunk), so complete messages may be views of it. */
  private parse(data: Buffer, owned: boolean): void {
    this.carry = EMPTY;
    let at = 0;
    for (;;) {
      if (data.length - at < HEADER_BYTES) break;
      const len = data.readUInt32BE(at);
      const kind = data[at + 4];
      if (len > DATA_MESSAGE_BYTES_MAX) throw new Error(`data link message of ${len} bytes exceeds ${DATA_MESSAGE_BYTES_MAX}`);
      const start = at + HEADER_BYTES;
      const have = data.length - start;
      if (have >= len) {
        at = start + len;
        const body = len === 0 ? EMPTY : data.subarray(start, at);
        this.deliver(kind, owned ? body : Buffer.from(body)); // the scratch buffer is read into again
        continue;
      }
      if (len >= DIRECT_BODY_BYTES_MIN) {
        this.body = Buffer.allocUnsafe(len);
        data.copy(this.body, 0, start);
        this.filled = have;
        this.bodyKind = kind;
        return;
      }
      break;
    }
    if (at < data.length) this.carry = Buffer.from(data.subarray(at));
  }

  private deliver(kind: number, body: Buffer): void {
    if (!this.onMessage) throw new Error(`data link message ${kind} with no call waiting`);
    this.onMessage(kind, body);
  }
}

const readers = new WeakMap<net.Socket, MessageReader>();

// ------------------------------------------------------------------ errors

interface WireError {
  code: number;
  details: string;
  metadata: Record<string, string>;
}

function errorBody(e: unknown): Buffer {
  const se = (e ?? {}) as Partial<grpc.ServiceError>;
  const metadata: Record<string, string> = {};
  const map = se.metadata instanceof grpc.Metadata ? se.metadata.getMap() : {};
  for (const [k, v] of Object.entries(map)) if (typeof v === 'string') metadata[k] = v;
  const wire: WireError = {
    code: typeof se.code === 'number' ? se.code : grpc.status.UNKNOWN,
    details: se.details ?? se.message ?? String(e),
    metadata,
  };
  return Buffer.from(JSON.stringify(wire));
}

/** An error with the shape of a grpc-js client error (code, details, metadata). */
function linkError(code: grpc.status, details: string, metadata = new grpc.Metadata()): grpc.ServiceError {
  return Object.assign(new Error(`${code} ${grpc.status[code]}: ${details}`), { code, details, metadata });
}

function errorFromBody(body: Buffer): grpc.ServiceError {
  try {
    const wire = JSON.parse(body.toString('utf8')) as WireError;
    const md = new grpc.Metadata();
    for (const [k, v] of Object.entries(wire.metadata ?? {})) md.set(k, v);
    return linkError(wire.code, wire.details, md);
  } catch {
    return linkError(grpc.status.INTERNAL, 'undecodable error from the data link');
  }
}

// ------------------------------------------------------------------ server

/** The data-link side of one accepted connection (after its preface). */
class LinkServerConnection {
  private call: ServerWriteCall | ServerReadCall | undefined;
  /** A failed write's frames are dropped until the client hangs up. */
  private draining = false;

  constructor(private readonly socket: net.Socket, private readonly handlers: Map<string, Handler>) {
    socket.setNoDelay(true);
    const reader = new MessageReader();
    reader.onMessage = (kind, body) => this.onMessage(kind, body);
    socket.on('data', (chunk: Buffer) => {
      try {
        reader.push(chunk);
      } catch {
        socket.destroy();
      }
    });
    socket.on('error', () => undefined); // 'close' follows
    socket.on('close', () => {
      const call = this.call;
      this.call = undefined;
      call?.hangUp();
    });
  }

  private onMessage(kind: number, body: Buffer): void {
    if (this.draining) return;
    const call = this.call;
    if (kind === KIND_CALL && !call) this.startCall(body);
    else if (kind === KIND_FRAME && call instanceof ServerWriteCall) call.frame(body);
    else if (kind === KIND_END && call instanceof ServerWriteCall) call.endOfFrames();
    else this.socket.destroy(); // out of protocol
  }

  private startCall(body: Buffer): void {
    const path = METHOD_PATHS[body[0]];
    const handler = path ? this.handlers.get(path) : undefined;
    if (!handler) {
      this.fail(linkError(grpc.status.UNIMPLEMENTED, `data link method ${body[0]} is not served here`));
      return;
    }
    const peer = `${this.socket.remoteAddress}:${this.socket.remotePort}`;
    if (body[0] === METHOD_WRITE_CHUNK) {
      const call = new ServerWriteCall(this.socket, handler, peer);
      this.call = call;
      handler.func(call, (err: unknown, reply: unknown) => {
        if (this.call !== call) return; // hung up meanwhile
        call.done = true;
        if (err) {
          this.fail(err);
          return;
        }
        this.call = undefined;
        send(this.socket, KIND_REPLY, handler.serialize(reply));
      });
      return;
    }
    let request: unknown;
    try {
      request = handler.deserialize(body.subarray(1));
    } catch {
      this.fail(linkError(grpc.status.INTERNAL, 'undecodable ReadChunk request'));
      return;
    }
    const call = new ServerReadCall(this.socket, handler, request, peer, (err) => {
      if (this.call !== call) return;
      this.call = undefined;
      if (err) this.fail(err);
      else send(this.socket, KIND_END);
    });
    this.call = call;
    handler.func(call);
  }

  /** Sends the call's error; the client closes the connection, whatever it still sends is dropped. */
  private fail(err: unknown): void {
    this.call = undefined;
    this.draining = true;
    send(this.socket, KIND_ERROR, errorBody(err));
    this.socket.resume();
    setTimeout(() => this.socket.destroy(), DRAIN_AFTER_ERROR_MS).unref();
  }
}

/** A WriteChunk as its handler sees it: a Readable of WriteFrames (grpc-js ServerReadableStream). */
class ServerWriteCall extends Readable {
  readonly metadata = new grpc.Metadata();
  cancelled = false;
  done = false;

  constructor(private readonly socket: net.Socket, private readonly handler: Handler, private readonly peer: string) {
    super({ objectMode: true, highWaterMark: CALL_FRAMES_AHEAD });
  }

  getPeer(): string {
    return this.peer;
  }

  frame(body: Buffer): void {
    if (this.done) return;
    let frame: unknown;
    try {
      frame = this.handler.deserialize(body);
    } catch {
      this.socket.destroy();
      return;
    }
    if (!this.push(frame)) this.socket.pause();
  }

  endOfFrames(): void {
    if (!this.done) this.push(null);
    this.socket.resume(); // paused by a full buffer maybe: the next call on this connection must flow
  }

  override _read(): void {
    if (!this.socket.destroyed) this.socket.resume();
  }

  /** The client hung up before the reply: 'cancelled', and no 'end' (the frames are incomplete). */
  hangUp(): void {
    if (this.done) return;
    this.cancelled = true;
    this.emit('cancelled');
    this.destroy();
  }
}

/** A ReadChunk as its handler sees it: a Writable of DataFrames (grpc-js ServerWritableStream). */
class ServerReadCall extends Writable {
  readonly metadata = new grpc.Metadata();
  cancelled = false;
  private finished = false;

  constructor(
    private readonly socket: net.Socket,
    private readonly handler: Handler,
    readonly request: unknown,
    private readonly peer: string,
    private readonly onDone: (err: unknown) => void,
  ) {
    super({ objectMode: true, highWaterMark: CALL_FRAMES_AHEAD });
    // grpc-js handlers report a failure with call.emit('error', status)
    this.on('error', (e) => this.finish(e));
  }

  getPeer(): string {
    return this.peer;
  }

  override _write(frame: unknown, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.finished || this.socket.destroyed) {
      cb();
      return;
    }
    const plain = plainDataFrame(frame);
    const ok = plain
      ? sendDataFrame(this.socket, 1, 2, plain.data, plain.crc32c) // DataFrame
      : send(this.socket, KIND_FRAME, this.handler.serialize(frame));
    if (ok) cb();
    else this.socket.once('drain', () => cb());
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.finish(null);
    cb();
  }

  private finish(err: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.onDone(err);
  }

  hangUp(): void {
    if (this.finished) return;
    this.finished = true;
    this.cancelled = true;
    this.emit('cancelled');
    this.emit('drain'); // a handler waiting for 'drain' sees the cancellation at once
  }
}

const served = new WeakSet<net.Server>();

/**
 * Makes the HTTP/2 servers of a bound grpc-js server also answer data-link connections: each
 * accepted socket's first bytes tell a data link (DATA_PREFACE) from HTTP/2, which goes on to
 * grpc-js untouched. The handlers are the grpc-js server's own (a private map, hence the duck
 * typing; a grpc-js without it throws at start-up rather than serving no data link).
 */
export function serveDataLinks(server: grpc.Server, http2Servers: Iterable<net.Server>): void {
  const handlers = (server as unknown as { handlers?: unknown }).handlers;
  if (!(handlers instanceof Map)) throw new Error('grpc-js has no handlers map: cannot serve the data link (see serveDataLinks in src/common/data-link.ts)');
  if (!Object.values(METHOD_PATHS).some((path) => handlers.has(path))) return; // not a chunkserver (the master)
  for (const h2 of http2Servers) {
    if (served.has(h2)) continue;
    served.add(h2);
    const http2Listeners = h2.listeners('connection') as Array<(socket: net.Socket) => void>;
    h2.removeAllListeners('connection');
    h2.on('connection', (socket: net.Socket) => {
      let got: Buffer = Buffer.alloc(0);
      const onError = (): void => { socket.destroy(); };
      const onData = (chunk: Buffer): void => {
        got = got.length === 0 ? chunk : Buffer.concat([got, chunk]);
        const n = Math.min(got.length, DATA_PREFACE.length);
        const maybeData = got.subarray(0, n).equals(DATA_PREFACE.subarray(0, n));
        if (maybeData && got.length < DATA_PREFACE.length) return; // wait for the rest of the preface
        socket.off('data', onData);
        socket.off('error', onError);
        socket.pause();
        if (maybeData) {
          new LinkServerConnection(socket, handlers as Map<string, Handler>);
          const rest = got.subarray(DATA_PREFACE.length);
          if (rest.length > 0) socket.unshift(rest);
          socket.resume();
        } else {
          socket.unshift(got); // http2 takes the bytes already read from the socket's buffer
          for (const l of http2Listeners) l.call(h2, socket);
        }
      };
      socket.on('error', onError);
      socket.on('data', onData);
    });
  }
}

// ------------------------------------------------------------------ client

/** Idle connections to the chunkservers, by address. */
export class DataLinks {
  private readonly idle = new Map<string, net.Socket[]>();
  private closed = false;

  /** The chunkserver at `address`: its WriteChunk and ReadChunk. */
  get(address: string): DataLink {
    return new DataLink(this, address);
  }

  /** A connection to `address`: an idle one, or a new one (preface sent). */
  acquire(address: string): Promise<net.Socket> {
    if (this.closed) return Promise.reject(linkError(grpc.status.CANCELLED, 'client closed'));
    const list = this.idle.get(address);
    while (list && list.length > 0) {
      const socket = list.pop()!;
      if (list.length === 0) this.idle.delete(address);
      detach(socket);
      socket.setTimeout(0);
      socket.ref();
      if (!socket.destroyed) return Promise.resolve(socket);
    }
    return new Promise((resolve, reject) => {
      const { host, port } = splitAddress(address);
      const reader = new MessageReader();
      const onRead = (n: number): boolean => {
        try {
          reader.got(n);
        } catch {
          socket.destroy(); // out of protocol: 'close' fails the call
        }
        return true;
      };
      const socket = net.connect({ host, port, onread: { buffer: () => reader.next(), callback: onRead } });
      readers.set(socket, reader);
      socket.setNoDelay(true);
      socket.once('connect', () => {
        socket.off('error', onError);
        socket.write(DATA_PREFACE);
        resolve(socket);
      });
      const onError = (e: Error): void => reject(linkError(grpc.status.UNAVAILABLE, `cannot connect to ${address}: ${e.message}`));
      socket.once('error', onError);
    });
  }

  /** A connection whose call ended cleanly, for the next call to the same server. */
  release(address: string, socket: net.Socket): void {
    detach(socket);
    const list = this.idle.get(address) ?? [];
    if (this.closed || socket.destroyed || list.length >= IDLE_LINKS_PER_ADDRESS || socket.readableLength > 0) {
      socket.destroy();
      return;
    }
    list.push(socket);
    this.idle.set(address, list);
    const forget = (): void => {
      const l = this.idle.get(address);
      const i = l?.indexOf(socket) ?? -1;
      if (l && i >= 0) l.splice(i, 1);
      if (l && l.length === 0) this.idle.delete(address);
      socket.destroy();
    };
    socket.on('error', forget);
    socket.on('close', forget);
    readers.get(socket)!.onMessage = forget; // nothing is due on an idle connection
    socket.setTimeout(IDLE_LINK_MS, forget);
    socket.unref();
    socket.resume(); // paused by the last call's full buffer maybe
  }

  close(): void {
    this.closed = true;
    for (const list of this.idle.values()) for (const s of list) s.destroy();
    this.idle.clear();
  }
}

/** Takes a client connection away from its call (or from the idle pool). */
function detach(socket: net.Socket): void {
  for (const event of ['close', 'error', 'drain', 'timeout']) socket.removeAllListeners(event);
  readers.get(socket)!.onMessage = undefined;
}

function splitAddress(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  const host = address.slice(0, i).replace(/^\[(.*)\]$/, '$1');
  return { host: host || '127.0.0.1', port: Number(address.slice(i + 1)) };
}

/**
 * Hands a client's connection's messages to `onMessage`; a closed connection (also after bytes
 * out of protocol) goes to `onFail` (after a clean end the connection was released: no 'close').
 */
function readFrom(socket: net.Socket, address: string, onMessage: (kind: number, body: Buffer) => void, onFail: (e: grpc.ServiceError) => void): void {
  readers.get(socket)!.onMessage = onMessage;
  socket.on('error', () => undefined); // 'close' follows
  socket.on('close', () => onFail(linkError(grpc.status.UNAVAILABLE, `connection to ${address} closed`)));
}

/** One chunkserver's data calls, with the surface of the grpc-js client's WriteChunk / ReadChunk. */
export class DataLink {
  constructor(private readonly links: DataLinks, readonly address: string) {}

  WriteChunk(callback: (err: grpc.ServiceError | null, reply?: WriteReply__Output) => void): LinkWriteCall {
    return new LinkWriteCall(this.links, this.address, callback);
  }

  ReadChunk(request: ReadRequest): LinkReadCall {
    return new LinkReadCall(this.links, this.address, request);
  }
}

type ChunkserverMethods = {
  writeChunk: grpc.MethodDefinition<WriteFrame | Buffer, WriteReply__Output>;
  readChunk: grpc.MethodDefinition<ReadRequest, DataFrame__Output>;
};
let methods: ChunkserverMethods | undefined;

/** The schema's (de)serializers of the two calls (WriteChunk's pass encoded frames through: rpc.ts). */
function chunkserverMethods(): ChunkserverMethods {
  if (!methods) {
    const service = proto().dfs.Chunkserver.service as unknown as Record<string, grpc.MethodDefinition<unknown, unknown>>;
    methods = {
      writeChunk: service.WriteChunk as ChunkserverMethods['writeChunk'],
      readChunk: service.ReadChunk as ChunkserverMethods['readChunk'],
    };
  }
  return methods;
}

/**
 * A WriteChunk call: write() WriteFrames (or frames already encoded, as a Buffer), end(), and
 * the callback gets the reply or the server's error. cancel() closes the connection.
 */
export class LinkWriteCall extends Writable {
  private socket: net.Socket | undefined;
  private settled = false;
  private readonly method = chunkserverMethods().writeChunk;
  private readonly connected: Promise<net.Socket | undefined>;

  constructor(
    private readonly links: DataLinks,
    private readonly address: string,
    private readonly callback: (err: grpc.ServiceError | null, reply?: WriteReply__Output) => void,
  ) {
    super({ objectMode: true, highWaterMark: CALL_FRAMES_AHEAD });
    this.connected = links.acquire(address).then((socket) => {
      if (this.settled) {
        socket.destroy();
        return undefined;
      }
      this.attach(socket);
      return socket;
    }, (e: grpc.ServiceError) => {
      this.settle(e);
      return undefined;
    });
  }

  private attach(socket: net.Socket): void {
    this.socket = socket;
    readFrom(socket, this.address, (kind, body) => {
      if (kind === KIND_REPLY) {
        let reply: WriteReply__Output;
        try {
          reply = this.method.responseDeserialize(body);
        } catch {
          this.settle(linkError(grpc.status.INTERNAL, `undecodable WriteChunk reply from ${this.address}`));
          return;
        }
        if (this.settle(null, reply)) this.links.release(this.address, socket);
      } else if (kind === KIND_ERROR) {
        this.settle(errorFromBody(body));
      } else {
        this.settle(linkError(grpc.status.INTERNAL, `unexpected data link message ${kind} from ${this.address}`));
      }
    }, (e) => {
      this.settle(e);
      this.emit('socketDrain');
    });
    socket.on('drain', () => this.emit('socketDrain'));
    send(socket, KIND_CALL, Buffer.from([METHOD_WRITE_CHUNK]));
  }

  /** Ends the call once; true if this call ended it. A failed call's connection is closed. */
  private settle(err: grpc.ServiceError | null, reply?: WriteReply__Output): boolean {
    if (this.settled) return false;
    this.settled = true;
    if (err) this.socket?.destroy();
    this.callback(err, reply);
    return true;
  }

  override _write(frame: WriteFrame | Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    const go = (socket: net.Socket | undefined): void => {
      if (!socket || this.settled) {
        cb(); // the call already ended: its callback has the outcome
        return;
      }
      const plain = Buffer.isBuffer(frame) ? undefined : plainDataFrame(frame);
      const ok = plain
        ? sendDataFrame(socket, 2, 3, plain.data, plain.crc32c) // WriteFrame
        : send(socket, KIND_FRAME, Buffer.isBuffer(frame) ? frame : this.method.requestSerialize(frame));
      if (ok) cb();
      else this.once('socketDrain', () => cb());
    };
    if (this.socket) go(this.socket);
    else void this.connected.then(go);
  }

  override _final(cb: (err?: Error | null) => void): void {
    void this.connected.then((socket) => {
      if (socket && !this.settled) send(socket, KIND_END);
      cb();
    });
  }

  cancel(): void {
    if (this.settle(linkError(grpc.status.CANCELLED, 'Cancelled on client'))) this.socket?.destroy();
    this.emit('socketDrain');
  }
}

/** A ReadChunk call: a Readable of DataFrames ('error' with the server's status); cancel() closes the connection. */
export class LinkReadCall extends Readable {
  private socket: net.Socket | undefined;
  private done = false;

  constructor(private readonly links: DataLinks, private readonly address: string, request: ReadRequest) {
    super({ objectMode: true, highWaterMark: CALL_FRAMES_AHEAD });
    const method = chunkserverMethods().readChunk;
    links.acquire(address).then((socket) => {
      if (this.done) {
        socket.destroy();
        return;
      }
      this.socket = socket;
      readFrom(socket, address, (kind, body) => {
        if (this.done) return;
        if (kind === KIND_FRAME) {
          let frame: DataFrame__Output;
          try {
            frame = method.responseDeserialize(body);
          } catch {
            this.fail(linkError(grpc.status.INTERNAL, `undecodable ReadChunk frame from ${address}`));
            return;
          }
          if (!this.push(frame)) socket.pause();
        } else if (kind === KIND_END) {
          this.done = true;
          this.links.release(address, socket);
          this.push(null);
        } else if (kind === KIND_ERROR) {
          this.fail(errorFromBody(body));
        } else {
          this.fail(linkError(grpc.status.INTERNAL, `unexpected data link message ${kind} from ${address}`));
        }
      }, (e) => this.fail(e));
      send(socket, KIND_CALL, Buffer.concat([Buffer.from([METHOD_READ_CHUNK]), method.requestSerialize(request)]));
    }, (e: grpc.ServiceError) => this.fail(e));
  }

  override _read(): void {
    if (this.socket && !this.done) this.socket.resume();
  }

  private fail(err: grpc.ServiceError): void {
    if (this.done) return;
    this.done = true;
    this.socket?.destroy();
    this.destroy(err);
  }

  cancel(): void {
    this.fail(linkError(grpc.status.CANCELLED, 'Cancelled on client'));
  }
}
