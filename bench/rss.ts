/**
 * Memory of the cluster's processes: samples /proc/PID/status of every tracked PID every
 * 200 ms. Keeps, per process name, the peak VmRSS seen in each workload window and overall,
 * and the kernel's own high-water mark VmHWM (the exact peak since the process started, which
 * catches spikes between two samples).
 */
import { readFileSync } from 'node:fs';

export const RSS_SAMPLE_INTERVAL_MS = 200;

export interface ProcMemory {
  rssBytes: number;
  hwmBytes: number;
  /** RssAnon: the process's own memory (JS heap, native allocations), without mapped files such as LMDB's. */
  anonBytes: number;
}

/** VmRSS and VmHWM of a live process, or undefined when it is gone. */
export function readProcMemory(pid: number): ProcMemory | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kib = (key: string): number => {
    const m = text.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) * 1024 : 0;
  };
  return { rssBytes: kib('VmRSS'), hwmBytes: kib('VmHWM'), anonBytes: kib('RssAnon') };
}

export class RssSampler {
  private readonly tracked = new Map<number, string>();
  /** window label → process name → peak sampled VmRSS. */
  private readonly windows = new Map<string, Map<string, number>>();
  /** process name → peak of VmRSS samples and VmHWM readings over the whole run. */
  private readonly overall = new Map<string, number>();
  private window: string | undefined;
  private timer: NodeJS.Timeout | undefined;

  start(): void {
    this.timer ??= setInterval(() => this.sample(), RSS_SAMPLE_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    this.sample();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Tracks a process under `name` (several PIDs may share a name: their peaks merge). */
  track(name: string, pid: number): void {
    this.tracked.set(pid, name);
    this.sample();
  }

  untrack(pid: number): void {
    this.sample();
    this.tracked.delete(pid);
  }

  /** Starts attributing samples to the workload `label` (undefined: no window). */
  setWindow(label: string | undefined): void {
    this.sample();
    this.window = label;
    if (label !== undefined && !this.windows.has(label)) this.windows.set(label, new Map());
  }

  /** Peak bytes per process name, overall. */
  peaks(): Map<string, number> {
    return new Map(this.overall);
  }

  /** Peak sampled VmRSS per workload, per process name. */
  peaksByWindow(): Map<string, Map<string, number>> {
    return new Map([...this.windows].map(([k, v]) => [k, new Map(v)]));
  }

  sample(): void {
    const win = this.window === undefined ? undefined : this.windows.get(this.window);
    for (const [pid, name] of this.tracked) {
      const mem = readProcMemory(pid);
      if (!mem) continue;
      this.overall.set(name, Math.max(this.overall.get(name) ?? 0, mem.rssBytes, mem.hwmBytes));
      if (win) win.set(name, Math.max(win.get(name) ?? 0, mem.rssBytes));
    }
  }
}
