/**
 * Load-generator child of the master-at-scale benchmark (bench/master-scale.ts): simulates the
 * chunkservers [first, first+count) of the layout against a real master, over real gRPC with the
 * real protobuf messages: one channel (own TCP connection: a local subchannel pool) per server,
 * `Register`, then one bidirectional `Heartbeat` stream whose first message is the full report
 * (one page of up to REPORT_PAGE_CHUNKS_MAX chunks, as a chunkserver pages it), then an
 * incremental heartbeat with the server's Bloom inventory digest every interval. Like a real
 * chunkserver it does not wait for a reply before the next heartbeat, answers `reregister` by
 * registering again with a full report, and `send_full_report` with a full report.
 *
 * Every server's heartbeat timer starts at a random phase of the interval (servers of a real
 * cluster do not tick in step). Every message is encoded once, before `ready` (the protobufjs
 * encoder of the method, bytes passed through as they are): encoding 500 full reports of
 * 10,000 chunks took the generator ~10 s of event loop, which delayed its streams past the
 * master's dead-server timeout, something separate machines would not do. Round trip = from `write()` of a heartbeat to its reply (the
 * master replies once per request, in order, on the stream).
 *
 * Driven over IPC by the parent: `start` → registers everything, reports `full` (epoch ms of
 * each server's full-report reply); `window` → records round trips of heartbeats sent inside it;
 * `report` → sends `stats`; `stop` → closes every stream and channel and exits.
 */
import * as grpc from '@grpc/grpc-js';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { callUnary, CHANNEL_OPTIONS, proto, type MasterClient } from '../../src/common/rpc';
import { buildBloom } from '../../src/common/bloom';
import { fullReportPages } from '../../src/chunkserver/heartbeat';
import type { HeartbeatRequest } from '../../src/generated/dfs/HeartbeatRequest';
import type { HeartbeatReply__Output } from '../../src/generated/dfs/HeartbeatReply';
import type { RegisterReply__Output } from '../../src/generated/dfs/RegisterReply';
import type { RegisterRequest } from '../../src/generated/dfs/RegisterRequest';
import { handlesOfServer, serverId, type ScaleLayout } from '../scale-layout';

export interface ChildArgs {
  masterAddress: string;
  layout: ScaleLayout;
  first: number;
  count: number;
  intervalMs: number;
  chunkSizeBytes: number;
}

export type ParentMessage =
  | { type: 'start' }
  | { type: 'window'; fromMs: number; toMs: number }
  | { type: 'report' }
  | { type: 'stop' };

export interface ChildCounters {
  registers: number;
  registerErrors: number;
  heartbeatsSent: number;
  repliesReceived: number;
  reregisterReplies: number;
  fullReportRequests: number;
  fullReportsSent: number;
  deleteChunks: number;
  replicateTasks: number;
  streamErrors: number;
}

export type ChildMessage =
  | { type: 'ready' }
  | { type: 'full'; registeredMs: number[]; fullAckMs: number[] }
  | { type: 'progress'; counters: ChildCounters; fullAcks: number }
  | { type: 'stats'; rttMs: number[]; sentMs: number[]; counters: ChildCounters; loopDelayMs: { p50: number; p99: number; max: number } }
  | { type: 'error'; message: string };

const REGISTER_TIMEOUT_MS = 60_000;
const REREGISTER_DELAY_MS = 200;
const PROGRESS_INTERVAL_MS = 5_000;
const HEARTBEAT = proto().dfs.Master.service.Heartbeat as grpc.MethodDefinition<HeartbeatRequest, HeartbeatReply__Output>;
const CAPACITY_BYTES = 16 * 1024 ** 4;

const counters: ChildCounters = {
  registers: 0, registerErrors: 0, heartbeatsSent: 0, repliesReceived: 0, reregisterReplies: 0,
  fullReportRequests: 0, fullReportsSent: 0, deleteChunks: 0, replicateTasks: 0, streamErrors: 0,
};
let window = { fromMs: Infinity, toMs: -Infinity };
const rttMs: number[] = [];
/** When each measured heartbeat was sent (epoch ms), parallel to rttMs. */
const sentMs: number[] = [];
let stopping = false;
let fullAcks = 0;
let onAllAcked: (() => void) | undefined;

