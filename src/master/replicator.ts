/**
 * The re-replication loop's state: scans chunk records in bounded slices, plans copies and
 * deletions (replication-plan.ts), and hands `ReplicateTask`s to targets in their next
 * heartbeat reply. A copy is done when the target reports the chunk (its location appears);
 * one that does not appear within `copyTimeoutMs` is forgotten and planned again.
 *
 * Also the moves (the balancer's, balance-plan.ts, and those of chunks on too few hosts): a
 * move is a copy with a designated source whose replica is deleted only once the target
 * reported the copy; and the decommission progress
 * (chunks on a draining server that are still below their goal on in-service servers).
 *
 * Throttling: at most `cluster.replicationCopiesPerServerMax` copies in flight per target
 * (twice that per source) and `cluster.replicationTasksPerRoundMax` new tasks per round; the
 * chunkserver runs at most REPLICATIONS_CONCURRENT_MAX at once. Every scheduled copy counts
 * as a pending write of its target for placement (registry.noteGrant), so a burst of new
 * chunks does not pile onto the server that is also receiving copies.
 */
import type { Clock } from '../common/clock';
import type { Config } from '../common/config';
import type { Logger } from '../common/logger';
import type { ReplicateTask } from '../generated/dfs/ReplicateTask';
import { MetaStore } from './meta-store';
import { ServerRegistry } from './server-registry';
import { ChunkMap, DeletionQueue } from './chunk-map';
import { planReplication, copyWeight, ChunkHealth } from './replication-plan';
import { hostOfAddress, withRoomFor } from './placement';
import { planBalance, type BalancePlan, type BalanceNode } from './balance-plan';

export interface ReplicatorOptions {
  store: MetaStore; registry: ServerRegistry; chunkMap: ChunkMap; deletions: DeletionQueue;
  clock: Clock; config: Config; log: Logger;
  /** Handles a writer may hold a lease on (ChunkManager.mayBeLeased): not copied, moved or trimmed. */
  isLeased?: (handle: number) => boolean;
  /** A copy of `handle` to `target` is scheduled (ChunkManager.forgetFailedGrant). */
  copyScheduled?: (handle: number, target: string) => void;
}

/** Chunk records examined per round. */
export const SCAN_CHUNKS_PER_ROUND_MAX = 20_000;
/** Chunk records examined between two yields to the event loop. */
const SCAN_SLICE_CHUNKS = 1_000;
/** Chunks per server the balancer considers per call. */
const BALANCE_CANDIDATES_PER_SERVER_MAX = 10_000;

interface InFlight {
  target: string; sinceMs: number;
  /** Its share of the target's copiesPerServerMax (copyWeight). */
  weight: number;
  /** A move: delete this replica once the copy is reported. */
  moveFrom?: string;
  /** The balancer's move (pendingMoves), not a spread move. */
  balancer?: boolean;
}

/** Per round: the host of each server, and how many hosts have a server in service. */
interface Hosts { of: (id: string) => string; inService: number }

export class Replicator {
  private cursor = 0;
  private readonly inFlight = new Map<number, InFlight>();
  private readonly outbox = new Map<string, ReplicateTask[]>();
  /** Per file, during a round: replica goal, size and chunk size. */
  private readonly goals = new Map<number, { goal: number; size: number; chunkSize: number }>();
  private planning: Promise<void> | undefined;
  /** The current pass over the chunk records: the state it started on, and whether it found nothing to do so far. */
  private pass = { stamp: '', clean: false };
  /** Set when a whole pass found nothing to do: rounds are skipped while `stamp()` still equals it. */
  private quietStamp: string | undefined;

  constructor(private readonly o: ReplicatorOptions) {}

  private get copyTimeoutMs(): number {
    return this.o.config.client.dataTimeoutMs * 2 + this.o.config.chunkserver.heartbeatIntervalMs * 2;
  }

  private get copiesPerServerMax(): number { return this.o.config.cluster.replicationCopiesPerServerMax; }
  private get tasksPerRoundMax(): number { return this.o.config.cluster.replicationTasksPerRoundMax; }

