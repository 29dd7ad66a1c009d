/**
 * The master process: the `Master` gRPC service over the namespace (LMDB), the chunk
 * location map, leases, the server registry and the background loops (dead servers, session
 * expiry, orphans, expired uploads, re-replication).
 *
 * Every mutating RPC is one LMDB transaction, committed and fsync'd before the reply; effects
 * on chunkservers (deleting replicas of removed chunks) are queued after the commit and
 * delivered in heartbeat replies.
 */
import * as grpc from '@grpc/grpc-js';
import type { Config } from '../common/config';
import { systemClock, type Clock } from '../common/clock';
import { logger } from '../common/logger';
import { takeDataDir } from '../common/data-dir';
import { DfsError, asDfsError, isDfsError } from '../common/errors';
import { expiredTrashBuckets, TRASH_ROOT } from '../common/trash';
import { normalizePath, parentOf } from '../common/paths';
import type { BloomDigest } from '../common/bloom';
import { mayHold, missingFromDigest, driftCheckRedundant, sameDriftInput, DRIFT_CHECK_HANDLES_MAX, type DriftState } from './inventory-drift';
import { proto, unary, bindServer, stopServer, SERVER_OPTIONS, toServiceError } from '../common/rpc';
import type { MasterHandlers } from '../generated/dfs/Master';
import type { HeartbeatRequest__Output } from '../generated/dfs/HeartbeatRequest';
import type { HeartbeatReply } from '../generated/dfs/HeartbeatReply';
import type { NodeInfo } from '../generated/dfs/NodeInfo';
import type { RefusedServer } from '../generated/dfs/RefusedServer';
import { MetaStore } from './meta-store';
import { Namespace, Effects, SetAttrChanges } from './namespace';
import { tsOfWire } from './attr';
import { Sessions } from './sessions';
import { LockService, lockInfoOfHeld, lockRequestOfWire } from './lock-service';
import { ServerRegistry, silentServers, type ServerInfo } from './server-registry';
import { ChunkMap, DeletionQueue, GarbageTracker } from './chunk-map';
import { ChunkManager, type GrantedChunk } from './chunk-manager';
import { ChunkserverLink, GrpcChunkserverLink } from './chunkserver-link';
import { Replicator } from './replicator';
import { MasterMetrics } from './http/master-metrics';
import { serveMetaCalls } from '../common/meta-calls';
import { startMasterHttp, type MasterHttp } from './http/http-server';
import { SafeMode } from './safe-mode';
import { withDirectHeartbeatDecoder } from './heartbeat-decode';
import { adminHandlers, advanceDecommissions, chunksReported, nodeInfo } from './admin-service';
import { checkFileSize } from '../common/limits';
import { AppendReservations } from './append-reservations';


/** Lookups an Open retries when the inode it found was deleted by a concurrent commit. */
const OPEN_ATTEMPTS_MAX = 4;

export interface MasterOptions {
  config: Config;
  listen: string;
  metaDir: string;
  clock?: Clock;
  /** Tests: a fake transport to chunkservers. */
  link?: ChunkserverLink;
  /** Tests: 0 disables the background timer (call `maintain()` by hand). */
  maintenanceIntervalMs?: number;
}

export interface MasterHandle {
  /** 127.0.0.1:PORT actually bound. */
  address: string;
  port: number;
  /** HOST:PORT of the dashboard, JSON API, /metrics and /fs gateway (master.httpListen); undefined when off. */
  httpAddress?: string;
  stop(): Promise<void>;
  /** Runs one round of the background work now (dead servers, sessions, orphans, uploads, re-replication). */
  maintain(): Promise<void>;
}

const DELETION_QUEUE_PER_SERVER_MAX = 100_000;
const GARBAGE_TRACKED_MAX = 100_000;
const UPLOADS_EXPIRED_PER_ROUND_MAX = 100;
const GRANT_TIMEOUT_MS_MAX = 5_000;
/** Trash buckets deleted per maintenance round (each may be a large tree). */
const TRASH_BUCKETS_PER_ROUND_MAX = 16;

