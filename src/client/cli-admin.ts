/**
 * Administration commands of the CLI (issue 4): fsck, setrep, safemode, decommission,
 * recommission, balance. Each returns an exit status; the text is built by the pure
 * `format*` functions below (table-tested).
 *
 * Exit statuses: fsck 1 when any chunk is missing or corrupt (HDFS: "CORRUPT"), 0 otherwise,
 * even with under-replicated chunks the cluster is still repairing. `setrep -w` and `balance`
 * wait with a bound (`--timeout`, seconds) and fail with 1 when it passes.
 */
import { DfsError, isDfsError } from '../common/errors';
import { REPLICATION_MAX } from '../common/limits';
import { joinPath, normalizePath } from '../common/paths';
import { masterClient, type MasterClient } from '../common/rpc';
import type { Config } from '../common/config';
import type { FsckReply__Output } from '../generated/dfs/FsckReply';
import type { SafeModeReply__Output } from '../generated/dfs/SafeModeReply';
import type { BalanceReply__Output } from '../generated/dfs/BalanceReply';
import type { DfsClient } from './dfs-client';
import { closeCallsClient } from '../common/meta-calls';
import { masterCall, type MasterMethod, type ReplyOf, type RequestOf } from './master-call';
import { alignColumns, errorLine, formatBytes } from './cli-format';
import { EXIT_FAIL, EXIT_OK, UsageError, type Io } from './cli-commands';

/** Poll period of the waiting commands. */
const POLL_INTERVAL_MS = 500;
/** Default bound of `setrep -w` and `balance`. */
const WAIT_TIMEOUT_S_DEFAULT = 600;
/** Files changed by one `setrep -R` at most. */
const SETREP_FILES_MAX = 1_000_000;

/** A wait that keeps the process alive (common/clock's sleep is unref'd: a polling command would just exit). */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The admin RPCs on their own channel (the data client does not expose its master stub). */
export class AdminClient {
  private readonly master: MasterClient;
  constructor(address: string, private readonly rpcTimeoutMs: number) {
    this.master = masterClient(address);
  }
  call<K extends MasterMethod>(name: K, req: RequestOf<K>): Promise<ReplyOf<K>> {
    return masterCall(this.master, name, req, this.rpcTimeoutMs);
  }
  close(): void {
    closeCallsClient(this.master);
  }
}

function say(io: Io, stream: 'stdout' | 'stderr', lines: string | string[]): void {
  const text = Array.isArray(lines) ? lines.join('\n') : lines;
  io[stream].write(text.length > 0 ? text + '\n' : '');
}

function positiveInt(value: unknown, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError('EINVAL', `invalid ${what}: '${String(value)}'`);
  return n;
}

const PROBLEM_TEXT: Record<string, string> = {
  CORRUPT: 'CORRUPT', MISSING: 'MISSING', UNDER_REPLICATED: 'Under replicated', OVER_REPLICATED: 'Over replicated', MIS_REPLICATED: 'Mis-replicated',
};

/** Whether fsck found lost data. */
export function fsckCorrupt(r: Pick<FsckReply__Output, 'missing' | 'corrupt'>): boolean {
  return r.missing > 0 || r.corrupt > 0;
}

/** Whether every chunk is exactly at its goal (what the fault tests wait for). */
export function fsckHealthy(r: FsckReply__Output): boolean {
  return !fsckCorrupt(r) && r.underReplicated === 0 && r.overReplicated === 0 && r.misReplicated === 0;
}