  /** Tasks for `serverId`'s next heartbeat reply. */
  take(serverId: string): ReplicateTask[] {
    const tasks = this.outbox.get(serverId) ?? [];
    this.outbox.delete(serverId);
    return tasks;
  }

  /** Copies scheduled and not yet reported. */
  get pendingCopies(): number {
    return this.inFlight.size;
  }

  /** Balancer moves scheduled and not yet done. */
  get pendingMoves(): number {
    let n = 0;
    for (const f of this.inFlight.values()) if (f.balancer) n++;
    return n;
  }

  /** The replica goal of a chunk (undefined: the chunk is gone). */
  goalOf(handle: number): number | undefined {
    const rec = this.o.store.chunks.get(handle);
    if (!rec) return undefined;
    return this.o.store.inodes.get(rec.ino)?.replication || this.o.config.cluster.replication;
  }

  /** Chunks on a server that are below their goal without it (decommission progress). */
  replicasToMove(serverId: string): number {
    let n = 0;
    for (const h of this.o.chunkMap.handlesOn(serverId)) {
      const goal = this.goalOf(h);
      if (goal === undefined) continue;
      const inService = this.o.chunkMap.holders(h).filter((id) => this.o.registry.isAlive(id)).length;
      if (inService < goal) n++;
    }
    return n;
  }

  private settle(nowMs: number): Map<string, number> {
    const load = new Map<string, number>();
    for (const id of [...this.outbox.keys()]) if (!this.o.registry.isAlive(id)) this.outbox.delete(id);
    for (const [handle, f] of this.inFlight) {
      if (this.o.chunkMap.has(handle, f.target)) {
        this.inFlight.delete(handle);
        if (f.moveFrom) this.finishMove(handle, f.moveFrom);
        continue;
      }
      if (nowMs - f.sinceMs > this.copyTimeoutMs || !this.o.registry.isAlive(f.target)) {
        this.inFlight.delete(handle);
        continue;
      }
      load.set(f.target, (load.get(f.target) ?? 0) + f.weight);
    }
    return load;
  }

  /** A move's copy arrived: the source's replica goes, unless that would leave the chunk below its goal. */
  private finishMove(handle: number, source: string): void {
    const goal = this.goalOf(handle);
    const rec = this.o.store.chunks.get(handle);
    if (goal === undefined || !rec || !this.o.chunkMap.has(handle, source) || this.o.isLeased?.(handle)) return;
    const inService = this.o.chunkMap.holders(handle).filter((id) => this.o.registry.isAlive(id));
    if (inService.filter((id) => id !== source).length < goal) return;
    this.o.chunkMap.remove(handle, source);
    this.o.deletions.add(source, handle, rec.version);
    this.o.log.info({ handle, serverId: source }, 'moved replica deleted at its source');
  }

  private schedule(
    handle: number, version: number, target: string, sources: string[], nowMs: number,
    move?: { from: string; balancer: boolean }, weight = 1,
  ): void {
    this.o.copyScheduled?.(handle, target);
    const replicas = sources.map((id) => this.o.registry.get(id)).filter((s) => s !== undefined).map((s) => ({ serverId: s.id, address: s.address }));
    const q = this.outbox.get(target) ?? [];
    q.push({ handle, version, sources: replicas });
    this.outbox.set(target, q);
    this.inFlight.set(handle, { target, sinceMs: nowMs, moveFrom: move?.from, balancer: move?.balancer, weight });
    this.o.registry.noteGrant(target, nowMs);
  }

  /**
   * One planning round over the next SCAN_CHUNKS_PER_ROUND_MAX chunk records. The scan yields to
   * the event loop every SCAN_SLICE_CHUNKS records (a round over 20,000 records took 70-700 ms
   * here, which every heartbeat arriving meanwhile waited for); the decisions are then taken in
   * one synchronous step on the state of that moment: holders are read again, and a copy or a
   * deletion is applied only when its chunk still exists at the scanned version. One round at a
   * time: a call while a round runs gets that round. Once a whole pass found nothing to do,
   * rounds are skipped until something it depends on changes (see `stamp`): a healthy, idle
   * cluster of millions of chunks costs no scanning.
   */
  plan(): Promise<void> {
    this.planning ??= this.planRound().finally(() => { this.planning = undefined; });
    return this.planning;
  }

