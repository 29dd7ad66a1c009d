/**
 * Chunk locations (memory only, learned from chunkserver reports as in GFS), the queue of
 * replicas to delete on each server, and the pure verdict on a reported replica.
 *
 * Invariant: `byHandle` and `byServer` describe the same relation. Only replicas reported at
 * the master's version are in it. Every queue is bounded: a deletion that does not fit is
 * dropped, and the replica comes back as garbage in a later report.
 */
import type { ChunkRef } from '../generated/dfs/ChunkRef';

export type ReportVerdict = 'current' | 'stale' | 'adopt' | 'garbage';

/** Pure: what to do with a replica reported at `reported` when the master knows `known` (undefined = unknown handle). */
export function judgeReport(reported: number, known: number | undefined): ReportVerdict {
  if (known === undefined) return 'garbage';
  if (reported < known) return 'stale';
  if (reported > known) return 'adopt';
  return 'current';
}

export class ChunkMap {
  private readonly byHandle = new Map<number, Set<string>>();
  private readonly byServer = new Map<string, Set<number>>();
  /** Full report in progress per server: the handles seen on its pages so far. */
  private readonly fullReports = new Map<string, Set<number>>();

  holders(handle: number): string[] {
    const s = this.byHandle.get(handle);
    return s ? [...s] : [];
  }

  has(handle: number, server: string): boolean {
    return this.byHandle.get(handle)?.has(server) ?? false;
  }

  countOn(server: string): number {
    return this.byServer.get(server)?.size ?? 0;
  }

  handles(): IterableIterator<number> {
    return this.byHandle.keys();
  }

  add(handle: number, server: string): void {
    let s = this.byHandle.get(handle);
    if (!s) this.byHandle.set(handle, (s = new Set()));
    s.add(server);
    let h = this.byServer.get(server);
    if (!h) this.byServer.set(server, (h = new Set()));
    h.add(handle);
  }

  remove(handle: number, server: string): void {
    const s = this.byHandle.get(handle);
    if (s) {
      s.delete(server);
      if (s.size === 0) this.byHandle.delete(handle);
    }
    this.byServer.get(server)?.delete(handle);
  }

  /** Forgets a chunk; returns the servers that held it. */
  dropHandle(handle: number): string[] {
    const holders = this.holders(handle);
    for (const server of holders) this.remove(handle, server);
    return holders;
  }

  /** Forgets every replica of a server (dead, or re-registered before a full report). */
  dropServer(server: string): number[] {
    const handles = [...(this.byServer.get(server) ?? [])];
    for (const h of handles) this.remove(h, server);
    this.byServer.delete(server);
    this.fullReports.delete(server);
    return handles;
  }

  /** Notes a handle seen on a full-report page (the page's replicas are added by the caller). */
  fullReportPage(server: string, handles: readonly number[], lastPage: boolean): void {
    let seen = this.fullReports.get(server);
    if (!seen) this.fullReports.set(server, (seen = new Set()));
    for (const h of handles) seen.add(h);
    if (!lastPage) return;
    this.fullReports.delete(server);
    for (const h of [...(this.byServer.get(server) ?? [])]) if (!seen.has(h)) this.remove(h, server);
  }
}

/** Per-server queues of replicas to delete, delivered in heartbeat replies. */
export class DeletionQueue {
  private readonly queues = new Map<string, Map<number, number>>();

  constructor(private readonly perServerMax: number) {}

  add(server: string, handle: number, version: number): boolean {
    let q = this.queues.get(server);
    if (!q) this.queues.set(server, (q = new Map()));
    if (!q.has(handle) && q.size >= this.perServerMax) return false;
    q.set(handle, version);
    return true;
  }

  pending(server: string): number {
    return this.queues.get(server)?.size ?? 0;
  }

  take(server: string, max: number): ChunkRef[] {
    const q = this.queues.get(server);
    if (!q) return [];
    const out: ChunkRef[] = [];
    for (const [handle, version] of q) {
      if (out.length >= max) break;
      out.push({ handle, version });
      q.delete(handle);
    }
    if (q.size === 0) this.queues.delete(server);
    return out;
  }
}

/** First time an unknown replica was seen per server, bounded; garbage is deleted after a grace period. */
export class GarbageTracker {
  private readonly firstSeen = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** True when the replica has been garbage for at least graceMs (and forgets it). */
  isRipe(server: string, handle: number, nowMs: number, graceMs: number): boolean {
    const key = `${server}\u0000${handle}`;
    const first = this.firstSeen.get(key);
    if (first === undefined) {
      if (graceMs <= 0) return true;
      if (this.firstSeen.size < this.max) this.firstSeen.set(key, nowMs);
      return false;
    }
    if (nowMs - first < graceMs) return false;
    this.firstSeen.delete(key);
    return true;
  }

  forget(server: string, handle: number): void {
    this.firstSeen.delete(`${server}\u0000${handle}`);
  }

  /** Drops entries older than `maxAgeMs` (their servers stopped reporting them). */
  prune(nowMs: number, maxAgeMs: number): void {
    for (const [k, t] of this.firstSeen) if (nowMs - t > maxAgeMs) this.firstSeen.delete(k);
  }

  get size(): number {
    return this.firstSeen.size;
  }
}
