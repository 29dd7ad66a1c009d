/**
 * The chunkserver's side of the master protocol: Register, then one bidirectional Heartbeat
 * stream (full report first, then an incremental report every heartbeat interval), handling the
 * master's replies (reregister, send_full_report, delete_chunks, replicate).
 *
 * States (changed only in `transition`, logged `from -> to`):
 *   REGISTERING → STREAMING → (stream broke) BACKOFF → REGISTERING …;  any → STOPPED.
 *
 * Fault model: the master may be down, restart, or forget this server at any time. Nothing here
 * throws out of the loop: a failed Register or a broken stream waits a capped backoff
 * (BACKOFF_MIN_MS doubling to BACKOFF_MAX_MS) and starts over with Register + full report, so a
 * restarted master relearns every replica. Incremental changes lost with a broken stream are
 * covered by that full report.
 */
import { Napper } from '../common/clock';
import { buildBloom } from '../common/bloom';
import type { InventoryDigest } from '../generated/dfs/InventoryDigest';
import type * as grpc from '@grpc/grpc-js';
import { promises as fsp } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { readLineFile, writeFileAtomic } from '../common/data-dir';
import { DfsError, asDfsError } from '../common/errors';
import type { Config } from '../common/config';
import type { Logger } from '../common/logger';
import { callUnary, masterClient, type MasterClient } from '../common/rpc';
import type { HeartbeatReply__Output } from '../generated/dfs/HeartbeatReply';
import type { HeartbeatRequest } from '../generated/dfs/HeartbeatRequest';
import type { RegisterRequest } from '../generated/dfs/RegisterRequest';
import type { RegisterReply__Output } from '../generated/dfs/RegisterReply';
import type { ReplicateTask__Output } from '../generated/dfs/ReplicateTask';
import type { ChunkStore } from './chunk-store';
import { diskError } from './disk-errors';

export const BACKOFF_MIN_MS = 200;
export const BACKOFF_MAX_MS = 2_000;
/** ChunkReports per message of a full report. */
export const REPORT_PAGE_CHUNKS_MAX = 10_000;
/** Replications run at once; more wait in the queue. */
export const REPLICATIONS_CONCURRENT_MAX = 2;
/** Replication tasks waiting; further tasks are dropped (the master asks again). */
export const REPLICATION_QUEUE_MAX = 1_000;
/** Deadline of Register and ReportBadReplica. */
const MASTER_RPC_TIMEOUT_MS_MAX = 5_000;
/** DATA_DIR/cluster-id: the cluster of the first master this folder registered with. */
export const CLUSTER_ID_FILE = 'cluster-id';

type HeartbeatState = 'REGISTERING' | 'STREAMING' | 'BACKOFF' | 'STOPPED';

export interface HeartbeatOptions {
  id: string;
  address: string;
  masterAddress: string;
  dataDir: string;
  config: Config;
  store: ChunkStore;
  log: Logger;
  /** Runs one replication task (Replicate RPC logic). */
  replicate(task: ReplicateTask__Output): Promise<unknown>;
}

export interface DiskSpace {
  capacityBytes: number;
  usedBytes: number;
  freeBytes: number;
}

/** Capacity from config when > 0, else the file system's; used = bytes of chunk data. */
export async function diskSpace(dataDir: string, capacityBytesConfigured: number, usedBytes: number): Promise<DiskSpace> {
  const fs = await fsp.statfs(dataDir);
  const fsFree = fs.bavail * fs.bsize;
  const capacityBytes = capacityBytesConfigured > 0 ? capacityBytesConfigured : fs.blocks * fs.bsize;
  const freeBytes = Math.max(0, Math.min(fsFree, capacityBytes - usedBytes));
  return { capacityBytes, usedBytes, freeBytes };
}

/** The pages of a full report (pure): at least one page; `last_page` on the final one. */
export function fullReportPages(base: HeartbeatRequest, chunks: { handle: number; version: number; lengthBytes: number }[],
  bad: { handle: number; reason: string }[], serverId: string, pageChunksMax = REPORT_PAGE_CHUNKS_MAX): HeartbeatRequest[] {
  const pages: HeartbeatRequest[] = [];
  for (let i = 0; i === 0 || i < chunks.length; i += pageChunksMax) {
    const slice = chunks.slice(i, i + pageChunksMax);
    pages.push({
      ...base,
      fullReport: true,
      lastPage: i + pageChunksMax >= chunks.length,
      chunks: slice.map((c) => ({ handle: c.handle, version: c.version, length: c.lengthBytes })),
      bad: i === 0 ? bad.map((b) => ({ handle: b.handle, serverId, reason: b.reason })) : [],
    });
  }
  return pages;
}