/** `dfs fsck` report, hdfs-fsck-like: one line per problem chunk, then the totals and the verdict. */
export function formatFsck(path: string, r: FsckReply__Output): string[] {
  const lines: string[] = [];
  for (const p of r.problems) {
    const where = p.serverIds.length > 0 ? ` [${p.serverIds.join(', ')}]` : '';
    lines.push(`${p.path}: chunk ${p.index} (handle ${p.handle}): ${PROBLEM_TEXT[p.problem] ?? p.problem}, ${p.replicas} of ${p.goal} replicas${where}`);
  }
  if (r.truncated) lines.push('... (more problems not listed)');
  if (lines.length > 0) lines.push('');
  const avg = r.chunks > 0 ? (r.replicas / r.chunks).toFixed(3) : '0';
  lines.push(
    `Status: ${fsckCorrupt(r) ? 'CORRUPT' : 'HEALTHY'}`,
    ` Total size:\t${r.bytes} B (${formatBytes(r.bytes)})`,
    ` Total dirs:\t${r.directories}`,
    ` Total files:\t${r.files}`,
    ` Total chunks:\t${r.chunks} (avg. replicas ${avg})`,
    ` Under-replicated chunks:\t${r.underReplicated}`,
    ` Over-replicated chunks:\t${r.overReplicated}`,
    ` Mis-replicated chunks:\t${r.misReplicated}`,
    ` Corrupt chunks:\t${r.corrupt}`,
    ` Missing chunks:\t${r.missing}`,
    ` Live chunkservers:\t${r.liveServers}`,
    ` Decommissioning chunkservers:\t${r.decommissioningServers}`,
    ` Copies in flight:\t${r.pendingCopies}`,
    ` Safe mode:\t${r.safeMode ? 'ON' : 'OFF'}`,
    '',
    `The filesystem under path '${path}' is ${fsckCorrupt(r) ? 'CORRUPT' : 'HEALTHY'}`,
  );
  // after a master start the chunkservers' reports are still arriving: "missing" may only be unreported
  if (r.safeMode && r.missing > 0) lines.push('Safe mode is ON: chunkservers may not have reported all their chunks yet; `dfs safemode wait`, then check again');
  return lines;
}

export function formatSafeMode(r: SafeModeReply__Output): string {
  if (!r.on) return 'Safe mode is OFF';
  const why = r.manual
    ? 'entered by an operator; `dfs safemode leave` ends it'
    : `${r.chunksReported} of ${r.chunksTotal} chunks reported, ${Math.ceil(r.threshold * r.chunksTotal)} needed; ends by itself in at most ${Math.ceil(r.remainingMs / 1000)} s`;
  return `Safe mode is ON (${why})`;
}

export function formatBalance(r: BalanceReply__Output, thresholdPct: number): string[] {
  const rows = [['ID', 'USED%', 'FROM MEAN']];
  for (const s of [...r.servers].sort((a, b) => a.serverId.localeCompare(b.serverId))) {
    const d = s.usedPct - r.meanPct;
    rows.push([s.serverId, s.usedPct.toFixed(1), `${d >= 0 ? '+' : ''}${d.toFixed(1)}`]);
  }
  return [
    ...alignColumns(rows, new Set([1, 2])),
    `mean ${r.meanPct.toFixed(1)}%, threshold ${thresholdPct}%: ${r.balanced ? 'balanced' : 'not balanced'}`,
  ];
}

export async function cmdFsck(admin: AdminClient, io: Io, path: string, flags: { problemsMax?: unknown }): Promise<number> {
  const problemsMax = flags.problemsMax === undefined ? 0 : positiveInt(flags.problemsMax, '--problems-max');
  const norm = normalizePath(path);
  let r: FsckReply__Output;
  try {
    r = await admin.call('Fsck', { path: norm, problemsMax });
  } catch (e) {
    say(io, 'stderr', errorLine(e, 'check', path));
    return EXIT_FAIL;
  }
  say(io, 'stdout', formatFsck(norm, r));
  return fsckCorrupt(r) ? EXIT_FAIL : EXIT_OK;
}