function onFirstFullAck(): void {
  fullAcks++;
  onAllAcked?.();
}

function send(msg: ChildMessage): void {
  process.send?.(msg);
}

class SimServer {
  private readonly client: MasterClient;
  private stream: grpc.ClientDuplexStream<Buffer, HeartbeatReply__Output> | undefined;
  private readonly inflight: { sentNs: bigint; sentMs: number; record: boolean; full: boolean }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly base: HeartbeatRequest;
  /** The messages, encoded once up front: the generator's CPU then goes to gRPC only. */
  private readonly fullPages: Buffer[];
  private readonly incremental: Buffer;
  /** First successful Register, and first acknowledged full report (epoch ms; 0 = not yet). */
  registeredMs = 0;
  fullAckMs = 0;

  constructor(private readonly a: ChildArgs, readonly index: number) {
    // Own subchannel pool: a TCP connection per simulated server, as separate machines have.
    this.client = new (proto().dfs.Master)(a.masterAddress, grpc.credentials.createInsecure(),
      { ...CHANNEL_OPTIONS, 'grpc.use_local_subchannel_pool': 1 } as grpc.ChannelOptions) as unknown as MasterClient;
    const used = a.layout.chunksPerServer * a.chunkSizeBytes;
    this.base = {
      serverId: serverId(index), capacityBytes: CAPACITY_BYTES, usedBytes: used, freeBytes: CAPACITY_BYTES - used,
      activeWrites: 0, chunkCount: a.layout.chunksPerServer,
    };
    const handles = handlesOfServer(a.layout, index);
    const d = buildBloom(handles, handles.length);
    this.incremental = HEARTBEAT.requestSerialize({
      ...this.base,
      digest: { bits: Buffer.from(d.bits.buffer, d.bits.byteOffset, d.bits.byteLength), hashes: d.hashes, count: d.count },
      chunks: [], removed: [], bad: [],
    });
    const chunks = handles.map((handle) => ({ handle, version: 1, lengthBytes: a.chunkSizeBytes }));
    this.fullPages = fullReportPages(this.base, chunks, [], this.base.serverId!).map((p) => HEARTBEAT.requestSerialize(p));
  }

  /**
   * The address announced: the master's own, which accepts connections, so the master's probe
   * of a new server's address (master.ts, probe) finds it reachable; never dialed otherwise in
   * a healthy cluster (no grants, no copies).
   */
  private address(): string {
    return this.a.masterAddress;
  }

  /** Registers and opens the stream, whose first message is the full report. */
  async connect(): Promise<void> {
    const req: RegisterRequest = { serverId: this.base.serverId, address: this.address(), capacityBytes: this.base.capacityBytes, usedBytes: this.base.usedBytes, freeBytes: this.base.freeBytes };
    await callUnary<RegisterRequest, RegisterReply__Output>(this.client as unknown as grpc.Client, this.client.Register, req, REGISTER_TIMEOUT_MS);
    counters.registers++;
    if (this.registeredMs === 0) this.registeredMs = Date.now();
    this.openStream();
  }

  private openStream(): void {
    // The real method, with the pre-encoded request bytes passed through as they are.
    const stream = (this.client as unknown as grpc.Client).makeBidiStreamRequest(HEARTBEAT.path, (b: Buffer) => b, HEARTBEAT.responseDeserialize);
    this.stream = stream;
    this.inflight.length = 0;
    stream.on('data', (reply: HeartbeatReply__Output) => this.onReply(reply));
    const broken = (): void => {
      if (this.stream !== stream) return;
      this.stream = undefined;
      if (this.timer) clearInterval(this.timer);
      this.timer = undefined;
      if (stopping) return;
      counters.streamErrors++;
      setTimeout(() => void this.reconnect(), REREGISTER_DELAY_MS);
    };
    stream.on('error', broken);
    stream.on('end', broken);
    this.sendFull();
    // A random phase, then every interval (a real chunkserver's setInterval from its own start).
    const phase = Math.floor(Math.random() * this.a.intervalMs);
    const t = setTimeout(() => {
      if (this.stream !== stream) return;
      this.sendIncremental();
      this.timer = setInterval(() => this.sendIncremental(), this.a.intervalMs);
    }, phase);
    this.timer = t as unknown as NodeJS.Timeout;
  }

