/**
 * A least-recently-used map with an entry limit and an optional time to live. Used for the
 * client's chunk-location, lease and chunkserver-channel caches, so none of them grows without
 * bound. `onEvict` runs for entries pushed out by the limit or found expired (not for delete()).
 */
import type { Clock } from '../common/clock';
import { systemClock } from '../common/clock';

interface Entry<V> {
  value: V;
  expiresAtMs: number;
}

export class BoundedCache<K, V> {
  private readonly map = new Map<K, Entry<V>>();

  constructor(
    private readonly opts: { maxEntries: number; ttlMs?: number; clock?: Clock; onEvict?: (key: K, value: V) => void },
  ) {
    if (!(opts.maxEntries > 0)) throw new RangeError('maxEntries must be positive');
  }

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    const entry = this.map.get(key);
    if (!entry) return undefined;
    if (entry.expiresAtMs <= this.nowMs()) {
      this.map.delete(key);
      this.opts.onEvict?.(key, entry.value);
      return undefined;
    }
    // Re-insert: Map keeps insertion order, so the first key is the least recently used.
    this.map.delete(key);
    this.map.set(key, entry);
    return entry.value;
  }

  /** Stores a value; `expiresAtMs` overrides the cache's ttl for this entry. */
  set(key: K, value: V, expiresAtMs?: number): void {
    this.map.delete(key);
    const ttl = this.opts.ttlMs ?? Number.POSITIVE_INFINITY;
    this.map.set(key, { value, expiresAtMs: expiresAtMs ?? this.nowMs() + ttl });
    while (this.map.size > this.opts.maxEntries) {
      const [oldest, entry] = this.map.entries().next().value as [K, Entry<V>];
      this.map.delete(oldest);
      this.opts.onEvict?.(oldest, entry.value);
    }
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  /** Deletes every entry whose key matches. */
  deleteWhere(match: (key: K) => boolean): void {
    for (const key of [...this.map.keys()]) if (match(key)) this.map.delete(key);
  }

  keys(): K[] {
    return [...this.map.keys()];
  }

  values(): V[] {
    return [...this.map.values()].map((e) => e.value);
  }

  clear(): void {
    this.map.clear();
  }

  private nowMs(): number {
    return (this.opts.clock ?? systemClock).nowMs();
  }
}
