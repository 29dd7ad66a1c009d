/**
 * The re-replication loop's state: scans chunk records in bounded slices, plans copies and
 * deletions (replication-plan.ts), and hands `ReplicateTask`s to targets in their next
 * heartbeat reply. A copy is done when the target reports the chunk (its location appears);
 * one that does not appear within `copyTimeoutMs` is forgotten and planned again.
 */
import type { Clock } from '../common/clock';
import type { Config } from '../common/config';
import type { Logger } from '../common/logger';
import type { ReplicateTask } from '../generated/dfs/ReplicateTask';
import { MetaStore } from './meta-store';
import { ServerRegistry } from './server-registry';
import { ChunkMap, DeletionQueue } from './chunk-map';
import { planReplication, ChunkHealth } from './replication-plan';

export interface ReplicatorOptions {
  store: MetaStore; registry: ServerRegistry; chunkMap: ChunkMap; deletions: DeletionQueue;
  clock: Clock; config: Config; log: Logger;
  /** Handles with a valid lease (their replicas are not trimmed). */
  isLeased?: (handle: number) => boolean;
}

/** Chunk records examined per round. */
export const SCAN_CHUNKS_PER_ROUND_MAX = 20_000;
export const COPIES_PER_SERVER_MAX = 2;
export const TASKS_PER_ROUND_MAX = 64;

interface InFlight { target: string; sinceMs: number }

export class Replicator {
  private cursor = 0;
  private readonly inFlight = new Map<number, InFlight>();
  private readonly outbox = new Map<string, ReplicateTask[]>();

  constructor(private readonly o: ReplicatorOptions) {}

  private get copyTimeoutMs(): number {
    return this.o.config.client.dataTimeoutMs * 2 + this.o.config.chunkserver.heartbeatIntervalMs * 2;
  }

  /** Tasks for `serverId`'s next heartbeat reply. */
  take(serverId: string): ReplicateTask[] {
    const tasks = this.outbox.get(serverId) ?? [];
    this.outbox.delete(serverId);
    return tasks;
  }

  private settle(nowMs: number): Map<string, number> {
    const load = new Map<string, number>();
    for (const id of [...this.outbox.keys()]) if (!this.o.registry.isAlive(id)) this.outbox.delete(id);
    for (const [handle, f] of this.inFlight) {
      if (this.o.chunkMap.has(handle, f.target) || nowMs - f.sinceMs > this.copyTimeoutMs || !this.o.registry.isAlive(f.target)) {
        this.inFlight.delete(handle);
        continue;
      }
      load.set(f.target, (load.get(f.target) ?? 0) + 1);
    }
    return load;
  }

  /** One planning round over the next slice of chunk records. */
  plan(): void {
    const now = this.o.clock.nowMs();
    const load = this.settle(now);
    const goals = new Map<number, number>();
    const health: ChunkHealth[] = [];
    let scanned = 0;
    let last = 0;
    for (const { key, value } of this.o.store.chunks.getRange({ start: this.cursor + 1 })) {
      last = key;
      if (++scanned > SCAN_CHUNKS_PER_ROUND_MAX) break;
      if (this.inFlight.has(key)) continue;
      let goal = goals.get(value.ino);
      if (goal === undefined) {
        goal = this.o.store.inodes.get(value.ino)?.replication || this.o.config.cluster.replication;
        goals.set(value.ino, goal);
      }
      const holders = this.o.chunkMap.holders(key).filter((id) => this.o.registry.isAlive(id));
      if (holders.length === goal) continue;
      health.push({ handle: key, version: value.version, goal, holders, leased: this.o.isLeased?.(key) ?? false });
    }
    this.cursor = scanned > SCAN_CHUNKS_PER_ROUND_MAX ? last - 1 : 0;
    if (health.length === 0) return;
    const plan = planReplication(health, this.o.registry.candidates(now), load,
      { copiesPerServerMax: COPIES_PER_SERVER_MAX, tasksMax: TASKS_PER_ROUND_MAX });
    for (const c of plan.copies) {
      const sources = c.sources.map((id) => this.o.registry.get(id)!).map((s) => ({ serverId: s.id, address: s.address }));
      const q = this.outbox.get(c.target) ?? [];
      q.push({ handle: c.handle, version: c.version, sources });
      this.outbox.set(c.target, q);
      this.inFlight.set(c.handle, { target: c.target, sinceMs: now });
      this.o.log.info({ handle: c.handle, target: c.target }, 're-replicating chunk');
    }
    for (const e of plan.extras) {
      this.o.chunkMap.remove(e.handle, e.server);
      this.o.deletions.add(e.server, e.handle, e.version);
      this.o.log.info({ handle: e.handle, serverId: e.server }, 'deleting extra replica');
    }
  }
}
