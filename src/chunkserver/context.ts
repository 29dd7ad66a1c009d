/** What the chunkserver's RPC handlers share: identity, storage, leases, peers. */
import type { Clock } from '../common/clock';
import type { Config } from '../common/config';
import type { Logger } from '../common/logger';
import type { ChunkStore } from './chunk-store';
import type { ClientPool } from './client-pool';
import type { DataLinks } from '../common/data-link';
import type { LeaseTable } from './lease-table';
import type { RateLimiter } from '../common/rate-limiter';

export interface ChunkserverContext {
  id: string;
  /** HOST:PORT announced to the master and clients. */
  address: string;
  config: Config;
  store: ChunkStore;
  leases: LeaseTable;
  clients: ClientPool;
  /** Data-link connections to other chunkservers (the write chain, re-replication). */
  links: DataLinks;
  clock: Clock;
  log: Logger;
  /** Paces re-replication copies (chunkserver.replicationBytesPerSec); undefined = unlimited. */
  replicationLimiter?: RateLimiter;
}

/** Largest data payload of one frame, whatever the config says. */
export const FRAME_BYTES_MAX = 4 * 1024 * 1024;
