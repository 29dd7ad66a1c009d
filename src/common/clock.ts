/** Time as an injected dependency, so decisions (leases, dead servers) are testable without waiting. */
export interface Clock {
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };

/** A clock a test moves by hand. */
export class ManualClock implements Clock {
  constructor(private ms = 1_000_000) {}
  nowMs(): number { return this.ms; }
  advance(ms: number): void { this.ms += ms; }
}

/** A loop's pause that `wake()` cuts short (so stop() need not wait out an interval). */
export class Napper {
  private wakeFn: (() => void) | undefined;

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() { clearTimeout(timer); self.wakeFn = undefined; resolve(); }
      this.wakeFn = done;
    });
  }

  wake(): void {
    this.wakeFn?.();
  }
}

/** Promise that resolves after `ms`; unref'd so it never keeps a process alive on its own. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * A pause that work in progress awaits (a client's retry backoff): it keeps the process alive,
 * so a CLI command between two attempts never ends with its work unfinished (an unref'd timer
 * may be the only pending thing then, and node would exit 0).
 */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
