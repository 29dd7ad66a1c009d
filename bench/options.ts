/**
 * Command line of the benchmark: `node dist/bench/bench.js [--quick] [--only a,b] [--size-mib N]
 * [--runs N] [...]` (through npm: `npm run bench -- --quick`).
 */

export const WORKLOADS = ['seq', 'small', 'meta', 'randio', 'compress', 'empty'] as const;
export type Workload = (typeof WORKLOADS)[number];

export const WORKLOAD_HELP: Record<Workload, string> = {
  seq: 'sequential write/read of a big random file: CLI put/get and mount cp/cat (MB/s)',
  small: 'small files through the mount: create, ls -lR, rm -r (files/s)',
  meta: 'metadata RPCs mkdir/create/stat/rename/delete at 1 and 16 clients (ops/s)',
  randio: 'random 4 KiB reads and writes through the mount, queue depth 1 (IOPS)',
  compress: 'block compression auto vs off: disk used by a log-like text file, put/get MB/s of text and random data',
  empty: 'master RAM and LMDB bytes per file after creating many empty files',
};

export interface Options {
  quick: boolean;
  only: Set<Workload>;
  /** Size of the sequential file. */
  sizeMib: number;
  runs: number;
  smallFiles: number;
  smallFileBytes: number;
  /** Duration of each metadata phase (one operation type at one concurrency, one side). */
  metaSeconds: number;
  metaClients: number[];
  /** Size of the random-IO file. */
  randomFileMib: number;
  /** Duration of each random-IO phase (read or write, one side). */
  randomSeconds: number;
  emptyFiles: number;
  /** Creates in flight while creating the empty files. */
  emptyConcurrency: number;
  /** Where results/<timestamp>.json goes (default bench/results of the checkout). */
  resultsDir?: string;
  /** Run master, chunkservers and mount under `node --cpu-prof` into this folder; print their hottest functions. */
  cpuProfDir?: string;
  help: boolean;
}

export const USAGE = `usage: npm run bench -- [options]     (or: node dist/bench/bench.js [options])

  --quick            smoke run (a few minutes): 64 MiB file, 200 small files, 1 s metadata phases,
                     10,000 empty files, 1 run
  --only a,b         workloads to run (default all): ${WORKLOADS.join(', ')}
  --size-mib N       sequential (and compress) file size in MiB (default 1024; quick 64)
  --runs N           runs per figure; each figure is the median, min-max shown (default 3; quick 1)
  --small-files N    small files created through the mount (default 2000; quick 200)
  --meta-seconds S   duration of each metadata phase (default 5; quick 1)
  --random-mib N     random-IO file size in MiB (default 256; quick 64)
  --random-seconds S duration of each random-IO phase (default 10; quick 2)
  --empty-files N    empty files for the master-memory row (default 1000000; quick 10000)
  --results-dir DIR  where the JSON goes (default bench/results)
  --cpu-prof DIR     run master, chunkservers and mount under node --cpu-prof (profiles into DIR)
                     and print each one's hottest functions at the end
  -h, --help         this text

workloads:
${WORKLOADS.map((w) => `  ${w.padEnd(8)} ${WORKLOAD_HELP[w]}`).join('\n')}
`;

export class UsageError extends Error {}

export function parseOptions(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const o: Options = {
    quick,
    only: new Set(WORKLOADS),
    sizeMib: quick ? 64 : 1024,
    runs: quick ? 1 : 3,
    smallFiles: quick ? 200 : 2000,
    smallFileBytes: 4096,
    metaSeconds: quick ? 1 : 5,
    metaClients: [1, 16],
    randomFileMib: quick ? 64 : 256,
    randomSeconds: quick ? 2 : 10,
    emptyFiles: quick ? 10_000 : 1_000_000,
    emptyConcurrency: 64,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    const num = (min: number): number => {
      const v = value();
      const n = Number(v);
      if (!Number.isFinite(n) || n < min) throw new UsageError(`${flag}: expected a number >= ${min}, got '${v}'`);
      return n;
    };
    switch (flag) {
      case '--quick': break;
      case '-h': case '--help': o.help = true; break;
      case '--only': {
        const names = value().split(',').map((s) => s.trim()).filter((s) => s !== '');
        const bad = names.filter((n) => !(WORKLOADS as readonly string[]).includes(n));
        if (bad.length > 0 || names.length === 0) throw new UsageError(`--only: unknown workload '${bad.join(',')}' (known: ${WORKLOADS.join(', ')})`);
        o.only = new Set(names as Workload[]);
        break;
      }
      case '--size-mib': o.sizeMib = Math.floor(num(1)); break;
      case '--runs': o.runs = Math.floor(num(1)); break;
      case '--small-files': o.smallFiles = Math.floor(num(1)); break;
      case '--meta-seconds': o.metaSeconds = num(0.1); break;
      case '--random-mib': o.randomFileMib = Math.floor(num(1)); break;
      case '--random-seconds': o.randomSeconds = num(0.1); break;
      case '--empty-files': o.emptyFiles = Math.floor(num(1)); break;
      case '--results-dir': o.resultsDir = value(); break;
      case '--cpu-prof': o.cpuProfDir = value(); break;
      default: throw new UsageError(`unknown option '${a}'`);
    }
  }
  return o;
}
