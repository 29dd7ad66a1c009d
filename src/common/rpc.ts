/**
 * gRPC plumbing shared by every role: loading the schema, channel/server options sized for
 * 1 MiB data frames, DfsError <-> gRPC status translation (the only place it happens), and
 * promise wrappers with deadlines.
 */
import { join } from 'node:path';
import type * as http2 from 'node:http2';
import * as net from 'node:net';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { DfsError, DfsErrorCode, asDfsError } from './errors';
import type * as protobuf from 'protobufjs';
import type { ProtoGrpcType } from '../generated/dfs';
import schemaJson from '../generated/dfs.json';
import type { MasterClient } from '../generated/dfs/Master';
import type { ChunkserverClient } from '../generated/dfs/Chunkserver';
import { serveDataLinks } from './data-link';

export type { MasterClient, ChunkserverClient };

/** Largest read served by ReadSmall in one message (larger reads stream through ReadChunk). */
export const READ_SMALL_BYTES_MAX = 256 * 1024;
/** Largest chunk write sent as one WriteSmall message (larger writes stream through WriteChunk). */
export const WRITE_SMALL_BYTES_MAX = 256 * 1024;

/** Largest message either side accepts: a 1 MiB..4 MiB frame plus headers, with room to spare. */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

export const PROTO_PATH = join(__dirname, '../../../proto/dfs.proto');

/** How the schema is turned into definitions: the options the generated types were made with (scripts/gen-proto.mjs). */
export const LOADER_OPTIONS: protoLoader.Options = { longs: Number, enums: String, defaults: true, oneofs: true };

let loaded: ProtoGrpcType | undefined;

/**
 * The schema, loaded with the same options the generated types were made with (scripts/gen-proto.mjs),
 * from the JSON descriptor generated from PROTO_PATH with them (parsing the .proto at every
 * process start took ~20 ms of a `dfs` command's ~180).
 */
export function proto(): ProtoGrpcType {
  if (!loaded) {
    const def = protoLoader.fromJSON(schemaJson as protobuf.INamespace, LOADER_OPTIONS);
    passWriteFramesThrough(def);
    loaded = grpc.loadPackageDefinition(def) as unknown as ProtoGrpcType;
  }
  return loaded;
}

/**
 * The encoded bytes a received WriteFrame without a header was decoded from (a property of the
 * decoded frame). A chunkserver forwards them down the chain as they are: re-encoding would
 * allocate and copy every 1 MiB frame once more on each forwarding replica.
 */
export const WIRE_BYTES = Symbol('dfs.wireBytes');

/** A decoded WriteFrame that may carry its WIRE_BYTES. */
export type WireFrame = { [WIRE_BYTES]?: Buffer };

/**
 * WriteChunk's request (de)serializers: decoding keeps the message's bytes on data frames
 * (`WIRE_BYTES`; the decoded `data` is a view of them anyway), and encoding passes an already
 * encoded frame (a Buffer) through unchanged.
 */
function passWriteFramesThrough(def: protoLoader.PackageDefinition): void {
  const method = (def['dfs.Chunkserver'] as Record<string, protoLoader.MethodDefinition<unknown, unknown>>).WriteChunk;
  const serialize = method.requestSerialize;
  const deserialize = method.requestDeserialize;
  method.requestSerialize = (value: unknown) => (Buffer.isBuffer(value) ? value : serialize(value));
  method.requestDeserialize = (bytes: Buffer) => {
    const frame = deserialize(bytes) as { header?: unknown } & WireFrame;
    if (!frame.header) Object.defineProperty(frame, WIRE_BYTES, { value: bytes });
    return frame;
  };
}

/** HTTP/2 flow-control window of every session and stream, both directions: several 1 MiB frames in flight. */
export const FLOW_CONTROL_WINDOW_BYTES = 8 * 1024 * 1024;

export const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
  'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  'grpc.keepalive_time_ms': 10_000,
  'grpc.keepalive_timeout_ms': 5_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.http2.lookahead_bytes': 4 * 1024 * 1024,
  'grpc-node.flow_control_window': FLOW_CONTROL_WINDOW_BYTES,
  'grpc.initial_reconnect_backoff_ms': 200,
  'grpc.max_reconnect_backoff_ms': 2_000,
  // channelz keeps per-call counters and traces nobody reads here: measured ~5% of a Stat's CPU.
  'grpc.enable_channelz': 0,
} as grpc.ChannelOptions;

export const SERVER_OPTIONS: grpc.ServerOptions = {
  'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
  'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.http2.min_ping_interval_without_data_ms': 5_000,
  'grpc.enable_channelz': 0,
} as grpc.ServerOptions;