  reconnectLater(): void {
    setTimeout(() => void this.reconnect(), REREGISTER_DELAY_MS);
  }

  private async reconnect(): Promise<void> {
    if (stopping) return;
    try {
      await this.connect();
    } catch {
      counters.registerErrors++;
      if (!stopping) setTimeout(() => void this.reconnect(), REREGISTER_DELAY_MS);
    }
  }

  private write(msg: Buffer, full: boolean): void {
    if (!this.stream) return;
    const now = Date.now();
    this.inflight.push({ sentNs: process.hrtime.bigint(), sentMs: now, record: !full && now >= window.fromMs && now <= window.toMs, full });
    counters.heartbeatsSent++;
    this.stream.write(msg);
  }

  private sendFull(): void {
    counters.fullReportsSent++;
    this.fullPages.forEach((p, i) => this.write(p, i === this.fullPages.length - 1));
  }

  private sendIncremental(): void {
    this.write(this.incremental, false);
  }

  private onReply(reply: HeartbeatReply__Output): void {
    const sent = this.inflight.shift();
    counters.repliesReceived++;
    if (sent?.record) {
      rttMs.push(Number(process.hrtime.bigint() - sent.sentNs) / 1e6);
      sentMs.push(sent.sentMs);
    }
    if (sent?.full && !reply.reregister && this.fullAckMs === 0) {
      this.fullAckMs = Date.now();
      onFirstFullAck();
    }
    counters.deleteChunks += reply.deleteChunks.length;
    counters.replicateTasks += reply.replicate.length;
    if (reply.reregister) {
      counters.reregisterReplies++;
      const s = this.stream;
      this.stream = undefined;
      if (this.timer) clearInterval(this.timer);
      s?.cancel();
      void this.reconnect();
      return;
    }
    if (reply.sendFullReport) {
      counters.fullReportRequests++;
      this.sendFull();
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    const s = this.stream;
    this.stream = undefined;
    s?.cancel();
    (this.client as unknown as grpc.Client).close();
  }
}

function main(): void {
  const a = JSON.parse(process.argv[2] ?? '') as ChildArgs;
  const servers = Array.from({ length: a.count }, (_, i) => new SimServer(a, a.first + i));
  const loop = monitorEventLoopDelay({ resolution: 10 });
  process.on('message', (m: ParentMessage) => {
    switch (m.type) {
      case 'start': {
        onAllAcked = () => {
          if (fullAcks < servers.length) return;
          onAllAcked = undefined;
          send({ type: 'full', registeredMs: servers.map((s) => s.registeredMs), fullAckMs: servers.map((s) => s.fullAckMs) });
        };
        // A failed Register is retried (counted), as a chunkserver does.
        for (const s of servers) s.connect().catch(() => { counters.registerErrors++; void s.reconnectLater(); });
        const progress = setInterval(() => send({ type: 'progress', counters, fullAcks }), PROGRESS_INTERVAL_MS);
        progress.unref();
        break;
      }
      case 'window':
        window = { fromMs: m.fromMs, toMs: m.toMs };
        setTimeout(() => { loop.reset(); loop.enable(); }, Math.max(0, m.fromMs - Date.now()));
        setTimeout(() => loop.disable(), Math.max(0, m.toMs - Date.now()));
        break;
      case 'report': {
        const ns = [loop.percentile(50), loop.percentile(99), loop.max].map((v) => (Number.isFinite(v) ? v / 1e6 : 0));
        send({ type: 'stats', rttMs, sentMs, counters, loopDelayMs: { p50: ns[0], p99: ns[1], max: ns[2] } });
        break;
      }
      case 'stop':
        stopping = true;
        for (const s of servers) s.close();
        setTimeout(() => process.exit(0), 200).unref();
        process.disconnect?.();
        break;
    }
  });
  send({ type: 'ready' });
}

main();