  private async planRound(): Promise<void> {
    this.settle(this.o.clock.nowMs());
    const stamp = this.stamp();
    if (stamp === this.quietStamp) return; // a whole pass found nothing to do, and nothing changed since
    this.quietStamp = undefined;
    if (this.cursor === 0) this.pass = { stamp, clean: true };
    this.goals.clear();
    const hosts = this.hosts();
    const scanned = await this.scan(hosts);
    if (scanned.length > 0 || this.inFlight.size > 0) this.pass.clean = false;
    if (this.cursor === 0 && this.pass.clean && this.pass.stamp === this.stamp()) this.quietStamp = this.pass.stamp;
    const now = this.o.clock.nowMs();
    const load = this.settle(now);
    const health: ChunkHealth[] = [];
    const hostsNow = this.hosts();
    for (const c of scanned) {
      if (this.inFlight.has(c.handle)) continue;
      const h = this.health(c.handle, c.version, c.goal, hostsNow);
      if (h) health.push({ ...h, weight: copyWeight(c.bytes, this.o.config.cluster.chunkSizeBytes) });
    }
    if (health.length === 0) return;
    const plan = planReplication(health, withRoomFor(this.o.registry.candidates(now), this.o.config.cluster.chunkSizeBytes), load,
      { copiesPerServerMax: this.copiesPerServerMax, tasksMax: this.tasksPerRoundMax });
    for (const c of plan.copies) {
      if (this.o.store.chunks.get(c.handle)?.version !== c.version) continue; // deleted or bumped during the scan
      this.schedule(c.handle, c.version, c.target, c.sources, now, undefined, c.weight);
      this.o.log.info({ handle: c.handle, target: c.target }, 're-replicating chunk');
    }
    for (const m of plan.moves) {
      if (this.o.store.chunks.get(m.handle)?.version !== m.version) continue;
      this.schedule(m.handle, m.version, m.target, m.sources, now, { from: m.source, balancer: false }, m.weight);
      this.o.log.info({ handle: m.handle, from: m.source, to: m.target }, 'moving replica to another host (the chunk was on too few hosts)');
    }
    for (const e of plan.extras) {
      if (this.o.store.chunks.get(e.handle)?.version !== e.version) continue;
      this.o.chunkMap.remove(e.handle, e.server);
      this.o.deletions.add(e.server, e.handle, e.version);
      this.o.log.info({ handle: e.handle, serverId: e.server }, 'deleting extra replica');
    }
  }

  /**
   * Everything a chunk's health depends on, as change counters: chunk records and goals (LMDB
   * writes), replica locations, server states, copies in flight. Equal stamps: equal health.
   */
  private stamp(): string {
    return `${this.o.store.writes}:${this.o.chunkMap.totalChanges}:${this.o.registry.stateChanges}:${this.inFlight.size}`;
  }

  /** The host of every registered server, and how many hosts have one in service (ALIVE). */
  private hosts(): Hosts {
    const inService = new Set(this.o.registry.alive().map((s) => hostOfAddress(s.address)));
    return { of: (id) => this.o.registry.hostOf(id) ?? `server:${id}`, inService: inService.size };
  }

  /** Whether in-service holders on `hostsOfHolders` need a move: fewer hosts than min(goal, hosts in service). */
  private static tooFewHosts(hostsOfHolders: readonly string[], goal: number, hosts: Hosts): boolean {
    return new Set(hostsOfHolders).size < Math.min(goal, hosts.inService);
  }

  /** The chunk's health now, or undefined when its in-service holders match its goal and span enough hosts. */
  private health(handle: number, version: number, goal: number, hosts: Hosts): ChunkHealth | undefined {
    const all = this.o.chunkMap.holders(handle);
    const holders = all.filter((id) => this.o.registry.isAlive(id));
    const holderHosts = holders.map(hosts.of);
    if (holders.length === goal && !Replicator.tooFewHosts(holderHosts, goal, hosts)) return undefined;
    const sources = [...holders, ...all.filter((id) => !holders.includes(id) && this.o.registry.isLive(id))];
    return {
      handle, version, goal, holders, sources, leased: this.o.isLeased?.(handle) ?? false,
      holderHosts, hostsWanted: Math.min(goal, hosts.inService),
    };
  }

