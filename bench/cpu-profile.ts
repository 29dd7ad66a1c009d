/**
 * Summary of a V8 CPU profile (`node --cpu-prof`, a .cpuprofile JSON file): self time per
 * function (name, file:line), hottest first, with the idle/GC/program buckets apart.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

export interface HotFunction {
  /** `name (file:line)`; line 1-based. */
  name: string;
  selfMs: number;
  /** Share of the non-idle time. */
  pct: number;
}

export interface ProfileSummary { totalMs: number; idleMs: number; gcMs: number; top: HotFunction[] }

/** Reads a .cpuprofile and returns its `topN` functions by self time. */
export function summarizeCpuProfile(file: string, topN = 10): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const label = new Map<number, string>();
  for (const n of p.nodes) {
    const f = n.callFrame;
    const where = f.url ? ` (${basename(f.url)}:${f.lineNumber + 1})` : '';
    label.set(n.id, `${f.functionName || '(anonymous)'}${where}`);
  }
  const selfUs = new Map<string, number>();
  let totalUs = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const us = p.timeDeltas[i] ?? 0;
    const name = label.get(p.samples[i]) ?? '(unknown)';
    selfUs.set(name, (selfUs.get(name) ?? 0) + us);
    totalUs += us;
  }
  const idleUs = selfUs.get('(idle)') ?? 0;
  const gcUs = selfUs.get('(garbage collector)') ?? 0;
  const busyUs = Math.max(1, totalUs - idleUs);
  const top = [...selfUs].filter(([n]) => n !== '(idle)')
    .sort((a, b) => b[1] - a[1]).slice(0, topN)
    .map(([name, us]) => ({ name, selfMs: us / 1000, pct: (100 * us) / busyUs }));
  return { totalMs: totalUs / 1000, idleMs: idleUs / 1000, gcMs: gcUs / 1000, top };
}

/**
 * The hottest functions of every process profiled under `dir` (one sub-folder per process, as
 * `bench --cpu-prof DIR` lays them out), `topN` each, as a text block.
 */
export function formatProfiles(dir: string, topN = 5): string {
  const lines: string[] = [`CPU profiles (${dir}): self time, share of the busy time`];
  let names: string[] = [];
  try {
    names = readdirSync(dir).sort();
  } catch (e) {
    return `CPU profiles: none in ${dir} (${(e as Error).message})`;
  }
  for (const name of names) {
    const files = readdirSync(join(dir, name)).filter((f) => f.endsWith('.cpuprofile'));
    if (files.length === 0) {
      lines.push(`  ${name}: no profile (the process did not exit normally)`);
      continue;
    }
    const s = summarizeCpuProfile(join(dir, name, files[0]), topN);
    lines.push(`  ${name}: busy ${((s.totalMs - s.idleMs) / 1000).toFixed(1)} s of ${(s.totalMs / 1000).toFixed(1)} s, GC ${(s.gcMs / 1000).toFixed(1)} s`);
    for (const f of s.top) lines.push(`    ${f.pct.toFixed(1).padStart(5)}%  ${f.selfMs.toFixed(0).padStart(7)} ms  ${f.name}`);
  }
  return lines.join('\n');
}
