/**
 * The chunkservers the master knows (memory only: they re-register after a master restart).
 *
 * States (every change goes through `transition`, which checks ALLOWED and logs `from -> to`):
 *   ALIVE → DEAD (silent for deadAfterMs), DEAD → ALIVE (Register);
 *   ALIVE → DECOMMISSIONING (operator) → DECOMMISSIONED (no chunk on it needs it any more);
 *   DECOMMISSIONING/DECOMMISSIONED → ALIVE (recommission), → DEAD (silent).
 * A server the operator drains stays drained across its restarts (it re-registers as
 * DECOMMISSIONING); the drain list is memory only, so a master restart forgets it.
 *
 * "Live" servers (ALIVE, DECOMMISSIONING, DECOMMISSIONED) heartbeat and serve reads and copies;
 * only ALIVE ("in service") servers take new replicas and count towards a chunk's goal.
 * A heartbeat from a server that is not live is answered with `reregister`.
 */
import assert from 'node:assert';
import type { Logger } from '../common/logger';
import { hostOfAddress, type PlacementCandidate } from './placement';

export type ServerState = 'ALIVE' | 'DEAD' | 'DECOMMISSIONING' | 'DECOMMISSIONED';

export interface ServerInfo {
  id: string;
  address: string;
  state: ServerState;
  capacityBytes: number;
  usedBytes: number;
  freeBytes: number;
  activeWrites: number;
  chunkCount: number;
  lastHeartbeatMs: number;
  /** Times of recent grants, counted as pending writes for placement (bounded). */
  recentGrantsMs: number[];
  /** RegisterRequest.instance_id of the process registered under this id ('' = not sent). */
  instance: string;
  /** The master could not connect to `address` at its last probe: no new chunks or copies go to it. */
  unreachable?: boolean;
}

export interface ServerStats {
  capacityBytes: number; usedBytes: number; freeBytes: number; activeWrites?: number; chunkCount?: number;
}

/** Grants younger than this count as pending writes. */
export const PENDING_WINDOW_MS = 5_000;
const RECENT_GRANTS_MAX = 256;

/** Transitions the registry accepts (anything else is a bug, asserted). */
const ALLOWED: Record<ServerState, readonly ServerState[]> = {
  ALIVE: ['DEAD', 'DECOMMISSIONING'],
  DEAD: ['ALIVE', 'DECOMMISSIONING'],
  DECOMMISSIONING: ['DECOMMISSIONED', 'ALIVE', 'DEAD'],
  DECOMMISSIONED: ['ALIVE', 'DEAD', 'DECOMMISSIONING'],
};

/** Heartbeating states: the server serves reads and is a copy source. */
export function isLiveState(state: ServerState): boolean {
  return state !== 'DEAD';
}

/** Pure: ids of live servers silent for at least deadAfterMs. */
export function silentServers(servers: Iterable<ServerInfo>, nowMs: number, deadAfterMs: number): string[] {
  const out: string[] = [];
  for (const s of servers) if (isLiveState(s.state) && nowMs - s.lastHeartbeatMs >= deadAfterMs) out.push(s.id);
  return out;
}

export class ServerRegistry {
  private readonly servers = new Map<string, ServerInfo>();
  /** Servers the operator asked to drain (until recommissioned). */
  private readonly drained = new Set<string>();

  constructor(private readonly log: Logger) {}

  get(id: string): ServerInfo | undefined {
    return this.servers.get(id);
  }

  all(): ServerInfo[] {
    return [...this.servers.values()];
  }

  /** The machine a server runs on (hostOfAddress of its address); undefined for an unknown id. */
  hostOf(id: string): string | undefined {
    const s = this.servers.get(id);
    return s ? hostOfAddress(s.address) : undefined;
  }

  isAlive(id: string): boolean {
    return this.servers.get(id)?.state === 'ALIVE';
  }

  alive(): ServerInfo[] {
    return this.all().filter((s) => s.state === 'ALIVE');
  }

  /** Heartbeating (ALIVE, DECOMMISSIONING, DECOMMISSIONED): serves reads and copies. */
  isLive(id: string): boolean {
    const s = this.servers.get(id);
    return s !== undefined && isLiveState(s.state);
  }

