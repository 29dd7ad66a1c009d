/**
 * The client commands of the CLI (put, get, cat, ls, mkdir, rm, mv, stat, nodes, df). Each
 * takes a DfsClient and an `Io` (stdout/stderr/stdin) and returns an exit status; failures of
 * single operands are printed coreutils-style and turn the status to 1 without stopping the
 * other operands (as rm, mkdir and cat do).
 *
 * put/get are all-or-nothing: put commits only a complete upload (the client aborts it on any
 * error or interrupt); get writes into a temporary file next to the target and renames it only
 * after the whole file arrived and its SHA-256 matched (a target that is no regular file, such
 * as /dev/null or a FIFO, is written in place).
 */
import { createWriteStream } from 'node:fs';
import { open, realpath, rename, stat as statLocal, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { chunkSizeProblem, replicationProblem } from '../common/limits';
import { finished } from 'node:stream/promises';
import { DfsError, isDfsError } from '../common/errors';
import { joinPath, nameBytes, normalizePath, parentOf, PathError, PATH_MAX_BYTES } from '../common/paths';
import type { DfsClient } from './dfs-client';
import type { Attr, DirEntry } from './types';
import { ListingTable, errorLine, formatDf, formatListing, formatNodes, formatStat, parseSize, transferErrorLine } from './cli-format';
import { transferProgress } from './progress';
import { isInTrash, trashTarget, TRASH_SUFFIXES_MAX } from '../common/trash';

export interface Io {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** Shows put/get progress bars and summary lines on stderr (a terminal, no --quiet). */
  progress: boolean;
  /** Registers what to do on SIGINT/SIGTERM while a transfer runs; returns the unregister function. */
  onInterrupt(fn: () => void): () => void;
}

/** A bad argument value: reported with a usage hint and exit status 2. */
export class UsageError extends DfsError {}

/** Exit statuses. */
export const EXIT_OK = 0;
export const EXIT_FAIL = 1;
export const EXIT_USAGE = 2;

function say(io: Io, stream: 'stdout' | 'stderr', lines: string | string[]): void {
  const text = Array.isArray(lines) ? lines.join('\n') : lines;
  io[stream].write(text.length > 0 ? text + '\n' : '');
}

/**
 * Where a source called `name` goes for `target`, as cp/mv decide: into `target` when it is a
 * folder, else `target` itself. A trailing slash asks for a folder: a missing one is ENOTDIR,
 * except for a folder being moved (`mv /a /b/` renames /a to /b, as coreutils does).
 */
async function remoteTarget(client: DfsClient, target: string, name: string, sourceIsDir = false): Promise<string> {
  const attr = await client.stat(target).catch((e) => { if (isDfsError(e, 'ENOENT')) return undefined; throw e; });
  if (attr?.type === 'DIRECTORY') return joinPath(normalizePath(target), name);
  if (target.endsWith('/') && (attr !== undefined || !sourceIsDir)) throw new DfsError('ENOTDIR', `${target}: not a folder`);
  return normalizePath(target);
}

export interface PutFlags { chunkSize?: string | number; replication?: string | number; overwrite?: boolean }

export async function cmdPut(client: DfsClient, io: Io, local: string, remote: string, flags: PutFlags): Promise<number> {
  let chunkSizeBytes: number | undefined;
  try {
    chunkSizeBytes = flags.chunkSize === undefined ? undefined : parseSize(flags.chunkSize);
  } catch (e) {
    throw new UsageError('EINVAL', `invalid --chunk-size: ${(e as Error).message}`);
  }
  const chunkProblem = chunkSizeBytes === undefined ? undefined : chunkSizeProblem(chunkSizeBytes);
  if (chunkProblem) throw new UsageError('EINVAL', `invalid --chunk-size: '${flags.chunkSize}' (expected ${chunkProblem})`);
  const replication = flags.replication === undefined ? undefined : Number(flags.replication);
  const replicationBad = replication === undefined ? undefined : replicationProblem(replication);
  if (replicationBad) throw new UsageError('EINVAL', `invalid --replication: '${flags.replication}' (expected ${replicationBad})`);
  let source: Readable;
  let sizeHint: number | undefined;
  let name = basename(local);
  if (local === '-') {
    source = io.stdin;
    name = 'stdin';
  } else {
    try {
      const st = await statLocal(local);
      if (st.isDirectory()) throw new DfsError('EISDIR', local);
      sizeHint = st.isFile() ? st.size : undefined;
    } catch (e) {
      say(io, 'stderr', errorLine(e, 'stat', local));
      return EXIT_FAIL;
    }
    let fh: FileHandle;
    try {
      fh = await open(local, 'r'); // opened here, so that EACCES is this command's error, not an unhandled stream event
    } catch (e) {
      say(io, 'stderr', errorLine(e, 'open', local));
      return EXIT_FAIL;
    }
    source = fh.createReadStream({ highWaterMark: client.frameBytes });
  }
  let target = remote;
  try {
    target = await remoteTarget(client, remote, name);
    const stop = io.onInterrupt(() => source.destroy(new DfsError('CANCELLED', 'interrupted')));
    const bar = transferProgress({ enabled: io.progress, stream: io.stderr, verb: 'put', name: target, totalBytes: sizeHint });
    let size: number | undefined;
    let goal = 0;
    try {
      const attr = await client.put(source, target, { chunkSizeBytes, replication, overwrite: flags.overwrite ?? true, sizeHint, onProgress: bar?.onProgress });
      size = attr.size;
      goal = attr.replication;
    } finally {
      stop();
      bar?.finish(size !== undefined, size);
    }
    await warnIfUnderReplicated(client, io, target, goal);
    return EXIT_OK;
  } catch (e) {
    say(io, 'stderr', transferErrorLine(e, client.masterUnreachable, isDfsError(e, 'EEXIST') || isDfsError(e, 'ENOENT') ? 'create' : 'put', target));
    return EXIT_FAIL;
  }
}

/**
 * The master caps a new chunk's replicas at the live chunkservers (the rest are added when
 * servers join): a put that stored fewer copies than asked says so, as its only warning
 * otherwise went to the master's log. Best effort: a failed check says nothing.
 */
async function warnIfUnderReplicated(client: DfsClient, io: Io, path: string, goal: number): Promise<void> {
  if (goal <= 1) return;
  const chunks = await client.locate(path).catch(() => []);
  const fewest = Math.min(...chunks.map((c) => c.replicas.length));
  if (chunks.length === 0 || fewest >= goal) return;
  // a master restarted during the put lists replicas as their servers report them again: with
  // enough servers alive the copies are there (or being added), no warning
  const live = await client.aliveServers();
  if (live === undefined || live >= goal) return;
  say(io, 'stderr', `dfs: warning: '${path}' is stored with ${fewest} of ${goal} replicas (not enough live chunkservers); the master adds the others when servers join`);
}

/** A failure to make the local file of a `get`. */
class LocalTargetError extends Error {
  constructor(override readonly cause: unknown, readonly target: string) {
    super(`cannot create ${target}`);
  }
}

export async function cmdGet(client: DfsClient, io: Io, remote: string, local: string): Promise<number> {
  if (local === '-') return cmdCat(client, io, [remote]);
  let target = local;
  let inPlace = false;
  try {
    const st = await statLocal(local).catch(() => undefined);
    if (st?.isDirectory() || local.endsWith('/')) target = join(local, basename(normalizePath(remote)) || 'root');
    const existing = target === local ? st : await statLocal(target).catch(() => undefined);
    if (existing?.isDirectory()) throw new DfsError('EISDIR', `${target} is a directory`);
    // A device, FIFO or socket (/dev/null, a pipe) is written into as it is, like cp does: a
    // file renamed over it would replace it. A symlink keeps pointing where it did: the file it
    // points to is the one replaced.
    inPlace = existing !== undefined && !existing.isFile();
    if (existing?.isFile()) target = await realpath(target);
  } catch (e) {
    say(io, 'stderr', errorLine(e, 'get', remote));
    return EXIT_FAIL;
  }
  const temp = inPlace ? target : join(dirname(target), `.${basename(target)}.dfs-${process.pid}-${randomBytes(4).toString('hex')}`);
  const out = createWriteStream(temp, { flags: inPlace ? 'w' : 'wx' });
  const stop = io.onInterrupt(() => out.destroy(new DfsError('CANCELLED', 'interrupted')));
  const bar = transferProgress({ enabled: io.progress, stream: io.stderr, verb: 'get', name: remote });
  let size: number | undefined;
  try {
    try {
      await new Promise<void>((resolve, reject) => { out.once('open', () => resolve()); out.once('error', reject); });
    } catch (e) {
      // the local side (a missing or read-only folder): named as such, not the remote file
      throw new LocalTargetError(e, target);
    }
    const attr = await client.get(remote, out, { onProgress: bar?.onProgress });
    out.end();
    await finished(out);
    if (!inPlace) await rename(temp, target);
    size = attr.size;
    return EXIT_OK;
  } catch (e) {
    bar?.finish(false);
    out.destroy();
    if (!inPlace) await unlink(temp).catch(() => {});
    say(io, 'stderr', e instanceof LocalTargetError ? errorLine(e.cause, 'create', e.target) : transferErrorLine(e, client.masterUnreachable, 'get', remote));
    return EXIT_FAIL;
  } finally {
    stop();
    bar?.finish(size !== undefined, size);
  }
}

export async function cmdCat(client: DfsClient, io: Io, paths: string[]): Promise<number> {
  let status = EXIT_OK;
  for (const p of paths) {
    try {
      await client.get(p, io.stdout);
    } catch (e) {
      say(io, 'stderr', transferErrorLine(e, client.masterUnreachable, undefined, p));
      status = EXIT_FAIL;
    }
  }
  return status;
}

/**
 * `dfs ls [PATH...]` as coreutils lists its operands: those that are no folder first, in one
 * table named as typed, then each folder, under a `PATH:` header when there is more than one
 * operand (or with -R), a blank line between sections. An operand that cannot be listed is
 * reported and the others are listed still; the status is then 1. Operands keep their order.
 */
export async function cmdLs(client: DfsClient, io: Io, paths: string[], flags: { long?: boolean; recursive?: boolean }): Promise<number> {
  let status = EXIT_OK;
  const files: DirEntry[] = [];
  const dirs: string[] = [];
  for (const path of paths) {
    try {
      const attr = await client.stat(path);
      if (attr.type === 'DIRECTORY') dirs.push(normalizePath(path));
      else files.push({ name: path, attr });
    } catch (e) {
      say(io, 'stderr', errorLine(e, 'access', path));
      status = EXIT_FAIL;
    }
  }
  const out = { sections: 0 };
  if (files.length > 0) {
    say(io, 'stdout', formatListing(files, { long: flags.long }));
    out.sections++;
  }
  const header = paths.length > 1 || flags.recursive === true;
  for (const dir of dirs) status = Math.max(status, await listTree(client, io, dir, flags, header, out));
  return status;
}

/** One folder operand of ls: the folder, and with -R every folder below it, depth first, as ls -R. */
async function listTree(
  client: DfsClient, io: Io, dir: string, flags: { long?: boolean; recursive?: boolean }, header: boolean, out: { sections: number },
): Promise<number> {
  let status = EXIT_OK;
  const stack = [dir];
  while (stack.length > 0) {
    const next = stack.pop()!;
    const subdirs: string[] = [];
    status = Math.max(status, await listOne(client, io, next, flags.long, header, out, flags.recursive ? (d) => subdirs.push(d) : undefined));
    stack.push(...subdirs.reverse());
  }
  return status;
}

async function listOne(
  client: DfsClient, io: Io, dir: string, long: boolean | undefined, header: boolean, out: { sections: number }, onDir?: (path: string) => void,
): Promise<number> {
  const table = new ListingTable({ long });
  const subdirs: string[] = [];
  try {
    for await (const e of client.listAll(dir)) {
      table.add(e);
      if (onDir && e.attr?.type === 'DIRECTORY') subdirs.push(joinPath(dir, e.name));
    }
  } catch (e) {
    say(io, 'stderr', errorLine(e, 'open directory', dir));
    return EXIT_FAIL;
  }
  if (out.sections++ > 0) io.stdout.write('\n');
  if (header) say(io, 'stdout', `${dir}:`);
  await writeLines(io.stdout, table.lines());
  for (const d of subdirs) onDir?.(d);
  return EXIT_OK;
}

/** Writes lines in batches, waiting for the stream to drain between them (a listing can be large). */
async function writeLines(stream: Writable, lines: Iterable<string>): Promise<void> {
  let batch: string[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const text = batch.join('\n') + '\n';
    batch = [];
    if (stream.write(text)) return;
    await new Promise<void>((resolve) => {
      const done = (): void => { stream.off('drain', done); stream.off('close', done); resolve(); };
      stream.on('drain', done);
      stream.on('close', done);
    });
  };
  for (const line of lines) {
    batch.push(line);
    if (batch.length >= 1_000) await flush();
  }
  await flush();
}

export async function cmdMkdir(client: DfsClient, io: Io, paths: string[], flags: { parents?: boolean }): Promise<number> {
  let status = EXIT_OK;
  for (const p of paths) {
    try {
      await client.mkdir(p, { parents: flags.parents ?? false });
    } catch (e) {
      say(io, 'stderr', errorLine(e, 'create directory', p));
      status = EXIT_FAIL;
    }
  }
  return status;
}

/**
 * `dfs rm`: with `trashRetentionMs` > 0 and without `skipTrash`, PATH is renamed to
 * /.trash/<unixMs>/PATH (see src/common/trash.ts) and the master empties it after the retention;
 * paths already inside /.trash are deleted at once. A directory without -r fails with EISDIR either way.
 */
export async function cmdRm(
  client: DfsClient, io: Io, paths: string[],
  flags: { recursive?: boolean; force?: boolean; skipTrash?: boolean; trashRetentionMs?: number; nowMs?: () => number },
): Promise<number> {
  let status = EXIT_OK;
  const useTrash = !flags.skipTrash && (flags.trashRetentionMs ?? 0) > 0;
  for (const p of paths) {
    try {
      if (normalizePath(p) === '/') throw new DfsError('EPERM', 'refusing to remove the root');
      const kind = flags.recursive ? 'ANY' : 'FILE_ONLY';
      if (useTrash && !isInTrash(p) && (flags.recursive || (await client.stat(p)).type !== 'DIRECTORY')) {
        await moveToTrash(client, p, (flags.nowMs ?? Date.now)());
      } else {
        await client.delete(p, flags.recursive ? { recursive: true, kind } : { kind });
      }
    } catch (e) {
      if (flags.force && isDfsError(e, 'ENOENT')) continue;
      say(io, 'stderr', errorLine(e, 'remove', p));
      status = EXIT_FAIL;
    }
  }
  return status;
}

/** Renames PATH into its trash bucket, creating the bucket's parents; a name collision gets a suffix. */
async function moveToTrash(client: DfsClient, path: string, nowMs: number): Promise<void> {
  await client.stat(path); // ENOENT before any folder is created
  if (nameBytes(trashTarget(path, nowMs, TRASH_SUFFIXES_MAX)) > PATH_MAX_BYTES) {
    // a name near PATH_MAX: its trash path (/.trash/<ms>/PATH) could not exist
    throw new PathError('ENAMETOOLONG', `its path in the trash would be over ${PATH_MAX_BYTES} bytes, use --skip-trash`);
  }
  const [parent] = parentOf(trashTarget(path, nowMs));
  await client.mkdir(parent, { parents: true, mode: 0o700 });
  for (let attempt = 0; attempt <= TRASH_SUFFIXES_MAX; attempt++) {
    try {
      await client.rename(path, trashTarget(path, nowMs, attempt), { noReplace: true });
      return;
    } catch (e) {
      if (!isDfsError(e, 'EEXIST') || attempt === TRASH_SUFFIXES_MAX) throw e;
    }
  }
}

export async function cmdMv(client: DfsClient, io: Io, src: string, dst: string): Promise<number> {
  try {
    const [, name] = parentOf(normalizePath(src));
    const target = await remoteTarget(client, dst, name, (await client.stat(src)).type === 'DIRECTORY');
    await client.rename(src, target);
    return EXIT_OK;
  } catch (e) {
    say(io, 'stderr', errorLine(e, 'move', src, dst));
    return EXIT_FAIL;
  }
}

export async function cmdStat(client: DfsClient, io: Io, paths: string[]): Promise<number> {
  let status = EXIT_OK;
  for (const p of paths) {
    try {
      const attr = await client.stat(p);
      say(io, 'stdout', formatStat(normalizePath(p), attr));
      if (attr.type === 'REGULAR' && attr.chunkCount > 0) {
        for (const c of await client.locate(p)) {
          say(io, 'stdout', `  chunk ${c.index}: handle ${c.handle} v${c.version} on ${c.replicas.map((r) => `${r.serverId}@${r.address}`).join(', ') || '(no live replica)'}`);
        }
      }
    } catch (e) {
      say(io, 'stderr', errorLine(e, 'stat', p));
      status = EXIT_FAIL;
    }
  }
  return status;
}

export async function cmdNodes(client: DfsClient, io: Io): Promise<number> {
  const r = await client.nodesReply();
  say(io, 'stdout', formatNodes(r.nodes, Date.now()));
  for (const x of r.refused) {
    if (x.inUseBy !== '') {
      say(io, 'stderr', `dfs: warning: chunkserver ${x.serverId} at ${x.address} was refused: a running chunkserver at ${x.inUseBy} `
        + 'has the same id (give each chunkserver its own --id and data folder)');
      continue;
    }
    say(io, 'stderr', `dfs: warning: chunkserver ${x.serverId} at ${x.address} was refused: its data belongs to cluster ${x.clusterId}, `
      + `this master's namespace is cluster ${r.clusterId} (is the master running on the wrong meta folder?)`);
  }
  return EXIT_OK;
}

export async function cmdDf(client: DfsClient, io: Io): Promise<number> {
  say(io, 'stdout', formatDf(await client.statFs()));
  return EXIT_OK;
}