export class HeartbeatLoop {
  private state: HeartbeatState = 'BACKOFF';
  /** This process's RegisterRequest.instance_id: two processes with one id are told apart. */
  private readonly instanceId = randomBytes(8).toString('hex');
  private readonly master: MasterClient;
  private stream: grpc.ClientDuplexStream<HeartbeatRequest, HeartbeatReply__Output> | undefined;
  private readonly napper = new Napper();
  private running: Promise<void> | undefined;
  private readonly replicationQueue: ReplicateTask__Output[] = [];
  private readonly replicating = new Set<number>();
  /** Bloom digest of the inventory sent with incremental heartbeats (seed 004's routing filters). */
  private digest: InventoryDigest | undefined;
  private replicationsActive = 0;
  /** Settles on stop(), so an in-flight Register never delays stopping. */
  private readonly stopSignal: Promise<never>;
  private signalStop!: (e: Error) => void;

  constructor(private readonly o: HeartbeatOptions) {
    this.master = masterClient(o.masterAddress);
    this.stopSignal = new Promise<never>((_, reject) => { this.signalStop = reject; });
    this.stopSignal.catch(() => undefined);
  }

  start(): void {
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.transition('STOPPED');
    this.signalStop(new DfsError('CANCELLED', 'stopped'));
    this.replicationQueue.length = 0;
    this.stream?.cancel();
    this.napper.wake();
    await this.running;
    this.master.close();
  }

  /** Tells the master at once (best effort); the next heartbeat carries it too. */
  reportBad(handle: number, reason: string): void {
    if (this.state === 'STOPPED') return;
    const timeoutMs = Math.min(this.o.config.client.rpcTimeoutMs, MASTER_RPC_TIMEOUT_MS_MAX);
    callUnary(this.master, this.master.ReportBadReplica, { handle, serverId: this.o.id, reason }, timeoutMs)
      .catch((e) => this.o.log.warn({ handle, master: this.o.masterAddress, err: asDfsError(e).message }, 'ReportBadReplica failed'));
  }

  private stopped(): boolean {
    return this.state === 'STOPPED';
  }

  private transition(to: HeartbeatState): void {
    const from = this.state;
    if (from === to || from === 'STOPPED') return;
    this.state = to;
    this.o.log.info({ from, to }, `master link ${from} -> ${to}`);
  }

  private async run(): Promise<void> {
    let backoffMs = BACKOFF_MIN_MS;
    while (this.state !== 'STOPPED') {
      this.transition('REGISTERING');
      let outcome: 'reregister' | 'broken' = 'broken';
      try {
        const intervalMs = await Promise.race([this.register(), this.stopSignal]);
        backoffMs = BACKOFF_MIN_MS;
        this.transition('STREAMING');
        outcome = await this.session(intervalMs);
      } catch (e) {
        const err = asDfsError(e);
        if (err.code === 'WRONG_CLUSTER') this.o.log.error({ err: err.message, master: this.o.masterAddress }, 'master of another cluster: not registering');
        else if (err.code === 'DUPLICATE_ID') this.o.log.error({ err: err.message, id: this.o.id }, 'another chunkserver runs with this id: not registered');
        // a local failure (the data folder's statfs) is not the master's: say which it is
        else if (err.code === 'DISK_ERROR') this.o.log.error({ err: err.message, dataDir: this.o.dataDir }, 'cannot read the data folder');
        else this.o.log.warn({ err: err.message, master: this.o.masterAddress }, 'master unreachable');
      }
      if (this.stopped()) break;
      if (outcome === 'reregister') continue;
      this.transition('BACKOFF');
      await this.sleep(backoffMs);
      backoffMs = Math.min(backoffMs * 2, BACKOFF_MAX_MS);
    }
  }

  private sleep(ms: number): Promise<void> {
    return this.napper.sleep(ms);
  }

  /** This server's space; DISK_ERROR when its data folder cannot be asked (deleted: chunkserver.ts stops). */
  private async space(): Promise<DiskSpace> {
    return diskSpace(this.o.dataDir, this.o.config.chunkserver.capacityBytes, this.o.store.usedBytes())
      .catch((e) => { throw diskError(e, `statfs of the data folder ${this.o.dataDir}`); });
  }

  private async register(): Promise<number> {
    const space = await this.space();
    const timeoutMs = Math.min(this.o.config.client.rpcTimeoutMs, MASTER_RPC_TIMEOUT_MS_MAX);
    const clusterFile = join(this.o.dataDir, CLUSTER_ID_FILE);
    const clusterId = await readLineFile(clusterFile);
    const reply = await callUnary<RegisterRequest, RegisterReply__Output>(this.master, this.master.Register, {
      serverId: this.o.id, address: this.o.address, ...space, clusterId, instanceId: this.instanceId,
    }, timeoutMs);
    if (clusterId === '' && reply.clusterId !== '') {
      // the first master this folder meets: from now on only that cluster's master is served
      await writeFileAtomic(clusterFile, `${reply.clusterId}\n`);
      this.o.log.info({ clusterId: reply.clusterId }, 'joined cluster');
    } else if (reply.clusterId !== clusterId) {
      throw new DfsError('WRONG_CLUSTER', `the master is cluster ${reply.clusterId}, this data folder belongs to ${clusterId}`);
    }
    this.o.log.info({ master: this.o.masterAddress }, 'registered');
    return reply.heartbeatIntervalMs > 0 ? reply.heartbeatIntervalMs : this.o.config.chunkserver.heartbeatIntervalMs;
  }

