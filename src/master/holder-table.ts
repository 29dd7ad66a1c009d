/**
 * handle → the servers holding it, in the order they were added, kept off the JS heap.
 *
 * Why (issue 6, master at scale): with 1,000 chunkservers × 10,000 chunks the location map held
 * 3.3 million `Set<string>`s, ~1 GB of small heap objects. Every heartbeat allocates its message
 * buffer outside the heap, so V8 ran a full mark-compact every ~8 s, and each one traced all
 * those Sets: 0.5-1 s of CPU and pauses of hundreds of ms in the heartbeat round trips.
 *
 * Layout: server ids are interned to small integers (1-based; never reused, bounded by the
 * servers ever seen). Handles are grouped in pages of PAGE_HANDLES; a page is one Uint32Array
 * with SLOTS slots per handle (0 = empty, filled from the front), created on the first holder of
 * one of its handles and dropped when its last handle has none. A handle with more than SLOTS
 * holders keeps the rest in `overflow` (rare: over-replication while a trim is pending).
 * Handles are positive safe integers (the master allocates them densely from 1).
 */

const PAGE_HANDLES = 4096;
const SLOTS = 4;

interface Page { slots: Uint32Array; used: number }

export class HolderTable {
  private readonly ids: string[] = [''];
  private readonly index = new Map<string, number>();
  private readonly pages = new Map<number, Page>();
  private readonly overflow = new Map<number, number[]>();
  private count = 0;

  /** Handles with at least one holder. */
  get size(): number {
    return this.count;
  }

  private idOf(server: string): number {
    let i = this.index.get(server);
    if (i === undefined) {
      i = this.ids.length;
      this.ids.push(server);
      this.index.set(server, i);
    }
    return i;
  }

  private at(handle: number): [Page | undefined, number] {
    return [this.pages.get(Math.floor(handle / PAGE_HANDLES)), (handle % PAGE_HANDLES) * SLOTS];
  }

  /** The holders of `handle`, oldest first (a new array). */
  list(handle: number): string[] {
    const [page, base] = this.at(handle);
    if (!page || page.slots[base] === 0) return [];
    const out: string[] = [];
    for (let k = 0; k < SLOTS; k++) {
      const v = page.slots[base + k];
      if (v === 0) return out;
      out.push(this.ids[v]);
    }
    for (const v of this.overflow.get(handle) ?? []) out.push(this.ids[v]);
    return out;
  }

  has(handle: number, server: string): boolean {
    const i = this.index.get(server);
    if (i === undefined) return false;
    const [page, base] = this.at(handle);
    if (!page) return false;
    for (let k = 0; k < SLOTS; k++) {
      const v = page.slots[base + k];
      if (v === i) return true;
      if (v === 0) return false;
    }
    return this.overflow.get(handle)?.includes(i) ?? false;
  }

  /** Adds `server` last; false when it already holds `handle`. */
  add(handle: number, server: string): boolean {
    const i = this.idOf(server);
    const p = Math.floor(handle / PAGE_HANDLES);
    let page = this.pages.get(p);
    if (!page) this.pages.set(p, (page = { slots: new Uint32Array(PAGE_HANDLES * SLOTS), used: 0 }));
    const base = (handle % PAGE_HANDLES) * SLOTS;
    for (let k = 0; k < SLOTS; k++) {
      const v = page.slots[base + k];
      if (v === i) return false;
      if (v === 0) {
        page.slots[base + k] = i;
        if (k === 0) { page.used++; this.count++; }
        return true;
      }
    }
    const more = this.overflow.get(handle) ?? [];
    if (more.includes(i)) return false;
    more.push(i);
    this.overflow.set(handle, more);
    return true;
  }

  /** Removes `server` (the holders after it move up, keeping their order); false when it did not hold `handle`. */
  remove(handle: number, server: string): boolean {
    const i = this.index.get(server);
    if (i === undefined) return false;
    const p = Math.floor(handle / PAGE_HANDLES);
    const page = this.pages.get(p);
    if (!page) return false;
    const base = (handle % PAGE_HANDLES) * SLOTS;
    const more = this.overflow.get(handle);
    let k = 0;
    while (k < SLOTS && page.slots[base + k] !== i) {
      if (page.slots[base + k] === 0) return false;
      k++;
    }
    if (k === SLOTS) {
      const at = more?.indexOf(i) ?? -1;
      if (!more || at < 0) return false;
      more.splice(at, 1);
      if (more.length === 0) this.overflow.delete(handle);
      return true;
    }
    for (; k < SLOTS - 1; k++) page.slots[base + k] = page.slots[base + k + 1];
    page.slots[base + SLOTS - 1] = more ? more.shift()! : 0;
    if (more && more.length === 0) this.overflow.delete(handle);
    if (page.slots[base] === 0) {
      this.count--;
      if (--page.used === 0) this.pages.delete(p);
    }
    return true;
  }

  /** Every handle with a holder (page by page). */
  *keys(): IterableIterator<number> {
    for (const [p, page] of this.pages) {
      for (let h = 0; h < PAGE_HANDLES; h++) if (page.slots[h * SLOTS] !== 0) yield p * PAGE_HANDLES + h;
    }
  }
}
