/**
 * Mount sessions and the inodes they hold open (memory only; relearned from KeepSession
 * after a master restart). An inode open in a live session survives unlink as an orphan.
 *
 * Invariant: `holders.get(ino)` is the number of sessions whose open map contains `ino`.
 * Memory is per open file per session, never per file of the namespace.
 */

interface Session {
  lastSeenMs: number;
  /** ino → number of opens (Open/Create minus Release). */
  open: Map<number, number>;
  /** ino → when its last Open/Create was registered (keep() leaves young opens alone). */
  openedAtMs: Map<number, number>;
}

export class Sessions {
  private readonly sessions = new Map<string, Session>();
  private readonly holders = new Map<number, number>();

  /**
   * `keepGraceMs`: an open registered less than this long ago is never dropped by a KeepSession
   * that does not list it. The mount sends KeepSession with the inodes it knows open when it
   * sends it; an Open still in flight then is registered here first and would be dropped by
   * that older list (measured: an open, unlinked file was collected while a descriptor still
   * held it, and fstat failed with ENOENT). The next KeepSession lists it, or a Release ends it.
   */
  constructor(private readonly keepGraceMs = 0) {}

  isOpen(ino: number): boolean {
    return (this.holders.get(ino) ?? 0) > 0;
  }

  get size(): number {
    return this.sessions.size;
  }

  private session(id: string, nowMs: number): Session {
    let s = this.sessions.get(id);
    if (!s) {
      s = { lastSeenMs: nowMs, open: new Map(), openedAtMs: new Map() };
      this.sessions.set(id, s);
    }
    s.lastSeenMs = nowMs;
    return s;
  }

  private addHolder(ino: number, delta: number): void {
    const n = (this.holders.get(ino) ?? 0) + delta;
    if (n > 0) this.holders.set(ino, n);
    else this.holders.delete(ino);
  }

  open(id: string, ino: number, nowMs: number): void {
    const s = this.session(id, nowMs);
    const n = s.open.get(ino) ?? 0;
    s.open.set(ino, n + 1);
    s.openedAtMs.set(ino, nowMs);
    if (n === 0) this.addHolder(ino, 1);
  }

  /** One Release. Returns true when the inode is no longer open anywhere. */
  release(id: string, ino: number, nowMs: number): boolean {
    const s = this.session(id, nowMs);
    const n = s.open.get(ino) ?? 0;
    if (n > 1) s.open.set(ino, n - 1);
    else if (n === 1) {
      s.open.delete(ino);
      s.openedAtMs.delete(ino);
      this.addHolder(ino, -1);
    }
    return !this.isOpen(ino);
  }

  /** The session is alive (a lock call): creates it when unknown, so it expires like any other. */
  touch(id: string, nowMs: number): void {
    this.session(id, nowMs);
  }

  /** EndSession: the mount is gone. Returns the inodes no longer open anywhere. */
  end(id: string): number[] {
    const s = this.sessions.get(id);
    return s ? this.drop(id, s) : [];
  }

  /** Forgets a session; returns the inodes no longer open anywhere. */
  private drop(id: string, s: Session): number[] {
    this.sessions.delete(id);
    const closed: number[] = [];
    for (const ino of s.open.keys()) {
      this.addHolder(ino, -1);
      if (!this.isOpen(ino)) closed.push(ino);
    }
    return closed;
  }

  /**
   * KeepSession: the session is alive and holds exactly `inos` open (opens younger than
   * `keepGraceMs` stay whatever the list says). Returns inos no longer open anywhere.
   */
  keep(id: string, inos: readonly number[], nowMs: number): number[] {
    const s = this.session(id, nowMs);
    const want = new Set(inos);
    const closed: number[] = [];
    for (const ino of [...s.open.keys()]) {
      if (want.has(ino) || nowMs - (s.openedAtMs.get(ino) ?? -Infinity) < this.keepGraceMs) continue;
      s.open.delete(ino);
      s.openedAtMs.delete(ino);
      this.addHolder(ino, -1);
      if (!this.isOpen(ino)) closed.push(ino);
    }
    for (const ino of want) {
      if (s.open.has(ino)) continue;
      s.open.set(ino, 1);
      this.addHolder(ino, 1);
    }
    return closed;
  }

  /** Drops sessions silent for `timeoutMs`. Returns the inodes no longer open anywhere. */
  expire(nowMs: number, timeoutMs: number): { sessions: string[]; closed: number[] } {
    const dropped: string[] = [];
    const closed: number[] = [];
    for (const [id, s] of this.sessions) {
      if (nowMs - s.lastSeenMs < timeoutMs) continue;
      dropped.push(id);
      closed.push(...this.drop(id, s));
    }
    return { sessions: dropped, closed };
  }
}