  live(): ServerInfo[] {
    return this.all().filter((s) => isLiveState(s.state));
  }

  /** A server by id, or by its address. */
  find(node: string): ServerInfo | undefined {
    return this.servers.get(node) ?? this.all().find((s) => s.address === node);
  }

  isDrained(id: string): boolean {
    return this.drained.has(id);
  }

  /** State changes so far (lets a scan know that no server changed state since). */
  stateChanges = 0;

  /** The one place a server's state changes. */
  transition(s: ServerInfo, to: ServerState, reason: string): void {
    if (s.state === to) return;
    this.stateChanges++;
    assert(ALLOWED[s.state].includes(to), `server ${s.id}: ${s.state} -> ${to} is not a valid transition`);
    this.log.info({ serverId: s.id, address: s.address, reason }, `server ${s.id}: ${s.state} -> ${to}`);
    s.state = to;
  }

  /** Operator: drain `s` (its replicas are copied elsewhere while it still serves reads). */
  decommission(s: ServerInfo): void {
    this.drained.add(s.id);
    if (s.state === 'ALIVE') this.transition(s, 'DECOMMISSIONING', 'decommission requested');
  }

  /** Operator: put `s` back in service. */
  recommission(s: ServerInfo): void {
    this.drained.delete(s.id);
    if (s.state === 'DECOMMISSIONING' || s.state === 'DECOMMISSIONED') this.transition(s, 'ALIVE', 'recommission requested');
  }

  register(id: string, address: string, stats: ServerStats, nowMs: number, instance = ''): ServerInfo {
    let s = this.servers.get(id);
    if (!s) {
      s = {
        id, address, state: 'DEAD', capacityBytes: 0, usedBytes: 0, freeBytes: 0, activeWrites: 0,
        chunkCount: 0, lastHeartbeatMs: nowMs, recentGrantsMs: [], instance,
      };
      this.servers.set(id, s);
    }
    if (s.address !== address) s.unreachable = undefined; // a new address: unknown until probed
    s.address = address;
    s.instance = instance;
    this.update(s, stats, nowMs);
    this.transition(s, this.drained.has(id) ? 'DECOMMISSIONING' : 'ALIVE', 'registered');
    return s;
  }

  update(s: ServerInfo, stats: ServerStats, nowMs: number): void {
    s.capacityBytes = stats.capacityBytes;
    s.usedBytes = stats.usedBytes;
    s.freeBytes = stats.freeBytes;
    s.activeWrites = stats.activeWrites ?? s.activeWrites;
    s.chunkCount = stats.chunkCount ?? s.chunkCount;
    s.lastHeartbeatMs = nowMs;
  }

  /**
   * A heartbeat of a live server arrived (it may wait behind the server's own full report before
   * it is applied): the server is not silent, whatever the backlog of reports.
   */
  heard(id: string, nowMs: number): void {
    const s = this.servers.get(id);
    if (s && isLiveState(s.state)) s.lastHeartbeatMs = Math.max(s.lastHeartbeatMs, nowMs);
  }

  noteGrant(id: string, nowMs: number): void {
    const s = this.servers.get(id);
    if (!s) return;
    s.recentGrantsMs.push(nowMs);
    if (s.recentGrantsMs.length > RECENT_GRANTS_MAX) s.recentGrantsMs.shift();
  }

  pendingWrites(s: ServerInfo, nowMs: number): number {
    while (s.recentGrantsMs.length > 0 && nowMs - s.recentGrantsMs[0] > PENDING_WINDOW_MS) s.recentGrantsMs.shift();
    return s.activeWrites + s.recentGrantsMs.length;
  }

  /** The ALIVE servers the master can connect to, as placement candidates. */
  candidates(nowMs: number): PlacementCandidate[] {
    return this.alive().filter((s) => !s.unreachable).map((s) => ({
      id: s.id, alive: true, pendingWrites: this.pendingWrites(s, nowMs), freeBytes: s.freeBytes, capacityBytes: s.capacityBytes,
      host: hostOfAddress(s.address),
    }));
  }
}
