/**
 * Structured logging (pino) to stderr, one line per event.
 *
 * - Level: config `log.level`, which the CLI builds from the config file, then DFS_LOG_LEVEL,
 *   then --log-level (setLogLevel applies the result). Before any config is read the level is
 *   DFS_LOG_LEVEL or info.
 * - Format: config `log.format` (env DFS_LOG_FORMAT): `json` (one JSON object per line, for
 *   collectors), `pretty` (`HH:MM:SS.mmm LEVEL component: message key=value ...`) or `auto`
 *   = pretty when stderr is a terminal, JSON otherwise.
 * - Every logger is a child naming its `component`; warnings about another process carry its
 *   identity as a binding (`peer`, `serverId`, `master`, ...), shown as key=value.
 *
 * The one destination is shared by every child logger, so changing the format later (after the
 * config is read) also changes loggers created at module load time. Writes are synchronous
 * (like pino.destination({sync: true})) so nothing is lost at process.exit.
 */
import { writeSync } from 'node:fs';
import pino from 'pino';

export type Logger = pino.Logger;
export type LogFormat = 'auto' | 'json' | 'pretty';

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const LEVEL_COLORS: Record<number, string> = { 10: '90', 20: '36', 30: '32', 40: '33', 50: '31', 60: '35' };
/** Keys shown in the line's fixed columns, not repeated as key=value. */
const FIXED_KEYS = new Set(['level', 'time', 'msg', 'component', 'pid', 'hostname']);

let format: LogFormat = parseFormat(process.env.DFS_LOG_FORMAT) ?? 'auto';
let root: pino.Logger | undefined;

function parseFormat(value: string | undefined): LogFormat | undefined {
  return value === 'json' || value === 'pretty' || value === 'auto' ? value : undefined;
}

function pretty(): boolean {
  return format === 'pretty' || (format === 'auto' && process.stderr.isTTY === true);
}

/** A value as it appears after `key=`: bare when it has no blanks or quotes, else JSON-quoted. */
function showValue(v: unknown): string {
  if (typeof v === 'string') return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function pad2(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/**
 * Pure: one pino JSON line → `12:03:04.567 WARN  heartbeat: master unreachable master=127.0.0.1:7000`.
 * A line that is not JSON is returned as it is.
 */
export function formatPrettyLine(jsonLine: string, color = false): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(jsonLine) as Record<string, unknown>;
  } catch {
    return jsonLine.endsWith('\n') ? jsonLine : jsonLine + '\n';
  }
  const d = new Date(typeof rec.time === 'number' ? rec.time : Date.now());
  const time = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${pad2(d.getMilliseconds(), 3)}`;
  const levelNum = typeof rec.level === 'number' ? rec.level : 30;
  const name = (LEVEL_NAMES[levelNum] ?? String(levelNum)).padEnd(5);
  const level = color ? `\x1b[${LEVEL_COLORS[levelNum] ?? '0'}m${name}\x1b[0m` : name;
  const component = typeof rec.component === 'string' ? `${rec.component}: ` : '';
  const pairs: string[] = [];
  for (const [k, v] of Object.entries(rec)) if (!FIXED_KEYS.has(k) && v !== undefined) pairs.push(`${k}=${showValue(v)}`);
  const msg = typeof rec.msg === 'string' ? rec.msg : '';
  return `${time} ${level} ${component}${msg}${pairs.length > 0 ? ' ' + pairs.join(' ') : ''}\n`;
}

/** The shared destination: formats at write time, so setLogFormat applies to every logger. */
const destination = {
  write(line: string): void {
    const text = pretty() ? formatPrettyLine(line, process.stderr.isTTY === true && process.env.NO_COLOR === undefined) : line;
    try {
      writeSync(2, text);
    } catch {
      // stderr closed (EPIPE) or full (EAGAIN on a non-blocking pipe): a lost log line must not crash the process.
    }
  },
};

export function rootLogger(): pino.Logger {
  // a bad DFS_LOG_LEVEL is reported by the configuration check (naming it), not thrown by pino here
  const level = process.env.DFS_LOG_LEVEL;
  if (!root) root = pino({ level: level !== undefined && (level in pino.levels.values || level === 'silent') ? level : 'info', base: { pid: process.pid } }, destination);
  return root;
}

/** Sets the level of every logger (trace, debug, info, warn, error, fatal or silent). */
export function setLogLevel(level: string): void {
  rootLogger().level = level;
}

/** Sets the output format of every logger (see the header). */
export function setLogFormat(next: LogFormat): void {
  format = next;
}

export function logger(component: string, bindings: Record<string, unknown> = {}): pino.Logger {
  return rootLogger().child({ component, ...bindings });
}
