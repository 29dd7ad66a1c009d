/**
 * Structured logging (pino) to stderr. The level comes from config `log.level`, overridden by
 * the DFS_LOG_LEVEL environment variable. Every logger is a child naming its component.
 */
import pino from 'pino';

export type Logger = pino.Logger;

let root: pino.Logger | undefined;

export function rootLogger(): pino.Logger {
  if (!root) {
    root = pino({ level: process.env.DFS_LOG_LEVEL ?? 'info', base: { pid: process.pid } }, pino.destination({ fd: 2, sync: true }));
  }
  return root;
}

export function setLogLevel(level: string): void {
  rootLogger().level = process.env.DFS_LOG_LEVEL ?? level;
}

export function logger(component: string, bindings: Record<string, unknown> = {}): pino.Logger {
  return rootLogger().child({ component, ...bindings });
}
