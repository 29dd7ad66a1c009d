/**
 * Throughput history for the dashboard chart: every `intervalMs` the sampler reads monotonic
 * counters (operations and bytes) and keeps the per-second rates of the last `samplesMax`
 * intervals in a ring. Pure: the caller passes the time and the counter values, so a test
 * drives it without a timer.
 */
import assert from 'node:assert';

export interface Counters {
  readOps: number;
  writeOps: number;
  readBytes: number;
  writeBytes: number;
}

export interface RateSample extends Counters {
  /** End of the interval (unix ms). */
  atUnixMs: number;
}

export class ThroughputHistory {
  private readonly ring: RateSample[] = [];
  private last: { atMs: number; counters: Counters } | undefined;

  constructor(private readonly samplesMax: number) {
    assert(samplesMax > 0);
  }

  /** Records the counters at `nowMs`; the first call only sets the baseline. Counters that went down (a reset) count as 0. */
  record(nowMs: number, counters: Counters): void {
    const prev = this.last;
    this.last = { atMs: nowMs, counters: { ...counters } };
    if (!prev || nowMs <= prev.atMs) return;
    const s = (nowMs - prev.atMs) / 1000;
    const rate = (k: keyof Counters): number => Math.max(0, counters[k] - prev.counters[k]) / s;
    this.ring.push({ atUnixMs: nowMs, readOps: rate('readOps'), writeOps: rate('writeOps'), readBytes: rate('readBytes'), writeBytes: rate('writeBytes') });
    if (this.ring.length > this.samplesMax) this.ring.shift();
  }

  /** Oldest first. */
  samples(): RateSample[] {
    return [...this.ring];
  }
}