/** `dfs setrep N PATH [-R] [-w]`: sets the replica goal of a file, or of every file and folder below a folder (-R or not, as hdfs). */
export async function cmdSetrep(client: DfsClient, admin: AdminClient, io: Io, count: unknown, path: string,
  flags: { recursive?: boolean; wait?: boolean; timeout?: unknown }): Promise<number> {
  const replication = positiveInt(count, 'replication');
  if (replication > REPLICATION_MAX) throw new UsageError('EINVAL', `invalid replication: '${String(count)}' (at most ${REPLICATION_MAX})`);
  const timeoutS = flags.timeout === undefined ? WAIT_TIMEOUT_S_DEFAULT : positiveInt(flags.timeout, '--timeout');
  const root = normalizePath(path);
  let changed = 0;
  /** The entry being changed: an error names it, not the root. */
  let current = root;
  try {
    // As hdfs: a directory's whole tree, with or without -R (kept for compatibility); each
    // folder's goal is also the default of the files made in it later.
    const attr = await client.stat(path); // as given: `file/` is ENOTDIR
    const queue = [root];
    while (queue.length > 0) {
      const p = (current = queue.shift()!);
      try {
        const a = p === root ? attr : await client.stat(p);
        if (a.type === 'DIRECTORY') {
          await client.setAttr({ path: p, replication });
          for await (const e of client.listAll(p)) queue.push(joinPath(p, e.name));
        } else if (a.type === 'REGULAR') {
          await client.setAttr({ path: p, replication });
          say(io, 'stdout', `Replication ${replication} set: ${p}`);
          if (++changed >= SETREP_FILES_MAX) throw new DfsError('EFBIG', `more than ${SETREP_FILES_MAX} files`);
        }
      } catch (e) {
        // an entry removed while the walk went on (as hdfs setrep): it needs no goal any more
        if (p === root || !isDfsError(e, 'ENOENT')) throw e;
      }
    }
  } catch (e) {
    say(io, 'stderr', errorLine(e, 'set replication of', current === root ? path : current));
    return EXIT_FAIL;
  }
  // as put: a goal above the live chunkservers is kept, but said (the rest come when servers join)
  const live = await client.aliveServers();
  if (live !== undefined && replication > live) {
    say(io, 'stderr', `dfs: warning: only ${live} live chunkservers: chunks stay below ${replication} replicas until more join`);
    if (flags.wait) return EXIT_FAIL; // waiting could not end
  }
  if (!flags.wait) return EXIT_OK;
  say(io, 'stdout', `Waiting for ${root} to reach replication ${replication} ...`);
  const deadline = Date.now() + timeoutS * 1000;
  for (;;) {
    const r = await admin.call('Fsck', { path: root, problemsMax: 1 });
    if (r.underReplicated === 0 && r.overReplicated === 0 && !fsckCorrupt(r)) {
      say(io, 'stdout', 'done');
      return EXIT_OK;
    }
    if (Date.now() > deadline) {
      say(io, 'stderr', `dfs: setrep: still ${r.underReplicated} under- and ${r.overReplicated} over-replicated chunks after ${timeoutS} s`);
      return EXIT_FAIL;
    }
    await pause(POLL_INTERVAL_MS);
  }
}

export async function cmdSafeMode(admin: AdminClient, io: Io, action: string | undefined, flags: { timeout?: unknown }): Promise<number> {
  const a = action ?? 'get';
  const table: Record<string, 'SAFE_MODE_GET' | 'SAFE_MODE_ENTER' | 'SAFE_MODE_LEAVE'> = {
    get: 'SAFE_MODE_GET', enter: 'SAFE_MODE_ENTER', leave: 'SAFE_MODE_LEAVE', wait: 'SAFE_MODE_GET',
  };
  const wire = table[a];
  if (!wire) throw new UsageError('EINVAL', `invalid safemode action '${a}' (get, enter, leave or wait)`);
  const timeoutS = flags.timeout === undefined ? WAIT_TIMEOUT_S_DEFAULT : positiveInt(flags.timeout, '--timeout');
  const deadline = Date.now() + timeoutS * 1000;
  for (;;) {
    const r = await admin.call('SafeMode', { action: wire });
    if (a !== 'wait' || !r.on) {
      say(io, 'stdout', formatSafeMode(r));
      return EXIT_OK;
    }
    if (Date.now() > deadline) {
      say(io, 'stderr', `dfs: safemode: still on after ${timeoutS} s: ${formatSafeMode(r)}`);
      return EXIT_FAIL;
    }
    await pause(POLL_INTERVAL_MS);
  }
}

