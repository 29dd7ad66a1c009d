/**
 * A mutex per key (chunk handle). Holders of one key run one at a time, in arrival order;
 * different keys never wait on each other. Entries are dropped when the last holder releases,
 * so memory is bounded by the keys in use.
 */
export type Release = () => void;

export class KeyLock<K> {
  private readonly tails = new Map<K, Promise<void>>();

  /** Resolves when the caller holds `key`; the returned function releases it (idempotent). */
  async acquire(key: K): Promise<Release> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => { release = resolve; });
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }

  /** Runs `fn` while holding `key`. */
  async with<T>(key: K, fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire(key);
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