/** Starts the master on `listen` (port 0 = any). Creates the root directory on first start. */
export async function startMaster(opts: MasterOptions): Promise<MasterHandle> {
  const { config } = opts;
  const clock = opts.clock ?? systemClock;
  const log = logger('master');
  const dirLock = takeDataDir(opts.metaDir, 'master');
  const store = new MetaStore(opts.metaDir);
  // a KeepSession's list may predate an Open still in flight: opens younger than one keepalive
  // interval (the client sends one every sessionTimeoutMs / 3) are not dropped by it
  const sessions = new Sessions(config.cluster.sessionTimeoutMs / 3);
  const locks = new LockService(); // memory only: a restart forgets every lock
  const appends = new AppendReservations(config.cluster.leaseDurationMs);
  const defaults = { chunkSizeBytes: config.cluster.chunkSizeBytes, replication: config.cluster.replication };
  const ns = new Namespace({ store, clock, defaults, isOpen: (ino) => sessions.isOpen(ino) });
  await store.tx(() => { ns.ensureRoot(); store.ensureClusterId(); });
  const clusterId = store.clusterId();
  const registry = new ServerRegistry(log);
  const chunkMap = new ChunkMap();
  const deletions = new DeletionQueue(DELETION_QUEUE_PER_SERVER_MAX);
  const garbage = new GarbageTracker(GARBAGE_TRACKED_MAX);
  const link = opts.link ?? new GrpcChunkserverLink(Math.min(config.client.rpcTimeoutMs, GRANT_TIMEOUT_MS_MAX), config.client.dataTimeoutMs);
  const digests = new Map<string, BloomDigest>(); // each server's last inventory digest (bounded by the server count)
  const locationHint = (handle: number): string[] => (safeMode.on ? mayHold(digests, handle) : []);
  const startedAtMs = clock.nowMs();
  const chunks = new ChunkManager({
    store, ns, registry, chunkMap, deletions, garbage, link, clock, config, log, locationHint, startedAtMs,
    restarted: store.counter('chunkCount') > 0, inSafeMode: () => safeMode.on,
  });
  const replicator = new Replicator({
    store, registry, chunkMap, deletions, clock, config, log, isLeased: (h) => chunks.mayBeLeased(h),
    copyScheduled: (h, target) => chunks.forgetFailedGrant(h, target),
  });
  const safeMode = new SafeMode(log, startedAtMs, { threshold: config.cluster.safeModeThreshold, timeoutMs: config.cluster.safeModeTimeoutMs });
  const admin = { store, ns, registry, chunkMap, replicator, safeMode, clock, config, badSeen: chunks.badSeen };
  const evaluateSafeMode = (): void => safeMode.evaluate(clock.nowMs(), store.counter('chunkCount'), chunksReported(admin));
  evaluateSafeMode(); // an empty namespace needs no reports

  /** One namespace transaction; replicas of chunks it removed are queued for deletion after the commit. */
  async function mutate<T>(fn: (fx: Effects) => T): Promise<T> {
    const fx = new Effects();
    const out = await store.tx(() => fn(fx));
    chunks.freed(fx.freed);
    return out;
  }

  /**
   * Removes what recursive deletes left (Namespace.reapDoomed): one bounded transaction after
   * another, the event loop free between them. Started after such a delete and by every
   * maintenance round (so also after a restart).
   */
  let reaping: Promise<void> | undefined;
  let reaperStopped = false;
  function reapDoomed(): void {
    if (reaping || reaperStopped || !ns.hasDoomed()) return;
    reaping = (async () => {
      while (!reaperStopped && await mutate((fx) => ns.reapDoomed(fx))) await new Promise((r) => setImmediate(r));
    })().catch((e) => log.error({ err: asDfsError(e).message }, 'removing a deleted tree failed'))
      .finally(() => { reaping = undefined; });
  }

  async function collectOrphans(inos: readonly number[]): Promise<void> {
    if (inos.length === 0) return;
    // files that stayed empty give back the chunks they hold (mostly the one their Create took)
    const unused = chunks.chunksOfEmptyFiles(inos);
    // every last close of a file lands here: without an orphan among them (and no transaction in
    // flight that could be making one) there is nothing to write, and an empty durable commit
    // cost each close ~1 ms of the master's time
    if (unused.length === 0 && store.settled && !inos.some((ino) => store.orphans.get(ino) !== undefined)) return;
    await mutate((fx) => {
      for (const u of unused) ns.dropUnwrittenChunk(u.ino, u.index, u.handle, fx, { onlyIfEmpty: true });
      for (const ino of inos) ns.collectOrphan(ino, fx);
    });
  }

  /** Open heartbeat and Calls streams, ended when the master stops. */
  const streams = new Set<{ end(): void }>();

  /** Chunkservers refused lately (of another cluster, or an id in use; dfs nodes shows them), bounded by REFUSED_SHOWN_MAX. */
  const refused = new Map<string, RefusedServer>();
  const noteRefused = (r: RefusedServer & { serverId: string }): void => {
    if (refused.size < REFUSED_SHOWN_MAX || refused.has(r.serverId)) refused.set(r.serverId, r);
  };
  /** Per server id, the heartbeat stream of its registered process. */
  const heartbeatCalls = new Map<string, unknown>();
  /** Whether `instance` (a Register's or a heartbeat's) is the process registered as `s`; '' (not sent) matches any. */
  const isRegisteredInstance = (s: ServerInfo, instance: string): boolean => instance === '' || s.instance === '' || s.instance === instance;

  /** When a server asked for a full report last (garbage re-check), bounded by the server count. */
  const fullReportAskedMs = new Map<string, number>();
  /**
   * Garbage is reported only in full reports: once the grace period of some garbage of this
   * server ended, ask for one (at most once per grace period) so it can be deleted.
   */
  function wantsFullReport(id: string): boolean {
    const now = clock.nowMs();
    const graceMs = Math.max(config.cluster.garbageGraceMs, config.chunkserver.heartbeatIntervalMs * 5);
    if (safeMode.on || !garbage.due(id, now, config.cluster.garbageGraceMs)) return false;
    if (now - (fullReportAskedMs.get(id) ?? 0) < graceMs) return false;
    fullReportAskedMs.set(id, now);
    return true;
  }

  /** Drift suspects per server (bounded by the server count). */
  const driftSuspects = new Map<string, DriftState>();

  /**
   * True when the digest certainly lacks a handle the location map gives this server, in two
   * heartbeats in a row (a chunk granted while the heartbeat was on its way shows up in the
   * next one): the map drifted from the disk, so a full report is due (rate-limited).
   */
  function inventoryDrifted(id: string, req: HeartbeatRequest__Output): boolean {
    const d = req.digest;
    if (!d || d.bits.length === 0) return false;
    const digest: BloomDigest = { bits: d.bits, hashes: d.hashes, count: Number(d.count) };
    digests.set(id, digest);
    if (req.fullReport || !chunkMap.fullyReported(id)) return false;
    const before = driftSuspects.get(id);
    const mapChanges = chunkMap.changeCount(id);
    const count = chunkMap.countOn(id);
    if (driftCheckRedundant(before, mapChanges, digest, count)) return false; // it would find nothing again
    const prev = before ?? { cursor: 0, handles: new Set<number>(), cleanChecked: 0 };
    const { missing, next } = missingFromDigest(chunkMap.handlesOn(id), digest, prev.cursor);
    const confirmed = missing.filter((h) => prev.handles.has(h));
    const clean = missing.length > 0 ? 0 : (sameDriftInput(before, mapChanges, digest) ? prev.cleanChecked : 0) + Math.min(count, DRIFT_CHECK_HANDLES_MAX);
    driftSuspects.set(id, {
      cursor: missing.length > 0 ? prev.cursor : next, handles: new Set(missing), mapChanges, bits: digest.bits, hashes: digest.hashes, cleanChecked: clean,
    });
    if (confirmed.length === 0) return false;
    const now = clock.nowMs();
    if (now - (fullReportAskedMs.get(id) ?? 0) < Math.max(config.cluster.garbageGraceMs, config.chunkserver.heartbeatIntervalMs * 5)) return false;
    fullReportAskedMs.set(id, now);
    log.warn({ serverId: id, handles: confirmed.slice(0, 10), count: confirmed.length }, 'inventory drift: digest lacks chunks the master places there; asking for a full report');
    return true;
  }

  async function heartbeat(req: HeartbeatRequest__Output): Promise<HeartbeatReply> {
    const s = registry.get(req.serverId);
    if (!s || !registry.isLive(s.id) || !isRegisteredInstance(s, req.instanceId)) return { reregister: true };
    registry.update(s, req, clock.nowMs());
    evaluateSafeMode();
    const deleteChunks = await chunks.applyReport(s.id, req, !safeMode.on);
    const sendFullReport = chunks.takeRecheck(s.id) || inventoryDrifted(s.id, req) || wantsFullReport(s.id);
    return { deleteChunks, replicate: replicator.take(s.id), sendFullReport };
  }

  /** The instrumented handlers, which also serve the calls multiplexed on Calls streams. */
  let served: MasterHandlers | undefined;
  const handlers: MasterHandlers = {
    Calls: (call) => serveMetaCalls(call, served as unknown as Record<string, unknown>, streams),
    Stat: unary(async (req) => ns.stat(req.path)),
    List: unary(async (req) => ns.list(req.path, req.startAfter, req.limit)),
    Mkdir: unary((req) => store.tx(() => ns.mkdir(req.path, req.mode, req.uid, req.gid, req.parents, Number(req.createToken)))),
    Create: unary(async (req) => {
      // the folder's attributes read in the same transaction: the kernel's GETATTR of it after
      // each create costs the mount no Stat
      let first: GrantedChunk | undefined;
      let opened: number | undefined;
      const reply = await mutate((fx) => {
        const attr = ns.create(req.path, {
          mode: req.mode, uid: req.uid, gid: req.gid, chunkSize: req.chunkSize, replication: req.replication,
          exclusive: req.exclusive, truncate: req.truncate, token: Number(req.createToken),
        }, fx);
        // only for a session's create: its last close gives an unwritten chunk back
        if (req.wantLease && req.sessionId && !safeMode.on) first = chunks.takeFirstChunk(Number(attr.ino));
        // open from the transaction on, not from after its flush: a delete or a rename over the
        // name committed in between found the new inode closed and dropped it under its
        // creator, whose writes then failed (an O_CREAT|O_TRUNC race, 17 in 40 rounds)
        if (req.sessionId) { sessions.open(req.sessionId, Number(attr.ino), clock.nowMs()); opened = Number(attr.ino); }
        return { attr, parent: ns.stat(parentOf(normalizePath(req.path))[0]) };
      }).catch((e: unknown) => {
        if (first) chunks.dropTaken(first);
        if (opened !== undefined) sessions.release(req.sessionId, opened, clock.nowMs());
        throw e;
      });
      const ino = Number(reply.attr.ino);
      return first ? { ...reply, firstLease: chunks.createdFirst(ino, first) } : reply;
    }),
    Delete: unary(async (req) => {
      // the folder's attributes read in the same transaction, after the delete
      const parent = await mutate((fx) => {
        ns.delete(req.path, req.recursive, req.kind, fx);
        return ns.stat(parentOf(normalizePath(req.path))[0]);
      });
      if (req.recursive) reapDoomed();
      return { parent };
    }),
    Rename: unary(async (req) => {
      await mutate((fx) => ns.rename(req.src, req.dst, req.noReplace, fx));
      return {};
    }),
    SetAttr: unary(async (req) => {
      const ch: SetAttrChanges = {
        mode: req.mode, uid: req.uid, gid: req.gid, size: req.size, replication: req.replication,
        atime: req.atime ? tsOfWire(req.atime, [0, 0]) : undefined,
        mtime: req.mtime ? tsOfWire(req.mtime, [0, 0]) : undefined,
        atimeNow: req.atimeNow === true, mtimeNow: req.mtimeNow === true, accessed: req.accessed === true,
        inUse: (handle) => chunks.isLeased(handle),
      };
      const attr = await mutate((fx) => ns.setAttr(req.ino, req.path, ch, fx));
      if (req.size !== undefined && req.size !== null) appends.forget(Number(attr.ino)); // truncated: appends start at its size
      return attr;
    }),
    Symlink: unary((req) => store.tx(() => ns.symlink(req.path, req.target, req.uid, req.gid))),
    Link: unary((req) => store.tx(() => ns.link(req.src, req.dst))),
    Mknod: unary((req) => store.tx(() => ns.mknod(req.path, req.type, req.mode, req.rdev, req.uid, req.gid))),
    SetXattr: unary(async (req) => {
      await store.tx(() => ns.setXattr(req.path, req.name, req.value, req.flags));
      return {};
    }),
    GetXattr: unary(async (req) => ({ value: ns.getXattr(req.path, req.name) })),
    ListXattr: unary(async (req) => ({ names: ns.listXattr(req.path) })),
    RemoveXattr: unary(async (req) => {
      await store.tx(() => ns.removeXattr(req.path, req.name));
      return {};
    }),
    Open: unary(async (req) => {
      if (req.writable && safeMode.manual) throw readOnlyError('Open for writing');
      for (let attempt = 0; ; attempt++) {
        const ino = Number(req.ino);
        const f = req.path === '' && ino > 0 ? { ino, rec: ns.inode(ino) } : ns.lookup(req.path);
        if (!req.sessionId) return ns.attr(f.ino, f.rec);
        sessions.open(req.sessionId, f.ino, clock.nowMs());
        // A write transaction that decided before this registration (a rename over this inode,
        // an unlink) may still be committing and would delete the inode although it is now open:
        // wait for it, then make sure the inode survived; otherwise look the path up again.
        await store.root.committed;
        try {
          return ns.attr(f.ino, ns.inode(f.ino));
        } catch (e) {
          sessions.release(req.sessionId, f.ino, clock.nowMs());
          if (attempt >= OPEN_ATTEMPTS_MAX - 1) throw e;
        }
      }
    }),
    Release: unary(async (req) => {
      // before the session lets go: an orphan collected first would take the chunk with it anyway
      if (Number(req.unwrittenHandle) > 0 && !safeMode.on) await chunks.giveBackUnwrittenFirst(Number(req.ino), Number(req.unwrittenHandle));
      if (sessions.release(req.sessionId, req.ino, clock.nowMs())) await collectOrphans([req.ino]);
      return {};
    }),
    KeepSession: unary(async (req) => {
      await collectOrphans(sessions.keep(req.sessionId, req.openInos, clock.nowMs()));
      return { sessionTimeoutMs: config.cluster.sessionTimeoutMs };
    }),
    EndSession: unary(async (req) => {
      if (!req.sessionId) throw new DfsError('EINVAL', 'EndSession needs a session id');
      const closed = sessions.end(req.sessionId);
      locks.releaseSessions([req.sessionId]);
      await collectOrphans(closed);
      return {};
    }),
    Lock: unary(async (req, call) => {
      const lock = lockRequestOfWire(req);
      if (lock.type !== 'UNLOCK') ns.inode(lock.ino); // ENOENT for an inode that does not exist (any more)
      if (lock.session) sessions.touch(lock.session, clock.nowMs());
      const cancelled = new AbortController();
      call.on('cancelled', () => cancelled.abort());
      return { acquired: await locks.acquire(lock, req.waitMs, cancelled.signal) };
    }),
    GetLock: unary(async (req) => lockInfoOfHeld(locks.test(lockRequestOfWire(req)))),
    GetChunks: unary((req) => chunks.getChunksAfterStart(req.ino, req.firstIndex, req.count)),
    GetLease: unary((req) => chunks.getLease(req.ino, req.index, req.excludeServerIds, req.leaseRefused, req.unwrittenHandle)),
    CommitWrite: unary(async (req) => {
      const attr = await store.tx(() => ns.commitWrite(req.ino, req.minSize, req.mtime ? tsOfWire(req.mtime, [0, 0]) : undefined));
      appends.committed(Number(attr.ino), Number(attr.size));
      return attr;
    }),
    ReserveAppend: unary(async (req) => {
      const ino = Number(req.ino);
      const rec = ns.inode(ino);
      if (rec.type !== 'REGULAR') throw new DfsError('EINVAL', `inode ${ino} is not a regular file`);
      const length = Number(req.length);
      const offset = appends.reserve(ino, rec.size, Number(req.atLeast), length, clock.nowMs());
      checkFileSize(offset + length, rec.chunkSize);
      return { offset };
    }),
    BeginUpload: unary(async (req) => {
      const up = await store.tx(() => ns.beginUpload(req.path, {
        mode: req.mode, uid: req.uid, gid: req.gid, chunkSize: req.chunkSize, replication: req.replication, overwrite: req.overwrite,
      }, clock.nowMs() + config.cluster.uploadTimeoutMs));
      return { ino: up.ino, chunkSize: up.rec.chunkSize, replication: up.rec.replication, uploadTimeoutMs: config.cluster.uploadTimeoutMs };
    }),
    CommitUpload: unary(async (req) => {
      const attr = await mutate((fx) => ns.commitUpload(req.ino, req.path, req.size, req.sha256, req.overwrite, fx));
      chunks.uploadDone(ns.inode(Number(attr.ino)).chunks.filter((h) => h !== 0));
      return attr;
    }),
    AbortUpload: unary(async (req) => {
      await mutate((fx) => ns.abortUpload(req.ino, fx));
      return {};
    }),
    Nodes: unary(async () => {
      const now = clock.nowMs();
      for (const [id, r] of refused) if (now - Number(r.lastSeenUnixMs) > REFUSED_SHOWN_MS) refused.delete(id);
      return { nodes: registry.all().map((s): NodeInfo => nodeInfo(admin, s)), clusterId, refused: [...refused.values()] };
    }),
    StatFs: unary(async () => {
      const alive = registry.alive();
      return {
        capacityBytes: alive.reduce((n, s) => n + s.capacityBytes, 0),
        usedBytes: alive.reduce((n, s) => n + s.usedBytes, 0),
        freeBytes: alive.reduce((n, s) => n + s.freeBytes, 0),
        files: store.counter('inodeCount'),
        chunks: store.counter('chunkCount'),
        liveServers: alive.length,
        safeMode: safeMode.on,
      };
    }),
    ReportBadReplica: unary(async (req) => {
      log.warn({ handle: req.handle, serverId: req.serverId, reason: req.reason }, 'bad replica reported');
      chunks.badReplica(req.handle, req.serverId);
      return {};
    }),
    Register: unary(async (req) => {
      if (req.clusterId !== '' && req.clusterId !== clusterId) {
        noteRefused({ serverId: req.serverId, address: req.address, clusterId: req.clusterId, lastSeenUnixMs: clock.nowMs() });
        log.error({ serverId: req.serverId, address: req.address, serverCluster: req.clusterId, clusterId },
          'chunkserver of another cluster refused');
        throw new DfsError('WRONG_CLUSTER', `chunkserver ${req.serverId} holds chunks of cluster ${req.clusterId}, `
          + `this master's namespace (${opts.metaDir}) is cluster ${clusterId}: is the master running on the wrong meta folder?`);
      }
      const known = registry.get(req.serverId);
      const now = clock.nowMs();
      if (known && !isRegisteredInstance(known, req.instanceId) && heartbeatCalls.has(known.id) && registry.isLive(known.id)
        && now - known.lastHeartbeatMs <= DUPLICATE_HEARD_INTERVALS * config.chunkserver.heartbeatIntervalMs) {
        // another process registered under this id is heartbeating: two servers, one id
        noteRefused({ serverId: req.serverId, address: req.address, clusterId: req.clusterId, lastSeenUnixMs: now, inUseBy: known.address });
        log.error({ serverId: req.serverId, address: req.address, inUseBy: known.address }, 'chunkserver id in use by a running server: refused');
        throw new DfsError('DUPLICATE_ID', `chunkserver id ${req.serverId} is in use by a running chunkserver at ${known.address}: `
          + 'give each chunkserver its own --id (or leave it out: each data folder keeps its own) and its own data folder');
      }
      refused.delete(req.serverId);
      if (known) chunks.serverDead(req.serverId); // it sends a full report next
      registry.register(req.serverId, req.address, req, now, req.instanceId);
      probe(req.serverId);
      return { heartbeatIntervalMs: config.chunkserver.heartbeatIntervalMs, clusterId };
    }),
    Heartbeat: (call) => {
      streams.add(call);
      let chain = Promise.resolve();
      let serverId: string | undefined;
      call.on('data', (req: HeartbeatRequest__Output) => {
        const s = registry.get(req.serverId);
        if (s && isRegisteredInstance(s, req.instanceId)) {
          // the registered process's stream: a stale one of the same id neither keeps it alive nor ends it
          serverId = req.serverId;
          heartbeatCalls.set(serverId, call);
          registry.heard(req.serverId, clock.nowMs()); // alive, even while its report waits in the chain
        }
        chain = chain.then(() => heartbeat(req)).then(
          (reply) => { if (!call.writableEnded && !call.destroyed) call.write(reply); },
          (e) => log.warn({ serverId: req.serverId, err: asDfsError(e).message }, 'heartbeat failed'),
        );
      });
      const gone = (): void => {
        streams.delete(call);
        if (serverId !== undefined && heartbeatCalls.get(serverId) === call) {
          heartbeatCalls.delete(serverId);
          chunks.serverUnreachable(serverId);
        }
      };
      const done = (): void => {
        gone();
        if (!call.writableEnded) chain.then(() => call.end(), () => call.end());
      };
      call.on('end', done);
      call.on('error', done);
      call.on('cancelled', gone);
    },
    ...adminHandlers(admin),
  };

  /** Deletes the /.trash/<unixMs> buckets whose retention ended (a bounded number per round). */
  async function emptyTrash(now: number): Promise<void> {
    if (config.cluster.trashRetentionMs <= 0) return;
    let names: string[];
    try {
      names = ns.list(TRASH_ROOT, '', TRASH_BUCKETS_PER_ROUND_MAX * 4).entries.map((e) => e.name);
    } catch (e) {
      if (isDfsError(e, 'ENOENT') || isDfsError(e, 'ENOTDIR')) return;
      throw e;
    }
    const expired = expiredTrashBuckets(names, now, config.cluster.trashRetentionMs).slice(0, TRASH_BUCKETS_PER_ROUND_MAX);
    if (expired.length === 0) return;
    log.info({ buckets: expired }, 'trash emptied');
    for (const name of expired) {
      await mutate((fx) => {
        try {
          ns.delete(`${TRASH_ROOT}/${name}`, true, 'ANY', fx);
        } catch (e) {
          if (!isDfsError(e, 'ENOENT')) throw e;
        }
      });
    }
  }

  /**
   * Per server registered, the probe of its address: a chunkserver heartbeats over a connection
   * it opened, so an address the master (and so, most likely, clients and other chunkservers)
   * cannot connect to — a wrong --advertise, a firewall — showed ALIVE while every grant, copy
   * and write to it failed after a time-out. An unreachable one gets no new chunks or copies
   * (registry.candidates), `dfs nodes` shows UNREACHABLE, and it is probed again with a
   * doubling pause (maintain) until a connection succeeds.
   */
  const probes = new Map<string, { address: string; nextMs: number; waitMs: number; running: boolean }>();

  function probe(id: string): void {
    const address = registry.get(id)?.address;
    if (address === undefined) return;
    let p = probes.get(id);
    if (!p || p.address !== address) probes.set(id, (p = { address, nextMs: 0, waitMs: PROBE_RETRY_MIN_MS, running: false }));
    if (p.running) return;
    const state = p;
    state.running = true;
    void link.reachable(address, PROBE_TIMEOUT_MS).then((ok) => {
      state.running = false;
      const s = registry.get(id);
      if (!s || s.address !== address || probes.get(id) !== state) return; // registered again meanwhile: its own probe decides
      if (ok) {
        if (s.unreachable) log.info({ serverId: id, address }, 'chunkserver reachable again');
        s.unreachable = false;
        probes.delete(id);
        return;
      }
      if (!s.unreachable) {
        log.error({ serverId: id, address }, `the master cannot connect to chunkserver ${id} at ${address} `
          + '(check its --listen and --advertise): no new chunks or copies go to it until it can');
      }
      s.unreachable = true;
      state.nextMs = clock.nowMs() + state.waitMs;
      state.waitMs = Math.min(state.waitMs * 2, PROBE_RETRY_MAX_MS);
    });
  }

  async function maintain(o: { judgeSilence?: boolean } = {}): Promise<void> {
    const now = clock.nowMs();
    for (const [id, p] of probes) {
      if (!registry.isLive(id)) probes.delete(id);
      else if (!p.running && now >= p.nextMs) probe(id);
    }
    for (const id of o.judgeSilence === false ? [] : silentServers(registry.all(), now, config.cluster.deadAfterMs)) {
      const s = registry.get(id)!;
      registry.transition(s, 'DEAD', `silent for ${now - s.lastHeartbeatMs} ms`);
      chunks.serverDead(id);
    }
    const expired = sessions.expire(now, config.cluster.sessionTimeoutMs);
    if (expired.sessions.length > 0) log.info({ sessions: expired.sessions }, 'sessions expired');
    locks.releaseSessions(expired.sessions);
    await collectOrphans(expired.closed);
    if (now - startedAtMs >= config.cluster.sessionTimeoutMs) {
      const stale: number[] = [];
      for (const ino of store.orphans.getKeys()) if (!sessions.isOpen(ino)) stale.push(ino);
      await collectOrphans(stale);
    }
    const ripe: number[] = [];
    for (const { key, value } of store.uploads.getRange()) {
      if (value.expiresAtMs <= now) ripe.push(key);
      if (ripe.length >= UPLOADS_EXPIRED_PER_ROUND_MAX) break;
    }
    if (ripe.length > 0) {
      log.info({ inos: ripe }, 'uploads expired');
      await mutate((fx) => {
        for (const ino of ripe) {
          const up = store.uploads.get(ino);
          const rec = store.inodes.get(ino);
          if (up && up.expiresAtMs <= now && rec) ns.dropInode(ino, rec, fx);
          else if (up && !rec) store.uploads.remove(ino);
        }
      });
    }
    await emptyTrash(now);
    reapDoomed();
    chunks.pruneLeases();
    chunks.pruneGranted();
    garbage.prune(now, config.cluster.garbageGraceMs * 4 + config.cluster.deadAfterMs);
    evaluateSafeMode();
    advanceDecommissions(admin);
    if (!safeMode.on && now - startedAtMs >= config.cluster.deadAfterMs) await replicator.plan();
  }

  const server = new grpc.Server(SERVER_OPTIONS);
  const metrics = new MasterMetrics();
  metrics.countTransactions(() => store.writes);
  metrics.measureStore(() => store.usedBytes());
  metrics.countGrantedAhead(() => chunks.grantedAhead());
  refuseInManualSafeMode(handlers, () => safeMode.manual);
  served = metrics.handlers(handlers);
  server.addService(withDirectHeartbeatDecoder(proto().dfs.Master.service), served);
  let port: number;
  try {
    port = await bindServer(server, opts.listen);
  } catch (e) {
    await store.close();
    dirLock.release();
    throw e;
  }
  const intervalMs = opts.maintenanceIntervalMs ?? Math.max(50, Math.min(1000, Math.floor(config.cluster.deadAfterMs / 4)));
  let running = false;
  let lastTickMs = performance.now();
  const timer = intervalMs > 0 ? setInterval(() => {
    // A tick this late means the master itself stood still (SIGSTOP, a VM pause): the heartbeats
    // of that time wait in its sockets, unread. Every server would look silent at once, so this
    // round declares nobody dead; the next one judges after those heartbeats were read.
    const t = performance.now();
    const stalled = t - lastTickMs > intervalMs + config.cluster.deadAfterMs / 2;
    lastTickMs = t;
    if (running) return;
    running = true;
    maintain({ judgeSilence: !stalled }).catch((e) => log.error({ err: asDfsError(e).message }, 'maintenance failed')).finally(() => { running = false; });
  }, intervalMs) : undefined;
  timer?.unref();
  const host = opts.listen.slice(0, opts.listen.lastIndexOf(':'));
  const address = `${host === '0.0.0.0' || host === '' ? '127.0.0.1' : host}:${port}`;
  log.info({ address, metaDir: opts.metaDir, clusterId }, 'master started');
  let http: MasterHttp | undefined;
  try {
    http = config.master.httpListen ? await startMasterHttp({ config, listen: config.master.httpListen, masterAddress: address, metrics }) : undefined;
  } catch (e) {
    if (timer) clearInterval(timer);
    await stopServer(server, 0);
    link.close();
    await store.close();
    throw e;
  }

  let stopped = false;
  return {
    address,
    port,
    httpAddress: http?.address,
    maintain,
    async stop() {
      if (stopped) return;
      stopped = true;
      await http?.close();
      if (timer) clearInterval(timer);
      for (const call of streams) call.end();
      streams.clear();
      locks.close();
      await stopServer(server, 1000);
      link.close();
      while (running) await new Promise((r) => setTimeout(r, 10));
      reaperStopped = true;
      await reaping;
      await store.close();
      dirLock.release();
      log.info({ address }, 'master stopped');
    },
  };
}

