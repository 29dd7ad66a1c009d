/**
 * Configuration: defaults in dfs.config.json (or the file given by --config / DFS_CONFIG),
 * then DFS_* environment variables (DFS_CLUSTER_REPLICATION=2 sets cluster.replication),
 * then command-line flags. Validated by a zod schema; a bad value is a BAD_CONFIG error
 * naming the key and what was expected.
 */
import { readFileSync } from 'node:fs';
import { resolve, dirname, isAbsolute } from 'node:path';
// zod's v3 API (shipped in the zod 4 package and kept there): it loads in ~7 ms, the v4 one
// (full or mini) in ~35 ms, and every dfs process validates its configuration at start
import { z } from 'zod/v3';
import { DfsError } from './errors';
import { REPLICATION_MAX, chunkSizeProblem } from './limits';

const address = z.string().regex(/^[^:\s]+:\d{1,5}$/, 'expected HOST:PORT')
  .refine((a) => Number(a.slice(a.lastIndexOf(':') + 1)) <= 65535, 'expected HOST:PORT with a port of at most 65535');
const posInt = z.number().int().positive();
const nonNegInt = z.number().int().nonnegative();
/** HOST:PORT of an HTTP listener, or "" = off. */
const httpListen = z.union([z.literal(''), address]);

export const configSchema = z.object({
  master: z.object({
    /** Where clients and chunkservers reach the master. */
    address: address,
    /** Where `dfs master` listens (HOST:PORT; port 0 = any free port). */
    listen: address,
    /** LMDB folder of the namespace. */
    metaDir: z.string().min(1),
    /** Dashboard, JSON API, /metrics and the /fs gateway (HOST:PORT; port 0 = any; "" = off). */
    httpListen,
  }).strict(),
  chunkserver: z.object({
    listen: address,
    /** Address announced to the master and clients; "" = the listen address with the bound port. */
    advertise: z.string(),
    dataDir: z.string().min(1),
    /** Stable identity; "" = read from / generated into DATA_DIR/server-id. */
    id: z.string(),
    /** Capacity announced to the master; 0 = the file system's size. */
    capacityBytes: nonNegInt,
    heartbeatIntervalMs: posInt,
    /** Bandwidth of re-replication copies into this server, bytes/s; 0 = unlimited. */
    replicationBytesPerSec: nonNegInt,
    /** Background checksum verification rate; 0 = off. */
    scrubBytesPerSec: nonNegInt,
    /** Pause between two scrub passes over all chunks. */
    scrubPassPauseMs: nonNegInt,
    /**
     * The mount's writes are committed without fsync (durable at the application's fsync); this
     * often, one syncfs makes all of them durable anyway. 0 = only fsync and the kernel's own
     * write-back.
     */
    syncIntervalMs: nonNegInt,
    /** auto = store 64 KiB blocks of low entropy compressed (Brotli); off = store every new block raw. */
    compression: z.enum(['auto', 'off']),
    /** auto: blocks whose sampled byte entropy is below this (bits/byte, 0-8) are tried. */
    compressionEntropyMaxBitsPerByte: z.number().min(0).max(8),
    /** /metrics of this chunkserver (HOST:PORT; port 0 = any; "" = off). */
    httpListen,
  }).strict(),
  cluster: z.object({
    chunkSizeBytes: posInt.superRefine((n, ctx) => {
      const problem = chunkSizeProblem(n);
      if (problem) ctx.addIssue({ code: 'custom', message: `expected ${problem} (bytes)` });
    }),
    replication: posInt.max(REPLICATION_MAX),
    /** A chunkserver silent this long is dead. */
    deadAfterMs: posInt,
    leaseDurationMs: posInt,
    /** An upload not committed within this time after its last activity is collected. */
    uploadTimeoutMs: posInt,
    /** A mount session not heard from within this time loses its open files. */
    sessionTimeoutMs: posInt,
    /** A chunk the master does not know is deleted only after this grace period. */
    garbageGraceMs: nonNegInt,
    /** Safe mode after a master start ends when this fraction of known chunks has a reported replica … */
    safeModeThreshold: z.number().min(0).max(1),
    /** … or when this long has passed since the start, whichever comes first. */
    safeModeTimeoutMs: nonNegInt,
    /** Re-replication copies in flight per target server (and twice that per source). */
    replicationCopiesPerServerMax: posInt.max(64),
    /** Re-replication tasks scheduled per maintenance round (cluster-wide). */
    replicationTasksPerRoundMax: posInt.max(10_000),
    /** `dfs rm` moves to /.trash/<unixMs>/PATH, emptied by the master after this long; 0 = no trash (rm deletes at once). */
    trashRetentionMs: nonNegInt,
    /**
     * New chunks the master keeps granted on chunkservers ahead of demand (per replication goal,
     * while new chunks are being asked for), so a new file's first write waits for no grant; 0 = off.
     */
    grantAheadChunks: nonNegInt.max(1024),
  }).strict(),
  client: z.object({
    /** Deadline of one metadata RPC. */
    rpcTimeoutMs: posInt,
    /** Deadline without progress on one chunk transfer. */
    dataTimeoutMs: posInt,
    /** A chunk read that delivered nothing within this long asks the next replica too (hedged read); 0 = never. */
    readHedgeMs: nonNegInt,
    /** Chunks moved in parallel by one put/get. */
    parallelChunks: posInt.max(64),
    /** Payload bytes per data frame. */
    frameBytes: posInt.min(4096).max(4 * 1024 * 1024),
    /** Attempts per chunk write or read before the error reaches the caller. */
    retries: posInt.max(20),
  }).strict(),
  mount: z.object({
    /** Bytes of dirty data buffered per open file before a flush. */
    writeBufferBytes: posInt,
    /** Bytes read ahead on sequential reads. */
    readAheadBytes: nonNegInt,
    /** Upper bound of the mount's whole data cache (read-ahead + write buffers). */
    cacheBytes: posInt,
    /** How long the kernel may cache attributes and names (0 = always ask). */
    attrTimeoutMs: nonNegInt,
    /**
     * false: close returns once every replica holds the data (in its page cache), fsync once it
     * is on their disks (as a local file system, and HDFS's default). true: close waits for the
     * disks too.
     */
    syncOnClose: z.boolean(),
    /**
     * Dirty bytes of an open file are written back once the oldest of them is this old, even
     * while the file stays open (0: only when the buffer fills, and at close/fsync).
     */
    writeBackMs: nonNegInt,
  }).strict(),
  local: z.object({
    /** Data folder of `dfs local` (master + chunkservers). */
    dir: z.string().min(1),
    chunkservers: posInt.max(16),
  }).strict(),
  log: z.object({
    level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']),
    /** auto = human-readable lines on a terminal, JSON otherwise. */
    format: z.enum(['auto', 'json', 'pretty']).optional(),
  }).strict(),
}).strict();

