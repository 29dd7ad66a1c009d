/**
 * Pure text of the CLI: size parsing, `ls` lines, `stat`, `nodes` and `df` tables, and
 * coreutils-style error messages. No I/O, so every format is pinned by table tests
 * (test/client-cli-format.test.ts).
 */
import { DfsError, asDfsError, describeCode, type DfsErrorCode } from '../common/errors';
import { PathError } from '../common/paths';
import type { Attr, DirEntry, NodeInfo, StatFs } from './types';
import { msOfTimespec } from './util';

const SIZE_UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/**
 * "4096", "64K", "64M", "1G", "1.5M", "64MiB", "64MB" (binary units) → bytes.
 * Throws EINVAL for anything else or a non-integer byte count.
 */
export function parseSize(text: string | number): number {
  if (typeof text === 'number') {
    if (Number.isSafeInteger(text) && text >= 0) return text;
    throw new DfsError('EINVAL', `invalid size: ${text}`);
  }
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?$/i.exec(text.trim());
  if (!m) throw new DfsError('EINVAL', `invalid size: '${text}' (expected a number with an optional K, M or G suffix)`);
  const bytes = Number(m[1]) * SIZE_UNITS[m[2].toUpperCase()];
  if (!Number.isSafeInteger(bytes)) throw new DfsError('EINVAL', `invalid size: '${text}' is not a whole number of bytes`);
  return bytes;
}

/** 1536 → "1.5K", 0 → "0", 64 MiB → "64M" (like `ls -h`, binary units). */
export function formatBytes(bytes: number): string {
  const units = ['', 'K', 'M', 'G', 'T', 'P'];
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) { value /= 1024; i++; }
  if (i === 0) return String(bytes);
  const text = value >= 10 ? Math.round(value).toString() : value.toFixed(1);
  return text + units[i];
}

const TYPE_CHAR: Record<string, string> = {
  REGULAR: '-', DIRECTORY: 'd', SYMLINK: 'l', FIFO: 'p', CHAR_DEVICE: 'c', BLOCK_DEVICE: 'b', SOCKET: 's',
};

/** "drwxr-xr-x" from a file type and permission bits (setuid/setgid/sticky shown as s/S, t/T). */
export function modeString(type: string, mode: number): string {
  const rwx = (bits: number, special: boolean, specialChar: string): string => {
    const x = bits & 1 ? (special ? specialChar : 'x') : (special ? specialChar.toUpperCase() : '-');
    return (bits & 4 ? 'r' : '-') + (bits & 2 ? 'w' : '-') + x;
  };
  return (TYPE_CHAR[type] ?? '?')
    + rwx((mode >> 6) & 7, (mode & 0o4000) !== 0, 's')
    + rwx((mode >> 3) & 7, (mode & 0o2000) !== 0, 's')
    + rwx(mode & 7, (mode & 0o1000) !== 0, 't');
}

/** "2024-03-05 14:07" in local time (or UTC with utc=true, for tests). */
export function formatTime(ms: number, utc = false): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  const [y, mo, da, h, mi] = utc
    ? [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()]
    : [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes()];
  return `${y}-${p(mo)}-${p(da)} ${p(h)}:${p(mi)}`;
}

/**
 * `ls` lines: mode, replication ("-" for non-files), [uid gid with long], size, mtime, name
 * ("name -> target" for symlinks), columns aligned across the given entries.
 */
export function formatListing(entries: readonly DirEntry[], opts: { long?: boolean; utc?: boolean } = {}): string[] {
  const table = new ListingTable(opts);
  for (const e of entries) table.add(e);
  return [...table.lines()];
}

/**
 * The lines of an `ls` listing built one entry at a time. Each row is kept as its text (the cells
 * joined by NUL, which no name holds), not as the decoded entry: a folder of 200,000 files took
 * 380 MiB listed from DirEntry objects (1.9 KB each), as text about 100 bytes per entry.
 */
export class ListingTable {
  private readonly rows: string[] = [];
  private readonly widths: number[] = [];
  private readonly rightAligned: ReadonlySet<number>;

  constructor(private readonly opts: { long?: boolean; utc?: boolean } = {}) {
    this.rightAligned = new Set([1, 2, 3, 4].slice(0, opts.long ? 4 : 2));
  }

  add(e: DirEntry): void {
    const cells = listingCells(e, this.opts);
    widen(this.widths, cells);
    this.rows.push(cells.join('\0'));
  }

