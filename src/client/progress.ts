/**
 * The progress bar of `dfs put` / `dfs get` (cli-progress) and the summary line after it.
 *
 * Shown only when the CLI says so (`Io.progress`: stderr is a terminal and no --quiet), always
 * on stderr, so piped output and scripts never see it. The bar shows bytes done / total,
 * percentage, rate and ETA; with an unknown total (stdin) only bytes and rate. Rate and ETA
 * come from a sliding window of RATE_WINDOW_MS so a stall shows at once.
 */
import type { Writable } from 'node:stream';
import { SingleBar } from 'cli-progress';
import type { Progress } from './types';

/** Window of the rate shown. */
export const RATE_WINDOW_MS = 3_000;
/** Redraws per second at most. */
const FPS_MAX = 8;

/** 1536 → "1.5 KiB" (binary units, one decimal under 10). */
export function humanBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  if (i === 0) return `${Math.round(v)} B`;
  return `${v >= 10 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

/** 75 → "1m15s", 3 → "3s", 4000 → "1h06m". */
export function humanDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Pure: "put photo.jpg: 12 MiB in 2.1 s (5.9 MiB/s)". */
export function formatSummary(verb: string, name: string, bytes: number, elapsedMs: number): string {
  const secs = Math.max(elapsedMs, 1) / 1000;
  return `${verb} ${name}: ${humanBytes(bytes)} in ${secs < 10 ? secs.toFixed(1) : Math.round(secs)} s (${humanBytes(bytes / secs)}/s)`;
}

/** Bytes per second over the last RATE_WINDOW_MS of (time, bytes) points. */
export class RateWindow {
  private readonly points: { atMs: number; bytes: number }[] = [];

  add(atMs: number, bytes: number): void {
    this.points.push({ atMs, bytes });
    while (this.points.length > 2 && atMs - this.points[0].atMs > RATE_WINDOW_MS) this.points.shift();
  }

  bytesPerSec(): number {
    if (this.points.length < 2) return 0;
    const a = this.points[0];
    const b = this.points[this.points.length - 1];
    return b.atMs > a.atMs ? ((b.bytes - a.bytes) * 1000) / (b.atMs - a.atMs) : 0;
  }
}

export interface TransferProgress {
  /** Give to DfsClient put/get as onProgress. */
  onProgress(p: Progress): void;
  /** Stops the bar; on success prints the summary line (with `bytes` when given, else the last progress). */
  finish(ok: boolean, bytes?: number): void;
}

/** A bar on `stream` for one transfer, or undefined when progress is off. */
export function transferProgress(opts: { enabled: boolean; stream: Writable; verb: string; name: string; totalBytes?: number; nowMs?: () => number }): TransferProgress | undefined {
  if (!opts.enabled) return undefined;
  const now = opts.nowMs ?? Date.now;
  const startMs = now();
  const rate = new RateWindow();
  let total = opts.totalBytes;
  let done = 0;
  const known = (): boolean => total !== undefined && total > 0;
  // cli-progress owns {total}, {value}, {eta} ...: the payload uses its own names.
  const payload = (): Record<string, string> => {
    const r = rate.bytesPerSec();
    return {
      doneh: humanBytes(done), totalh: known() ? humanBytes(total!) : '?', rateh: `${humanBytes(r)}/s`,
      etah: known() && r > 0 ? humanDuration((total! - done) / r) : '--',
    };
  };
  // The bar starts at the first report when the total is not known yet (a get learns it from
  // the file's attributes): with a total it shows percentage and ETA, without one bytes and rate.
  let bar: SingleBar | undefined;
  const startBar = (): SingleBar => {
    const format = known()
      ? `${opts.verb} ${opts.name} {bar} {percentage}% | {doneh} / {totalh} | {rateh} | ETA {etah}`
      : `${opts.verb} ${opts.name} {doneh} | {rateh}`;
    const b = new SingleBar({
      format, stream: opts.stream as NodeJS.WriteStream, fps: FPS_MAX, barsize: 30, hideCursor: true, clearOnComplete: true,
      barCompleteChar: '█', barIncompleteChar: '░', etaBuffer: 1, noTTYOutput: false,
    });
    b.start(known() ? total! : 1, 0, payload());
    return b;
  };
  if (known()) bar = startBar();
  rate.add(startMs, 0);
  let finished = false;
  return {
    onProgress(p) {
      if (finished) return;
      done = p.bytesDone;
      if (p.bytesTotal !== undefined && total === undefined) total = p.bytesTotal;
      rate.add(now(), done);
      bar ??= startBar();
      bar.update(known() ? Math.min(done, total!) : 0, payload());
    },
    finish(ok, bytes) {
      if (finished) return;
      finished = true;
      bar?.stop();
      if (ok) opts.stream.write(formatSummary(opts.verb, opts.name, bytes ?? done, now() - startMs) + '\n');
    },
  };
}
