/**
 * Metadata operations through the RPC API (DfsClient, in this process; never the mount), in
 * operations/s, at 1 and 16 concurrent clients: mkdir, create (empty file), stat, rename,
 * delete. Each phase runs one operation type for a fixed time with C clients, each client
 * issuing one call at a time in its own folder (16 DfsClient instances for 16 clients).
 * rename and delete work through the files made by create (a phase ends early when they run
 * out). The local side does the same with fs/promises on the local folder (C async workers).
 */
import { join } from 'node:path';
import { mkdir, open, stat, rename, unlink, rm } from 'node:fs/promises';
import { Row, record, perSec, msSince, type Series } from '../stats';
import { type BenchContext, needCluster } from '../context';
import type { DfsClient } from '../../src/client/dfs-client';

const OPS = ['mkdir', 'create', 'stat', 'rename', 'delete'] as const;
type Op = (typeof OPS)[number];

/** The five operations on one side (dfs or local), addressed by worker folder and index. */
interface Side {
  /** Creates the folder of worker w (untimed). */
  prepare(w: number): Promise<void>;
  op(op: Op, w: number, path: string, to?: string): Promise<void>;
  /** Removes everything (untimed). */
  cleanup(): Promise<void>;
}

export async function runMetadata(ctx: BenchContext, rows: Row[]): Promise<void> {
  const byKey = new Map<string, Row>();
  for (const clients of ctx.opts.metaClients) {
    for (const op of OPS) {
      const row = new Row('metadata (RPC)', `${op === 'create' ? 'create empty' : op} · ${clients} client${clients > 1 ? 's' : ''}`, 'ops/s');
      byKey.set(`${op}/${clients}`, row);
      rows.push(row);
    }
  }
  const durationMs = ctx.opts.metaSeconds * 1000;
  for (let r = 1; r <= ctx.opts.runs; r++) {
    ctx.rss.setWindow('metadata');
    for (const clients of ctx.opts.metaClients) {
      ctx.log(`metadata: run ${r}/${ctx.opts.runs}, ${clients} client(s), local`);
      const series = (side: 'dfs' | 'local') => new Map(OPS.map((op) => [op, byKey.get(`${op}/${clients}`)![side]!] as const));
      await runSide(localSide(join(ctx.localDir, `meta-${r}-${clients}`)), clients, durationMs, series('local'));
      ctx.log(`metadata: run ${r}/${ctx.opts.runs}, ${clients} client(s), dfs`);
      let side: (Side & { close(): void }) | undefined;
      try {
        side = dfsSide(ctx, `/bench-meta-${r}-${clients}`, clients);
      } catch (e) {
        for (const s of series('dfs').values()) s.error ??= (e as Error).message;
      }
      if (side) {
        try {
          await runSide(side, clients, durationMs, series('dfs'));
        } finally {
          side.close();
        }
      }
    }
  }
  ctx.rss.setWindow(undefined);
}

/** Runs the five phases on one side; a failed preparation fails every phase of this run. */
async function runSide(side: Side, clients: number, durationMs: number, series: Map<Op, Series>): Promise<void> {
  try {
    await Promise.all(Array.from({ length: clients }, (_, w) => side.prepare(w)));
  } catch (e) {
    for (const s of series.values()) s.error ??= `prepare: ${(e as Error).message}`;
    await side.cleanup().catch(() => {});
    return;
  }
  const created = new Array<number>(clients).fill(0);
  const renamed = new Array<number>(clients).fill(0);
  const f = (w: number, i: number) => `w${w}/f${i}`;
  const g = (w: number, i: number) => `w${w}/r${i}`;
  await record(series.get('mkdir'), () => phase(clients, durationMs, async (w, i) => { await side.op('mkdir', w, `w${w}/d${i}`); return true; }));
  await record(series.get('create'), () => phase(clients, durationMs, async (w, i) => { await side.op('create', w, f(w, i)); created[w] = i + 1; return true; }));
  await record(series.get('stat'), () => phase(clients, durationMs, async (w) => {
    if (created[w] === 0) return false;
    await side.op('stat', w, f(w, Math.floor(Math.random() * created[w])));
    return true;
  }));
  await record(series.get('rename'), () => phase(clients, durationMs, async (w, i) => {
    if (i >= created[w]) return false;
    await side.op('rename', w, f(w, i), g(w, i));
    renamed[w] = i + 1;
    return true;
  }));
  await record(series.get('delete'), () => phase(clients, durationMs, async (w, i) => {
    if (i >= created[w]) return false;
    await side.op('delete', w, i < renamed[w] ? g(w, i) : f(w, i));
    return true;
  }));
  await side.cleanup().catch(() => {});
}

/**
 * Runs `step(worker, i)` for i = 0, 1, ... on each of `workers` concurrent workers until the
 * time is up or the step returns false; returns operations per second over the whole phase.
 */
async function phase(workers: number, durationMs: number, step: (w: number, i: number) => Promise<boolean>): Promise<number> {
  const start = process.hrtime.bigint();
  let ops = 0;
  let failure: unknown;
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    try {
      for (let i = 0; failure === undefined && msSince(start) < durationMs; i++) {
        if (!(await step(w, i))) return;
        ops++;
      }
    } catch (e) {
      failure ??= e; // stops the other workers at their next step
    }
  }));
  const elapsedMs = msSince(start);
  if (failure !== undefined) throw failure;
  if (ops === 0) throw new Error('no operation completed (nothing to work on)');
  return perSec(ops, elapsedMs);
}

function localSide(base: string): Side {
  const p = (rel: string) => join(base, rel);
  return {
    prepare: (w) => mkdir(p(`w${w}`), { recursive: true }).then(() => {}),
    async op(op, _w, path, to) {
      switch (op) {
        case 'mkdir': await mkdir(p(path)); break;
        case 'create': await (await open(p(path), 'wx')).close(); break;
        case 'stat': await stat(p(path)); break;
        case 'rename': await rename(p(path), p(to!)); break;
        case 'delete': await unlink(p(path)); break;
      }
    },
    cleanup: () => rm(base, { recursive: true, force: true }),
  };
}

function dfsSide(ctx: BenchContext, base: string, clients: number): Side & { close(): void } {
  const cluster = needCluster(ctx);
  const pool: DfsClient[] = Array.from({ length: clients }, () => cluster.client());
  const p = (rel: string) => `${base}/${rel}`;
  return {
    prepare: (w) => pool[w].mkdir(p(`w${w}`), { parents: true }).then(() => {}),
    async op(op, w, path, to) {
      const c = pool[w];
      switch (op) {
        case 'mkdir': await c.mkdir(p(path)); break;
        case 'create': await c.create(p(path), { exclusive: true }); break;
        case 'stat': await c.stat(p(path)); break;
        case 'rename': await c.rename(p(path), p(to!)); break;
        case 'delete': await c.delete(p(path)); break;
      }
    },
    cleanup: async () => { await pool[0].delete(base, { recursive: true }); },
    close: () => { for (const c of pool) c.close(); },
  };
}
