/**
 * The leases this chunkserver holds as primary (pure, on an injected clock).
 *
 * A lease is granted by the master through Grant{primary: true} and names the chunk version it
 * was granted for; a later Grant without `primary` (another server became primary) revokes it.
 * The expiry is local time at the grant + the duration: the master counts from before it sent
 * the grant, so the primary's view always ends no later than the master's.
 */
import type { Clock } from '../common/clock';
import { DfsError } from '../common/errors';

interface Lease {
  version: number;
  expiresAtMs: number;
}

export class LeaseTable {
  private readonly leases = new Map<number, Lease>();

  constructor(private readonly clock: Clock) {}

  grant(handle: number, version: number, durationMs: number): void {
    this.leases.set(handle, { version, expiresAtMs: this.clock.nowMs() + durationMs });
  }

  revoke(handle: number): void {
    this.leases.delete(handle);
  }

  /** Throws NOT_PRIMARY (no lease, or one for another version) or LEASE_EXPIRED. */
  check(handle: number, version: number): void {
    const lease = this.leases.get(handle);
    if (!lease || lease.version !== version) {
      throw new DfsError('NOT_PRIMARY', `not the primary of chunk ${handle} at version ${version}`);
    }
    if (this.clock.nowMs() >= lease.expiresAtMs) {
      this.leases.delete(handle);
      throw new DfsError('LEASE_EXPIRED', `lease of chunk ${handle} at version ${version} expired`);
    }
  }

  /** Drops expired leases (bounded memory); returns how many were dropped. */
  sweep(): number {
    const now = this.clock.nowMs();
    let dropped = 0;
    for (const [handle, lease] of this.leases) {
      if (now >= lease.expiresAtMs) {
        this.leases.delete(handle);
        dropped++;
      }
    }
    return dropped;
  }
}
