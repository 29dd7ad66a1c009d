/**
 * A token bucket in bytes per second (pure: time comes in as `nowMs`). `take(bytes, nowMs)`
 * spends the bytes and returns how long the caller must wait before going on, so a stream
 * paced by it averages `bytesPerSec`, with bursts of at most one second's worth.
 */
export class RateLimiter {
  private tokens: number;
  private lastMs: number | undefined;

  constructor(private readonly bytesPerSec: number) {
    this.tokens = bytesPerSec;
  }

  take(bytes: number, nowMs: number): number {
    if (this.lastMs !== undefined) {
      this.tokens = Math.min(this.bytesPerSec, this.tokens + ((nowMs - this.lastMs) * this.bytesPerSec) / 1000);
    }
    this.lastMs = nowMs;
    this.tokens -= bytes;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.bytesPerSec);
  }
}