  /** One Heartbeat stream, until it breaks, the master asks to reregister, or stop(). */
  private session(intervalMs: number): Promise<'reregister' | 'broken'> {
    return new Promise((resolve) => {
      const stream = this.master.Heartbeat();
      this.stream = stream;
      let fullWanted = true;
      let sending = false;
      let ended = false;
      const end = (outcome: 'reregister' | 'broken', why: string) => {
        if (ended) return;
        ended = true;
        clearInterval(timer);
        this.o.log.info({ why }, 'heartbeat stream ended');
        stream.cancel();
        resolve(outcome);
      };
      const tick = async () => {
        if (sending || ended) return;
        sending = true;
        try {
          const full = fullWanted;
          fullWanted = false;
          for (const msg of await this.nextMessages(full)) {
            if (ended) return;
            if (!stream.write(msg)) await waitDrain(stream);
          }
        } catch (e) {
          end('broken', asDfsError(e).message);
        } finally {
          sending = false;
        }
      };
      const timer = setInterval(() => void tick(), intervalMs);
      stream.on('data', (reply: HeartbeatReply__Output) => {
        if (reply.reregister) return end('reregister', 'the master asked to register again');
        if (reply.sendFullReport) { fullWanted = true; void tick(); }
        this.applyDeletes(reply);
        for (const task of reply.replicate) this.enqueueReplication(task);
      });
      stream.on('error', (e) => end('broken', asDfsError(e).message));
      stream.on('end', () => end('broken', 'the master closed the stream'));
      if (this.state === 'STOPPED') end('broken', 'stopped');
      void tick();
    });
  }

  private async nextMessages(full: boolean): Promise<HeartbeatRequest[]> {
    const space = await this.space();
    const store = this.o.store;
    const base: HeartbeatRequest = {
      serverId: this.o.id, ...space, activeWrites: store.activeWrites(), chunkCount: store.count(), instanceId: this.instanceId,
    };
    if (full) {
      store.takeChanges(); // the full report supersedes them
      const good = store.list().filter((c) => !c.bad);
      return fullReportPages(base, good, store.badReplicas(), this.o.id);
    }
    const changes = store.takeChanges();
    if (!this.digest || changes.changed.length > 0 || changes.removed.length > 0 || changes.bad.length > 0) {
      // Rebuilt only when the inventory changed: O(chunks), not per heartbeat.
      const good = store.list().filter((c) => !c.bad);
      const d = buildBloom(good.map((c) => c.handle), good.length);
      this.digest = { bits: Buffer.from(d.bits.buffer, d.bits.byteOffset, d.bits.byteLength), hashes: d.hashes, count: d.count };
    }
    return [{
      ...base,
      digest: this.digest,
      chunks: changes.changed.map((c) => ({ handle: c.handle, version: c.version, length: c.lengthBytes })),
      removed: changes.removed,
      bad: changes.bad.map((b) => ({ handle: b.handle, serverId: this.o.id, reason: b.reason })),
    }];
  }

  private applyDeletes(reply: HeartbeatReply__Output): void {
    for (const ref of reply.deleteChunks) {
      this.o.store.remove(ref.handle, ref.version)
        .catch((e) => this.o.log.warn({ handle: ref.handle, err: asDfsError(e).message }, 'delete failed'));
    }
  }

  private enqueueReplication(task: ReplicateTask__Output): void {
    if (this.replicating.has(task.handle) || this.replicationQueue.some((t) => t.handle === task.handle)) return;
    if (this.replicationQueue.length >= REPLICATION_QUEUE_MAX) {
      this.o.log.warn({ handle: task.handle }, 'replication queue full: task dropped');
      return;
    }
    this.replicationQueue.push(task);
    this.pumpReplications();
  }

  private pumpReplications(): void {
    while (this.replicationsActive < REPLICATIONS_CONCURRENT_MAX && this.replicationQueue.length > 0 && this.state !== 'STOPPED') {
      const task = this.replicationQueue.shift()!;
      this.replicationsActive++;
      this.replicating.add(task.handle);
      this.o.replicate(task)
        .catch((e) => this.o.log.warn({ handle: task.handle, sources: task.sources.map((s) => s.serverId), err: asDfsError(e).message }, 'replication failed'))
        .finally(() => {
          this.replicationsActive--;
          this.replicating.delete(task.handle);
          this.pumpReplications();
        });
    }
  }
}

function waitDrain(stream: NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => { cleanup(); resolve(); };
    const onClose = () => { cleanup(); reject(new DfsError('UNAVAILABLE', 'heartbeat stream closed')); };
    const cleanup = () => { stream.off('drain', onDrain); stream.off('close', onClose); stream.off('error', onClose); };
    stream.on('drain', onDrain);
    stream.on('close', onClose);
    stream.on('error', onClose);
  });
}