/** A refused chunkserver is shown by `dfs nodes` until it has not tried for this long; at most this many are. */
const REFUSED_SHOWN_MS = 60_000;
const REFUSED_SHOWN_MAX = 1_000;
/** How long a probe of a chunkserver's address waits for a connection, and the pauses between probes of an unreachable one. */
const PROBE_TIMEOUT_MS = 5_000;
const PROBE_RETRY_MIN_MS = 5_000;
const PROBE_RETRY_MAX_MS = 60_000;
/**
 * A Register under an id whose process heartbeated within this many intervals, on a stream still
 * open, is refused (DUPLICATE_ID). A restarted process gets in at once when its predecessor's
 * stream ended (killed, stopped), and after this long when it did not (its machine rebooted).
 */
const DUPLICATE_HEARD_INTERVALS = 3;

/**
 * The calls that change the namespace or chunk data. A safe mode an operator entered
 * (`dfs safemode enter`) makes the namespace read-only, as HDFS's does: they fail with EROFS
 * until `dfs safemode leave`. The safe mode of a start only holds repairs and deletions back
 * (the writes wait for the chunkservers instead: ChunkManager.awaitServers).
 */
const CHANGES: readonly (keyof MasterHandlers)[] = [
  'Mkdir', 'Create', 'Delete', 'Rename', 'SetAttr', 'Symlink', 'Link', 'Mknod', 'SetXattr', 'RemoveXattr',
  'GetLease', 'CommitWrite', 'ReserveAppend', 'BeginUpload', 'CommitUpload',
];

function refuseInManualSafeMode(handlers: MasterHandlers, manual: () => boolean): void {
  for (const name of CHANGES) {
    const handler = handlers[name] as unknown as grpc.handleUnaryCall<unknown, unknown>;
    (handlers as unknown as Record<string, grpc.handleUnaryCall<unknown, unknown>>)[name] = (call, callback) => {
      if (!manual()) return handler(call, callback);
      callback(toServiceError(readOnlyError(String(name))) as grpc.ServiceError);
    };
  }
}

function readOnlyError(what: string): DfsError {
  return new DfsError('EROFS', `${what}: the master is in safe mode, the namespace is read-only until 'dfs safemode leave'`);
}