export function masterClient(address: string): MasterClient {
  return new (proto().dfs.Master)(address, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
}

export function chunkserverClient(address: string): ChunkserverClient {
  return new (proto().dfs.Chunkserver)(address, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
}

// ------------------------------------------------------------------ errors on the wire

const CODE_KEY = 'dfs-code';

const STATUS_OF: Partial<Record<DfsErrorCode, grpc.status>> = {
  ENOENT: grpc.status.NOT_FOUND, CHUNK_NOT_FOUND: grpc.status.NOT_FOUND, UPLOAD_NOT_FOUND: grpc.status.NOT_FOUND,
  EEXIST: grpc.status.ALREADY_EXISTS,
  EINVAL: grpc.status.INVALID_ARGUMENT, ENAMETOOLONG: grpc.status.INVALID_ARGUMENT, BAD_FRAME: grpc.status.INVALID_ARGUMENT,
  EACCES: grpc.status.PERMISSION_DENIED, EPERM: grpc.status.PERMISSION_DENIED,
  ENOSPC: grpc.status.RESOURCE_EXHAUSTED, NO_SERVERS: grpc.status.RESOURCE_EXHAUSTED,
  ETIMEDOUT: grpc.status.DEADLINE_EXCEEDED, UNAVAILABLE: grpc.status.UNAVAILABLE,
  CANCELLED: grpc.status.CANCELLED, CHECKSUM_MISMATCH: grpc.status.DATA_LOSS, DISK_ERROR: grpc.status.INTERNAL,
  STALE_VERSION: grpc.status.FAILED_PRECONDITION, LEASE_EXPIRED: grpc.status.FAILED_PRECONDITION,
  NOT_PRIMARY: grpc.status.FAILED_PRECONDITION, ENOTDIR: grpc.status.FAILED_PRECONDITION,
  EISDIR: grpc.status.FAILED_PRECONDITION, ENOTEMPTY: grpc.status.FAILED_PRECONDITION,
  NOT_REGISTERED: grpc.status.FAILED_PRECONDITION, WRONG_CLUSTER: grpc.status.FAILED_PRECONDITION, DUPLICATE_ID: grpc.status.FAILED_PRECONDITION, EROFS: grpc.status.FAILED_PRECONDITION,
  EAGAIN: grpc.status.ABORTED, EDEADLK: grpc.status.ABORTED, ENOLCK: grpc.status.RESOURCE_EXHAUSTED,
};

/** A DfsError (or anything thrown) as the error object a grpc-js handler passes to its callback. */
export function toServiceError(e: unknown): Partial<grpc.ServiceError> {
  const err = asDfsError(e);
  const metadata = new grpc.Metadata();
  metadata.set(CODE_KEY, err.code);
  return { code: STATUS_OF[err.code] ?? grpc.status.UNKNOWN, details: err.message, metadata };
}

/** A grpc-js client error as a DfsError, keeping the server's code when it sent one. */
export function fromServiceError(e: unknown, what = 'rpc'): DfsError {
  if (e instanceof DfsError) return e;
  const se = e as grpc.ServiceError;
  const sent = se?.metadata?.get?.(CODE_KEY)?.[0];
  if (typeof sent === 'string') return new DfsError(sent as DfsErrorCode, se.details || se.message, { cause: e });
  switch (se?.code) {
    case grpc.status.DEADLINE_EXCEEDED: return new DfsError('ETIMEDOUT', `${what}: deadline exceeded`, { cause: e });
    case grpc.status.UNAVAILABLE: return new DfsError('UNAVAILABLE', `${what}: ${se.details || 'unavailable'}`, { cause: e });
    case grpc.status.CANCELLED: return new DfsError('CANCELLED', `${what}: cancelled`, { cause: e });
    case grpc.status.RESOURCE_EXHAUSTED: return new DfsError('BAD_FRAME', `${what}: ${se.details}`, { cause: e });
    default: return new DfsError('INTERNAL', `${what}: ${se?.details || se?.message || String(e)}`, { cause: e });
  }
}

// ------------------------------------------------------------------ handlers and calls

/** Adapts an async function to a grpc-js unary handler; thrown errors become statuses. */
export function unary<Req, Res>(fn: (req: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    fn(call.request, call).then((res) => callback(null, res), (e) => callback(toServiceError(e) as grpc.ServiceError));
  };
}

type UnaryMethod<Req, Res> = (req: Req, md: grpc.Metadata, opts: grpc.CallOptions, cb: grpc.requestCallback<Res>) => grpc.ClientUnaryCall;

/**
 * Calls a unary method with a deadline; rejects with a DfsError.
 * grpc-js captures a caller stack trace (`new Error()`) on every call only to decorate a failed
 * call's error; the DfsError carries its own stack, so the capture is switched off around the
 * synchronous start of the call (measured: the largest single self-time item of a client Stat).
 */
export function callUnary<Req, Res>(client: grpc.Client, method: UnaryMethod<Req, Res>, req: Req, timeoutMs: number): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      method.call(client, req, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => {
        if (err) reject(fromServiceError(err, method.name));
        else resolve(res as Res);
      });
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
  });
}