  /**
   * Reads the next records from the cursor (wrapping to the start after the last one) and
   * returns those whose in-service holders differ from their goal, or span too few hosts, at
   * the time they were read.
   */
  private async scan(hosts: Hosts): Promise<{ handle: number; version: number; goal: number; bytes: number }[]> {
    const out: { handle: number; version: number; goal: number; bytes: number }[] = [];
    let scanned = 0;
    let from = this.cursor + 1;
    for (;;) {
      // One record more than the round takes tells whether the table goes on.
      const want = Math.min(SCAN_SLICE_CHUNKS, SCAN_CHUNKS_PER_ROUND_MAX + 1 - scanned);
      let got = 0;
      for (const { key, value } of this.o.store.chunks.getRange({ start: from, limit: want })) {
        got++;
        from = key + 1;
        if (scanned === SCAN_CHUNKS_PER_ROUND_MAX) {
          this.cursor = key - 1;
          return out;
        }
        scanned++;
        if (this.inFlight.has(key)) continue;
        let file = this.goals.get(value.ino);
        if (file === undefined) {
          const rec = this.o.store.inodes.get(value.ino);
          file = { goal: rec?.replication || this.o.config.cluster.replication, size: rec?.size ?? 0, chunkSize: rec?.chunkSize ?? 0 };
          this.goals.set(value.ino, file);
        }
        const goal = file.goal;
        const holders = this.o.chunkMap.holders(key).filter((id) => this.o.registry.isAlive(id));
        // the chunk's bytes as its file's size says (a chunk past the size, being written, counts whole)
        const bytes = file.chunkSize > 0 ? Math.min(file.chunkSize, Math.max(0, file.size - value.index * file.chunkSize)) || file.chunkSize : 0;
        if (holders.length !== goal || Replicator.tooFewHosts(holders.map(hosts.of), goal, hosts)) {
          out.push({ handle: key, version: value.version, goal, bytes });
        }
      }
      if (got < want) {
        this.cursor = 0;
        return out;
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /**
   * One balancer step: when no move is in flight, plans moves from servers above the mean
   * utilisation (plus `thresholdPct`) to servers below it and schedules them.
   */
  balance(thresholdPct: number): BalancePlan & { scheduled: number } {
    const now = this.o.clock.nowMs();
    const load = this.settle(now);
    const nodes: BalanceNode[] = this.o.registry.alive().map((s) => {
      const chunks: BalanceNode['chunks'][number][] = [];
      for (const h of this.o.chunkMap.handlesOn(s.id)) {
        if (chunks.length >= BALANCE_CANDIDATES_PER_SERVER_MAX) break;
        const rec = this.o.store.chunks.get(h);
        if (!rec || this.inFlight.has(h) || this.o.isLeased?.(h)) continue;
        chunks.push({ handle: h, version: rec.version, holders: this.o.chunkMap.holders(h) });
      }
      return { id: s.id, usedBytes: s.usedBytes, capacityBytes: s.capacityBytes, chunks };
    });
    const busy = this.pendingMoves > 0;
    const plan = planBalance(nodes, thresholdPct, busy ? 0 : this.tasksPerRoundMax, this.copiesPerServerMax, this.hosts().of);
    let scheduled = 0;
    for (const m of plan.moves) {
      if ((load.get(m.target) ?? 0) >= this.copiesPerServerMax) continue;
      load.set(m.target, (load.get(m.target) ?? 0) + 1);
      const others = this.o.chunkMap.holders(m.handle).filter((id) => id !== m.source && this.o.registry.isLive(id));
      this.schedule(m.handle, m.version, m.target, [m.source, ...others], now, { from: m.source, balancer: true });
      scheduled++;
      this.o.log.info({ handle: m.handle, from: m.source, to: m.target }, 'balancer: moving replica');
    }
    return { ...plan, scheduled };
  }
}
