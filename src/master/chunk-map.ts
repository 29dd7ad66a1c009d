/**
 * Chunk locations (memory only, learned from chunkserver reports as in GFS), the queue of
 * replicas to delete on each server, and the pure verdict on a reported replica.
 *
 * Invariant: `byHandle` and `byServer` describe the same relation. Only replicas reported at
 * the master's version are in it. Every queue is bounded: a deletion that does not fit is
 * dropped, and the replica comes back as garbage in a later report.
 */
import type { ChunkRef } from '../generated/dfs/ChunkRef';
import { HolderTable } from './holder-table';

export type ReportVerdict = 'current' | 'stale' | 'adopt' | 'garbage';

/** Pure: what to do with a replica reported at `reported` when the master knows `known` (undefined = unknown handle). */
export function judgeReport(reported: number, known: number | undefined): ReportVerdict {
  if (known === undefined) return 'garbage';
  if (reported < known) return 'stale';
  if (reported > known) return 'adopt';
  return 'current';
}

export class ChunkMap {
  /** handle → holders, off the JS heap (holder-table.ts: millions of small Sets made every full GC trace them). */
  private readonly byHandle = new HolderTable();
  private readonly byServer = new Map<string, Set<number>>();
  /** Full report in progress per server: the handles seen on its pages so far. */
  private readonly fullReports = new Map<string, Set<number>>();
  /** Servers whose last full report is complete (their replicas here are their whole inventory). */
  private readonly reported = new Set<string>();
  /** Per server: bumped on every change of its replica set (lets callers skip re-checking an unchanged set). */
  private readonly changes = new Map<string, number>();

  /** A number that changes whenever the set of replicas on `server` changes. */
  changeCount(server: string): number {
    return this.changes.get(server) ?? 0;
  }

  private changed(server: string): void {
    this.changes.set(server, (this.changes.get(server) ?? 0) + 1);
    this.totalChanges++;
  }

  /** Changes of any server's replica set so far. */
  totalChanges = 0;

  /** The servers holding `handle`, in the order they were added (a new array). */
  holders(handle: number): string[] {
    return this.byHandle.list(handle);
  }

  has(handle: number, server: string): boolean {
    return this.byHandle.has(handle, server);
  }

  countOn(server: string): number {
    return this.byServer.get(server)?.size ?? 0;
  }

  handles(): IterableIterator<number> {
    return this.byHandle.keys();
  }

  /** Chunks with at least one known replica. */
  get handleCount(): number {
    return this.byHandle.size;
  }

  /** The chunks a server holds (a copy: safe to mutate the map while iterating). */
  handlesOn(server: string): number[] {
    return [...(this.byServer.get(server) ?? [])];
  }

  /** Whether a full report of `server` completed since it (re-)registered. */
  fullyReported(server: string): boolean {
    return this.reported.has(server);
  }

  add(handle: number, server: string): void {
    this.byHandle.add(handle, server);
    let h = this.byServer.get(server);
    if (!h) this.byServer.set(server, (h = new Set()));
    if (h.has(handle)) return;
    h.add(handle);
    this.changed(server);
  }

  remove(handle: number, server: string): void {
    this.byHandle.remove(handle, server);
    if (this.byServer.get(server)?.delete(handle)) this.changed(server);
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
    this.reported.delete(server);
    this.changed(server);
    return handles;
  }

  /** Notes a handle seen on a full-report page (the page's replicas are added by the caller). */
  fullReportPage(server: string, handles: readonly number[], lastPage: boolean): void {
    let seen = this.fullReports.get(server);
    if (!seen) this.fullReports.set(server, (seen = new Set()));
    for (const h of handles) seen.add(h);
    if (!lastPage) return;
    this.fullReports.delete(server);
    this.reported.add(server);
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

/**
 * First time an unknown replica was seen per server, bounded; garbage is deleted after a grace
 * period. Chunkservers report an unchanged replica only in full reports, so the master asks a
 * server for one when it has garbage whose grace period ended (`due`).
 */
export class GarbageTracker {
  private readonly firstSeen = new Map<string, Map<number, number>>();
  private count = 0;

  constructor(private readonly max: number) {}

  /** Starts the grace period of a replica (no-op when already tracked or the tracker is full). */
  note(server: string, handle: number, nowMs: number): void {
    let m = this.firstSeen.get(server);
    if (m?.has(handle) || this.count >= this.max) return;
    if (!m) this.firstSeen.set(server, (m = new Map()));
    m.set(handle, nowMs);
    this.count++;
  }

  /** True when the replica has been garbage for at least graceMs (and forgets it). */
  isRipe(server: string, handle: number, nowMs: number, graceMs: number): boolean {
    const first = this.firstSeen.get(server)?.get(handle);
    if (first === undefined) {
      if (graceMs <= 0) return true;
      this.note(server, handle, nowMs);
      return false;
    }
    if (nowMs - first < graceMs) return false;
    this.forget(server, handle);
    return true;
  }

  /** Whether some garbage of `server` finished its grace period (it is then worth a full report). */
  due(server: string, nowMs: number, graceMs: number): boolean {
    for (const t of this.firstSeen.get(server)?.values() ?? []) if (nowMs - t >= graceMs) return true;
    return false;
  }

  forget(server: string, handle: number): void {
    const m = this.firstSeen.get(server);
    if (!m?.delete(handle)) return;
    this.count--;
    if (m.size === 0) this.firstSeen.delete(server);
  }

  /** Drops entries older than `maxAgeMs` (their servers stopped reporting them). */
  prune(nowMs: number, maxAgeMs: number): void {
    for (const [server, m] of this.firstSeen) for (const [h, t] of m) if (nowMs - t > maxAgeMs) this.forget(server, h);
  }

  get size(): number {
    return this.count;
  }
}