export type Config = z.infer<typeof configSchema>;

/** The default config file shipped at the project root. */
export const DEFAULT_CONFIG_PATH = resolve(__dirname, '../../../dfs.config.json');

/** Loads, overrides and validates. Relative folders are resolved against the current directory. */
export function loadConfig(opts: { file?: string; env?: NodeJS.ProcessEnv; overrides?: Record<string, unknown> } = {}): Config {
  const env = opts.env ?? process.env;
  const file = opts.file ?? env.DFS_CONFIG ?? DEFAULT_CONFIG_PATH;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'No such file or directory' : code === 'EISDIR' ? 'Is a directory' : code === 'EACCES' ? 'Permission denied' : (e as Error).message;
    throw new DfsError('BAD_CONFIG', `cannot read config ${file}: ${reason}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new DfsError('BAD_CONFIG', `bad config value at "(root)" in ${file}: expected an object`);
  }
  if (file !== DEFAULT_CONFIG_PATH) raw = deepMerge(readDefaults(), raw);
  const { unknown, variables } = applyEnv(raw as Record<string, unknown>, env);
  // a misspelt variable would silently leave the default in force (a file's unknown key is an error)
  for (const name of unknown) warnOnce(`dfs: warning: ${name} is not a configuration variable; ignored (see the configuration table in README.md)`);
  for (const [key, value] of Object.entries(opts.overrides ?? {})) {
    if (value === undefined) continue;
    setKey(raw as Record<string, unknown>, key, value);
    variables.delete(key); // the flag's value is the one checked
  }
  return validateConfig(raw, variables);
}

/**
 * The configuration `raw` checked against the schema; BAD_CONFIG naming the first bad key and
 * what it expects, and the variable it came from when `variables` (key → DFS_* name) has it.
 */
export function validateConfig(raw: unknown, variables: ReadonlyMap<string, string> = new Map()): Config {
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue.path.join('.') || '(root)';
    if (issue.code === 'unrecognized_keys') {
      const names = issue.keys.map((k) => (issue.path.length > 0 ? `${key}.${k}` : k));
      throw new DfsError('BAD_CONFIG', `unknown config key${names.length > 1 ? 's' : ''} ${names.map((n) => `"${n}"`).join(', ')} (see the configuration table in README.md)`);
    }
    const what = issue.message.replace(/^Invalid input: /, '');
    const from = variables.has(key) ? ` (from ${variables.get(key)})` : '';
    throw new DfsError('BAD_CONFIG', `bad config value at "${key}": ${what.charAt(0).toLowerCase()}${what.slice(1)}${from}`);
  }
  return parsed.data;
}

function readDefaults(): unknown {
  return JSON.parse(readFileSync(DEFAULT_CONFIG_PATH, 'utf8'));
}

function deepMerge(base: any, over: any): any {
  if (typeof base !== 'object' || base === null || typeof over !== 'object' || over === null || Array.isArray(over)) return over;
  const out: any = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? deepMerge(base[k], v) : v;
  return out;
}

/** DFS_* variables that are not configuration keys (and DFS_MODEL_*: the model test's knobs). */
const OTHER_DFS_VARIABLES: ReadonlySet<string> = new Set(['DFS_CONFIG', 'DFS_BENCH_BIN']);

/**
 * Applies DFS_SECTION_KEY_NAME=value as section.keyName (numbers and booleans parsed); returns the DFS_* names that are no configuration key
 * (`unknown`) and the variable each key it set came from (`variables`, for the error message).
 */
function applyEnv(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): { unknown: string[]; variables: Map<string, string> } {
  const known = new Set(OTHER_DFS_VARIABLES);
  const variables = new Map<string, string>();
  for (const [section, body] of Object.entries(raw)) {
    if (typeof body !== 'object' || body === null) continue;
    for (const key of Object.keys(body)) {
      const name = `DFS_${section}_${key.replace(/[A-Z]/g, (c) => '_' + c)}`.toUpperCase();
      known.add(name);
      const value = env[name];
      if (value === undefined) continue;
      setKey(raw, `${section}.${key}`, parseScalar(value));
      variables.set(`${section}.${key}`, name);
    }
  }
  const unknown = Object.keys(env).filter((name) => name.startsWith('DFS_') && !known.has(name) && !name.startsWith('DFS_MODEL_'));
  return { unknown, variables };
}

const warned = new Set<string>();

function warnOnce(line: string): void {
  if (warned.has(line)) return;
  warned.add(line);
  process.stderr.write(`${line}\n`);
}

function parseScalar(value: string): unknown {
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (value === 'true' || value === 'false') return value === 'true';
  return value;
}

/** Sets "section.key" in the raw object. */
export function setKey(raw: Record<string, unknown>, dotted: string, value: unknown): void {
  const [section, key] = dotted.split('.');
  const body = (raw[section] ??= {}) as Record<string, unknown>;
  body[key] = value;
}

/** Resolves a folder from the config against the current directory. */
export function resolveDir(dir: string): string {
  return isAbsolute(dir) ? dir : resolve(process.cwd(), dir);
}

export { dirname };