  *lines(): Iterable<string> {
    for (const row of this.rows) yield padRow(row.split('\0'), this.widths, this.rightAligned);
  }
}

function listingCells(e: DirEntry, opts: { long?: boolean; utc?: boolean }): string[] {
  const a = e.attr;
  if (!a) return ['?', '?', ...(opts.long ? ['?', '?'] : []), '?', '?', e.name];
  const name = a.type === 'SYMLINK' ? `${e.name} -> ${a.symlinkTarget}` : e.name;
  const repl = a.type === 'REGULAR' ? String(a.replication) : '-';
  const owner = opts.long ? [String(a.uid), String(a.gid)] : [];
  return [modeString(a.type, a.mode), repl, ...owner, String(a.size), formatTime(msOfTimespec(a.mtime), opts.utc), name];
}

/** Joins rows into lines with single spaces, padding every column but the last to its widest cell. */
export function alignColumns(rows: readonly string[][], rightAligned: ReadonlySet<number> = new Set()): string[] {
  const widths: number[] = [];
  for (const row of rows) widen(widths, row);
  return rows.map((row) => padRow(row, widths, rightAligned));
}

function widen(widths: number[], cells: readonly string[]): void {
  cells.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, cell.length); });
}

function padRow(cells: readonly string[], widths: readonly number[], rightAligned: ReadonlySet<number>): string {
  return cells.map((cell, i) => {
    if (i === cells.length - 1) return cell;
    return rightAligned.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]);
  }).join(' ');
}

const TYPE_NAME: Record<string, string> = {
  REGULAR: 'regular file', DIRECTORY: 'directory', SYMLINK: 'symbolic link', FIFO: 'fifo',
  CHAR_DEVICE: 'character special file', BLOCK_DEVICE: 'block special file', SOCKET: 'socket',
};

/** `dfs stat` output: every attribute, one "Key: value" per line. */
export function formatStat(path: string, a: Attr, opts: { utc?: boolean } = {}): string[] {
  const time = (t: Attr['mtime']): string => {
    const ms = msOfTimespec(t);
    return `${formatTime(ms, opts.utc)} (${(t?.sec ?? 0)}.${String(t?.nsec ?? 0).padStart(9, '0')})`;
  };
  const lines = [
    `  File: ${path}${a.type === 'SYMLINK' ? ` -> ${a.symlinkTarget}` : ''}`,
    `  Type: ${TYPE_NAME[a.type] ?? a.type}`,
    `  Size: ${a.size}`,
    ` Inode: ${a.ino}`,
    ` Links: ${a.nlink}`,
    `  Mode: (${(a.mode & 0o7777).toString(8).padStart(4, '0')}/${modeString(a.type, a.mode)})`,
    `   Uid: ${a.uid}`,
    `   Gid: ${a.gid}`,
    `Access: ${time(a.atime)}`,
    `Modify: ${time(a.mtime)}`,
    `Change: ${time(a.ctime)}`,
  ];
  if (a.type === 'REGULAR' || a.type === 'DIRECTORY') {
    lines.push(`Chunk size: ${a.chunkSize}`, `Replication: ${a.replication}`);
  }
  if (a.type === 'REGULAR') {
    lines.push(`Chunks: ${a.chunkCount}`, `SHA-256: ${a.sha256.length > 0 ? a.sha256.toString('hex') : '-'}`);
  }
  return lines;
}

/** `dfs nodes` table with a header row. */
export function formatNodes(nodes: readonly NodeInfo[], nowMs: number): string[] {
  const rows = [['ID', 'ADDRESS', 'STATE', 'CAPACITY', 'USED', 'FREE', 'CHUNKS', 'WRITES', 'HEARTBEAT']];
  for (const n of [...nodes].sort((a, b) => a.serverId.localeCompare(b.serverId))) {
    const age = n.lastHeartbeatUnixMs > 0 ? `${((nowMs - n.lastHeartbeatUnixMs) / 1000).toFixed(1)}s ago` : 'never';
    const state = n.state === 'DECOMMISSIONING' ? `DECOMMISSIONING (${n.replicasToMove} to copy)`
      : n.unreachable && n.state === 'ALIVE' ? 'UNREACHABLE' : n.state;
    rows.push([n.serverId, n.address, state, formatBytes(n.capacityBytes), formatBytes(n.usedBytes), formatBytes(n.freeBytes),
      String(n.chunkCount), String(n.activeWrites), age]);
  }
  return alignColumns(rows, new Set([3, 4, 5, 6, 7]));
}

