/**
 * The benchmark's output: a plain-text table (one row per figure: dfs, local, dfs/local, unit;
 * median with min–max when there are several runs), a table of peak RSS per process and
 * workload, and the same data as JSON under bench/results/<timestamp>.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Row, type Series, summarize, ratio, MiB } from './stats';
import { formatMachine, type MachineInfo } from './machine';
import type { Options } from './options';

export interface Report {
  startedAt: string;
  finishedAt: string;
  machine: MachineInfo;
  options: Options;
  cluster: { chunkservers: number; replication: number; masterAddress: string; mounted: boolean; error?: string; mountError?: string };
  rows: Row[];
  /** Process name → peak bytes (max of sampled VmRSS and VmHWM) over the whole run. */
  peakRss: Map<string, number>;
  /** Workload → process name → peak sampled VmRSS bytes. */
  peakRssByWorkload: Map<string, Map<string, number>>;
  notes: string[];
}

/** Numbers with about 3 significant digits, thousands separated. */
export function formatNumber(x: number): string {
  const abs = Math.abs(x);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function formatSeries(s: Series | undefined): string {
  if (!s) return '–';
  if (s.error) return `error: ${s.error}`;
  const sum = summarize(s);
  if (!sum) return 'not run';
  if (sum.runs === 1) return formatNumber(sum.median);
  return `${formatNumber(sum.median)} (${formatNumber(sum.min)}–${formatNumber(sum.max)})`;
}

/** Long error messages would make the table unreadable: they are cut there (full in the JSON). */
const MAX_CELL_CHARS = 60;

function cell(text: string): string {
  return text.length > MAX_CELL_CHARS ? `${text.slice(0, MAX_CELL_CHARS - 1)}…` : text;
}

function table(header: string[], body: string[][], alignRight: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (alignRight[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export function formatReport(report: Report): string {
  const out: string[] = [];
  out.push(`dfs benchmark ${report.startedAt}${report.options.quick ? ' (--quick)' : ''}`);
  out.push(formatMachine(report.machine));
  out.push(`cluster: master + ${report.cluster.chunkservers} chunkservers${report.cluster.mounted ? ' + dfs mount' : ''} as separate processes on 127.0.0.1, replication ${report.cluster.replication}; ` +
    `${report.options.runs} run${report.options.runs > 1 ? 's' : ''} per figure${report.options.runs > 1 ? ' (median, min–max)' : ''}`);
  if (report.cluster.error) out.push(`cluster error: ${report.cluster.error}`);
  if (report.cluster.mountError) out.push(`mount error: ${report.cluster.mountError}`);
  out.push('');

  const body: string[][] = [];
  let group = '';
  for (const row of report.rows) {
    if (row.group !== group) {
      group = row.group;
      body.push([`[${group}]`, '', '', '', '']);
    }
    const r = ratio(row);
    body.push([`  ${row.name}`, cell(formatSeries(row.dfs)), cell(formatSeries(row.local)), r === undefined ? '–' : `${r.toFixed(2)}×`, row.unit]);
  }
  const names = [...report.peakRss.keys()];
  if (names.length > 0) {
    body.push(['[peak RSS, whole run]', '', '', '', '']);
    for (const name of names) body.push([`  ${name}`, formatNumber(report.peakRss.get(name)! / MiB), '–', '–', 'MiB']);
  }
  out.push(table(['workload', 'dfs', 'local', 'dfs/local', 'unit'], body, [false, true, true, true, false]));

  if (report.peakRssByWorkload.size > 0 && names.length > 0) {
    out.push('');
    out.push('peak RSS (MiB, sampled every 200 ms) by workload:');
    const workloads = [...report.peakRssByWorkload.keys()];
    const rssBody = names.map((name) => [name, ...workloads.map((w) => {
      const v = report.peakRssByWorkload.get(w)!.get(name);
      return v === undefined ? '–' : formatNumber(v / MiB);
    })]);
    out.push(table(['process', ...workloads], rssBody, [false, ...workloads.map(() => true)]));
  }
  if (report.notes.length > 0) {
    out.push('');
    out.push('notes:');
    for (const n of report.notes) out.push(`- ${n}`);
  }
  return out.join('\n');
}

function seriesJson(s: Series | undefined): unknown {
  if (!s) return null;
  const sum = summarize(s);
  return { ...(sum ?? {}), values: s.values, ...(s.error ? { error: s.error } : {}) };
}

export function reportJson(report: Report): unknown {
  return {
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    machine: report.machine,
    options: { ...report.options, only: [...report.options.only] },
    cluster: report.cluster,
    rows: report.rows.map((row) => ({
      group: row.group, name: row.name, unit: row.unit,
      dfs: seriesJson(row.dfs), local: seriesJson(row.local), ratio: ratio(row) ?? null,
    })),
    peakRssBytes: Object.fromEntries(report.peakRss),
    peakRssBytesByWorkload: Object.fromEntries([...report.peakRssByWorkload].map(([w, m]) => [w, Object.fromEntries(m)])),
    notes: report.notes,
  };
}

/** Writes DIR/<timestamp>.json and returns its path. */
export async function writeReportJson(report: Report, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${report.startedAt.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(reportJson(report), null, 2)}\n`);
  return file;
}