export async function cmdDecommission(admin: AdminClient, client: DfsClient, io: Io, nodes: string[], recommission: boolean): Promise<number> {
  let status = EXIT_OK;
  for (const node of nodes) {
    try {
      const r = await admin.call('Decommission', { node, recommission });
      const n = r.node!;
      const left = n.state === 'DECOMMISSIONING' ? `, ${n.replicasToMove} chunks still to copy` : '';
      say(io, 'stdout', `${n.serverId} (${n.address}): ${n.state}${left}`);
    } catch (e) {
      const line = errorLine(e, recommission ? 'recommission' : 'decommission', node);
      // ENOENT here is about the node, not a file
      say(io, 'stderr', isDfsError(e, 'ENOENT') ? line.replace(/No such file or directory$/, "no such chunkserver (see 'dfs nodes')") : line);
      status = EXIT_FAIL;
    }
  }
  const replication = client.replication;
  if (!recommission && status === EXIT_OK && replication > 1) {
    // a drain copies each replica to a server in service: fewer of them than the goal and it never ends
    const inService = await client.aliveServers();
    if (inService !== undefined && inService < replication) {
      say(io, 'stderr', `dfs: warning: only ${inService} chunkservers stay in service, fewer than the replication goal ${replication}: `
        + 'chunks with that goal cannot all be copied off, and the drain will not finish until servers join or the goal is lowered (dfs setrep)');
    }
  }
  return status;
}

/** `dfs balance`: steps the master's balancer until every server is within the threshold. */
export async function cmdBalance(admin: AdminClient, io: Io, flags: { threshold?: unknown; timeout?: unknown }): Promise<number> {
  const thresholdPct = flags.threshold === undefined ? 10 : Number(flags.threshold);
  if (!(thresholdPct > 0 && thresholdPct <= 100)) throw new UsageError('EINVAL', `invalid --threshold: '${String(flags.threshold)}'`);
  const timeoutS = flags.timeout === undefined ? WAIT_TIMEOUT_S_DEFAULT : positiveInt(flags.timeout, '--timeout');
  const deadline = Date.now() + timeoutS * 1000;
  let moves = 0;
  let idleRounds = 0;
  for (;;) {
    let r: BalanceReply__Output;
    try {
      r = await admin.call('Balance', { thresholdPct });
    } catch (e) {
      if (isDfsError(e, 'EBUSY') && Date.now() < deadline) { await pause(POLL_INTERVAL_MS); continue; }
      say(io, 'stderr', errorLine(e, 'balance'));
      return EXIT_FAIL;
    }
    moves += r.movesScheduled;
    if (r.balanced && r.movesInFlight === 0) {
      say(io, 'stdout', [...formatBalance(r, thresholdPct), `${moves} replicas moved`]);
      return EXIT_OK;
    }
    idleRounds = r.movesScheduled === 0 && r.movesInFlight === 0 ? idleRounds + 1 : 0;
    // Nothing to move for a while: utilisation reports lag a heartbeat, so give them time first.
    if (idleRounds >= 20 || Date.now() > deadline) {
      say(io, 'stdout', formatBalance(r, thresholdPct));
      say(io, 'stderr', `dfs: balance: cannot get every server within ${thresholdPct}% of the mean (${moves} replicas moved)`);
      return EXIT_FAIL;
    }
    await pause(POLL_INTERVAL_MS);
  }
}

/** Builds the admin client for a command (closed by the caller). */
export function adminClient(config: Config): AdminClient {
  return new AdminClient(config.master.address, config.client.rpcTimeoutMs);
}
