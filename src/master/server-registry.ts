/**
 * The chunkservers the master knows (memory only: they re-register after a master restart).
 *
 * States ALIVE → DEAD (silent for deadAfterMs), DEAD → ALIVE (Register). Every change goes
 * through `transition`, which logs `from -> to`. A heartbeat from a server that is not
 * ALIVE is answered with `reregister`.
 */
import type { Logger } from '../common/logger';
import type { PlacementCandidate } from './placement';

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
}

export interface ServerStats {
  capacityBytes: number; usedBytes: number; freeBytes: number; activeWrites?: number; chunkCount?: number;
}

/** Grants younger than this count as pending writes. */
export const PENDING_WINDOW_MS = 5_000;
const RECENT_GRANTS_MAX = 256;

/** Pure: ids of ALIVE servers silent for at least deadAfterMs. */
export function silentServers(servers: Iterable<ServerInfo>, nowMs: number, deadAfterMs: number): string[] {
  const out: string[] = [];
  for (const s of servers) if (s.state === 'ALIVE' && nowMs - s.lastHeartbeatMs >= deadAfterMs) out.push(s.id);
  return out;
}

export class ServerRegistry {
  private readonly servers = new Map<string, ServerInfo>();

  constructor(private readonly log: Logger) {}

  get(id: string): ServerInfo | undefined {
    return this.servers.get(id);
  }

  all(): ServerInfo[] {
    return [...this.servers.values()];
  }

  isAlive(id: string): boolean {
    return this.servers.get(id)?.state === 'ALIVE';
  }

  alive(): ServerInfo[] {
    return this.all().filter((s) => s.state === 'ALIVE');
  }

  /** The one place a server's state changes. */
  transition(s: ServerInfo, to: ServerState, reason: string): void {
    if (s.state === to) return;
    this.log.info({ serverId: s.id, address: s.address, reason }, `server ${s.id}: ${s.state} -> ${to}`);
    s.state = to;
  }

  register(id: string, address: string, stats: ServerStats, nowMs: number): ServerInfo {
    let s = this.servers.get(id);
    if (!s) {
      s = {
        id, address, state: 'DEAD', capacityBytes: 0, usedBytes: 0, freeBytes: 0, activeWrites: 0,
        chunkCount: 0, lastHeartbeatMs: nowMs, recentGrantsMs: [],
      };
      this.servers.set(id, s);
    }
    s.address = address;
    this.update(s, stats, nowMs);
    this.transition(s, 'ALIVE', 'registered');
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

  candidates(nowMs: number): PlacementCandidate[] {
    return this.alive().map((s) => ({
      id: s.id, alive: true, pendingWrites: this.pendingWrites(s, nowMs), freeBytes: s.freeBytes, capacityBytes: s.capacityBytes,
    }));
  }
}