/**
 * grpc-js's default logger (its logging.ts: console.error with a severity letter) less the one
 * line a failed bind logs before calling back ("E No address added out of total 1 resolved",
 * its server.ts): bindServer rejects with the reason instead. Every other line, and
 * GRPC_VERBOSITY / GRPC_TRACE, work as before (dfs sets no other grpc-js logger).
 */
const BIND_QUIET_LOGGER: Partial<Console> = {
  error: (message?: unknown, ...rest: unknown[]) => {
    if (!String(message).startsWith('No address added out of total')) console.error(`E ${String(message)}`, ...rest);
  },
  info: (message?: unknown, ...rest: unknown[]) => console.error(`I ${String(message)}`, ...rest),
  debug: (message?: unknown, ...rest: unknown[]) => console.error(`D ${String(message)}`, ...rest),
};

/**
 * Starts a grpc-js server on `listen` (HOST:PORT, port 0 = any) and resolves with the bound port;
 * rejects with UNAVAILABLE "cannot listen on HOST:PORT: <why>" (nothing of grpc-js's on stderr).
 * Every session it accepts gets the FLOW_CONTROL_WINDOW_BYTES window (widenWindows).
 */
export function bindServer(server: grpc.Server, listen: string): Promise<number> {
  grpc.setLogger(BIND_QUIET_LOGGER);
  return new Promise((resolve, reject) => {
    server.bindAsync(listen, grpc.ServerCredentials.createInsecure(), (err, port) => {
      // grpc-js says only "No address added out of total 1 resolved": a plain socket tells why
      if (err) void whyNotListening(listen).then((why) => reject(new DfsError('UNAVAILABLE', `cannot listen on ${listen}: ${why ?? err.message}`)));
      else {
        widenWindows(server);
        serveDataLinks(server, http2ServersOf(server));
        resolve(port);
      }
    });
  });
}

/** The error of a plain TCP listen on `listen` ("listen EADDRINUSE: address already in use ..."), if any. */
function whyNotListening(listen: string): Promise<string | undefined> {
  const i = listen.lastIndexOf(':');
  const host = listen.slice(0, i).replace(/^\[(.*)\]$/, '$1');
  const port = Number(listen.slice(i + 1));
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', (e) => resolve(e.message));
    probe.listen(port, host, () => probe.close(() => resolve(undefined)));
  });
}

const widened = new WeakSet<http2.Http2Server>();

/** The HTTP/2 servers of a bound grpc-js server (a private map: a grpc-js without it throws here). */
function http2ServersOf(server: grpc.Server): http2.Http2Server[] {
  const servers = (server as unknown as { http2Servers?: unknown }).http2Servers;
  if (!(servers instanceof Map)) throw new Error('grpc-js has no http2Servers map: cannot set the servers\' HTTP/2 window nor serve the data link (see src/common/rpc.ts)');
  return [...servers.keys()] as http2.Http2Server[];
}

/**
 * grpc-js (1.14) applies `grpc-node.flow_control_window` to the sessions of its clients only: a
 * server's sessions keep HTTP/2's 64 KiB windows, which cap every client stream (put, each hop
 * of a write chain, the mount's writes) at 64 KiB per round trip. Measured here with 1 MiB
 * messages over loopback, client-streaming: 357 MB/s before (server-streaming: ~1,400 MB/s),
 * 1,250 MB/s after. grpc-js keeps its HTTP/2 servers in a private map, hence the duck typing;
 * a grpc-js without it throws here at start-up rather than running slow unnoticed.
 */
function widenWindows(server: grpc.Server): void {
  for (const h2 of http2ServersOf(server)) {
    if (widened.has(h2)) continue;
    widened.add(h2);
    h2.on('session', (session: http2.ServerHttp2Session) => {
      try {
        session.setLocalWindowSize(FLOW_CONTROL_WINDOW_BYTES); // the connection's window
        session.settings({ initialWindowSize: FLOW_CONTROL_WINDOW_BYTES }); // each stream's
      } catch {
        // a session closed at once: nothing to widen
      }
    });
  }
}

/** Stops a server: graceful for up to `graceMs`, then forced. */
export function stopServer(server: grpc.Server, graceMs = 2000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => { server.forceShutdown(); resolve(); }, graceMs);
    server.tryShutdown(() => { clearTimeout(timer); resolve(); });
  });
}

/** Replaces the port of HOST:PORT. */
export function withPort(address: string, port: number): string {
  const i = address.lastIndexOf(':');
  return `${address.slice(0, i)}:${port}`;
}
