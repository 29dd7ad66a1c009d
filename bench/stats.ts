/**
 * Result rows and their statistics. A row holds the figures of every run for dfs and for the
 * local folder; it is summarized as the median with min–max. A side that failed in any run
 * carries the (first) error, which the report shows instead of a figure.
 */

export interface Series {
  values: number[];
  error?: string;
}

export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export class Row {
  readonly dfs: Series = { values: [] };
  /** Undefined for rows without a local counterpart (RSS, LMDB size). */
  readonly local: Series | undefined;

  constructor(
    readonly group: string,
    readonly name: string,
    readonly unit: string,
    opts: { hasLocal?: boolean } = {},
  ) {
    this.local = opts.hasLocal === false ? undefined : { values: [] };
  }
}

/** Runs `fn` and records its figure in `series`, or the error message when it throws. */
export async function record(series: Series | undefined, fn: () => Promise<number>): Promise<void> {
  if (!series) return;
  try {
    series.values.push(await fn());
  } catch (e) {
    series.error ??= errorMessage(e);
  }
}

/** Records the same failure for a side of several rows (e.g. the mount did not start). */
export function fail(series: (Series | undefined)[], error: unknown): void {
  for (const s of series) if (s) s.error ??= errorMessage(error);
}

export function summarize(series: Series | undefined): Summary | undefined {
  if (!series || series.values.length === 0) return undefined;
  const sorted = [...series.values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: sorted.length };
}

/** dfs median / local median, or undefined when either is missing. */
export function ratio(row: Row): number | undefined {
  const d = summarize(row.dfs);
  const l = summarize(row.local);
  if (!d || !l || row.dfs.error || row.local?.error || l.median === 0) return undefined;
  return d.median / l.median;
}

export function errorMessage(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0].slice(0, 300);
}

/** Milliseconds since `startNs` (from process.hrtime.bigint()). */
export function msSince(startNs: bigint): number {
  return Number(process.hrtime.bigint() - startNs) / 1e6;
}

export const MiB = 1024 * 1024;

/** Throughput in MB/s (10^6 bytes per second). */
export function mbPerSec(bytes: number, elapsedMs: number): number {
  return bytes / 1e6 / (elapsedMs / 1000);
}

/** Operations (files, IOs) per second. */
export function perSec(count: number, elapsedMs: number): number {
  return count / (elapsedMs / 1000);
}