/** `dfs df`: a header and one row. */
export function formatDf(s: StatFs): string[] {
  const usePct = s.capacityBytes > 0 ? `${Math.ceil((s.usedBytes / s.capacityBytes) * 100)}%` : '-';
  return alignColumns([
    ['CAPACITY', 'USED', 'FREE', 'USE%', 'INODES', 'CHUNKS', 'SERVERS'],
    [formatBytes(s.capacityBytes), formatBytes(s.usedBytes), formatBytes(s.freeBytes), usePct, String(s.files), String(s.chunks), String(s.liveServers)],
  ], new Set([0, 1, 2, 3, 4, 5])).concat(s.safeMode ? ['Safe mode is ON: no re-replication or deletion yet (see dfs safemode)'] : []);
}

/**
 * A coreutils-style message: `dfs: cannot stat '/x': No such file or directory`.
 * `action` is the phrase after "cannot" ("stat", "create directory", "remove", …); without an
 * action the path alone leads (`dfs: /x: Is a directory`, as cat prints). Errors of the data
 * path (EIO, CHECKSUM_MISMATCH) add their message, which names the chunk and what went wrong.
 */
export function errorLine(err: unknown, action: string | undefined, ...paths: string[]): string {
  return formatErrorLine(reasonOf(asDfsError(err), false), action, paths);
}

/**
 * errorLine of a put, get or cat. Past the master, such a command fails on the data path: a
 * chunk no live server holds, a replica that cannot be reached or is corrupt. That reads as the
 * mount reports it (UNAVAILABLE as "Input/output error") with the cause, as HDFS's "Could not
 * obtain block": `dfs: cannot get '/f': Input/output error (chunk 0 (handle 235): no live replica)`.
 * When the master itself could not be reached (`masterUnreachable`, DfsClient's flag) the line
 * stays short: the CLI adds "is the master running at …?".
 */
export function transferErrorLine(err: unknown, masterUnreachable: boolean, action: string | undefined, ...paths: string[]): string {
  return formatErrorLine(reasonOf(asDfsError(err), !masterUnreachable), action, paths);
}

/** Codes only chunk reads and writes (or the master's own disk) raise: the code alone does not say which chunk or why. */
const DATA_PATH_CODES: ReadonlySet<DfsErrorCode> = new Set(['EIO', 'CHECKSUM_MISMATCH']);
/** Codes of a server that could not be reached: on the data path, a chunkserver. */
const TRANSPORT_CODES: ReadonlySet<DfsErrorCode> = new Set(['UNAVAILABLE', 'ETIMEDOUT']);

/** The text after the colon; `dataPath`: transport failures are a chunkserver's, worth their detail. */
function reasonOf(e: DfsError, dataPath: boolean): string {
  if (e.code === 'INTERNAL' || e.code === 'BAD_CONFIG') return e.message;
  if (e.code === 'CANCELLED') return 'Interrupted';
  if (e instanceof PathError) return `${describeCode(e.code)} (${e.message.replace(/: .*$/, '')})`;
  // a local file's errno (Node's "EIO: i/o error, read") says no more than its code
  const local = typeof (e.cause as NodeJS.ErrnoException | undefined)?.syscall === 'string';
  const detail = e.message.length > 0 && !local ? ` (${e.message})` : '';
  if (DATA_PATH_CODES.has(e.code)) return describeCode(e.code) + detail;
  if (dataPath && TRANSPORT_CODES.has(e.code)) return describeCode(e.code === 'UNAVAILABLE' ? 'EIO' : e.code) + detail;
  return describeCode(e.code);
}

function formatErrorLine(reason: string, action: string | undefined, paths: string[]): string {
  const quoted = paths.map((p) => `'${p}'`);
  if (action === undefined) return `dfs: ${paths.join(' ')}: ${reason}`;
  const subject = quoted.length === 2 ? `${quoted[0]} to ${quoted[1]}` : quoted.join(' ');
  return `dfs: cannot ${action}${subject ? ' ' + subject : ''}: ${reason}`;
}

/** "12.0M / 64.0M (18%)" or "12.0M" when the total is unknown. */
export function formatProgress(doneBytes: number, totalBytes?: number): string {
  if (totalBytes === undefined || totalBytes === 0) return formatBytes(doneBytes);
  return `${formatBytes(doneBytes)} / ${formatBytes(totalBytes)} (${Math.floor((doneBytes / totalBytes) * 100)}%)`;
}
