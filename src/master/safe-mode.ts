/**
 * Safe mode (HDFS): after a start the master knows its chunks (LMDB) but not where their
 * replicas are. Until enough chunkservers reported, every chunk looks under-replicated and
 * every replica looks like garbage; acting on that would copy or delete data on a guess. So
 * the master starts in safe mode and neither re-replicates nor deletes until
 *   chunks with at least one reported replica >= threshold × chunks known,   or
 *   timeoutMs has passed since the start.
 * An operator can enter safe mode by hand (`dfs safemode enter`); then only `leave` ends it.
 *
 * States (changed only in `transition`, logged `from -> to`): STARTUP → OFF, OFF ⇄ MANUAL,
 * STARTUP → MANUAL.
 */
import type { Logger } from '../common/logger';

export type SafeModeState = 'STARTUP' | 'MANUAL' | 'OFF';

export interface SafeModeLimits { threshold: number; timeoutMs: number }

/** Pure: why automatic safe mode may end now, or undefined while it must hold. */
export function safeModeExit(chunksTotal: number, chunksReported: number, elapsedMs: number, limits: SafeModeLimits): 'threshold' | 'timeout' | undefined {
  if (chunksReported >= Math.ceil(limits.threshold * chunksTotal)) return 'threshold';
  if (elapsedMs >= limits.timeoutMs) return 'timeout';
  return undefined;
}

export class SafeMode {
  private state: SafeModeState = 'STARTUP';

  constructor(private readonly log: Logger, private readonly startedAtMs: number, readonly limits: SafeModeLimits) {}

  get on(): boolean { return this.state !== 'OFF'; }
  get manual(): boolean { return this.state === 'MANUAL'; }

  /** Milliseconds until the timeout ends automatic safe mode (0 when off or manual). */
  remainingMs(nowMs: number): number {
    return this.state === 'STARTUP' ? Math.max(0, this.startedAtMs + this.limits.timeoutMs - nowMs) : 0;
  }

  /** Called every maintenance round with the current counts. */
  evaluate(nowMs: number, chunksTotal: number, chunksReported: number): void {
    if (this.state !== 'STARTUP') return;
    const why = safeModeExit(chunksTotal, chunksReported, nowMs - this.startedAtMs, this.limits);
    if (why) this.transition('OFF', `${why}: ${chunksReported} of ${chunksTotal} chunks reported`);
  }

  enter(): void { this.transition('MANUAL', 'operator'); }
  leave(): void { this.transition('OFF', 'operator'); }

  private transition(to: SafeModeState, reason: string): void {
    if (this.state === to) return;
    this.log.info({ reason }, `safe mode ${this.state} -> ${to}`);
    this.state = to;
  }
}
