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

/** Promise that resolves after `ms`; unref'd so it never keeps a process alive on its own. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
