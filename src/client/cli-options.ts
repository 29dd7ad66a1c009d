/**
 * How command-line flags map onto configuration keys (pure, table-tested). Flags win over
 * DFS_* environment variables, which win over the config file.
 */
import { DfsError } from '../common/errors';

/** Flag (camelCased as cac gives it) → dotted config key, per command ('*' = every command). */
const FLAG_KEYS: Record<string, Record<string, string>> = {
  '*': { master: 'master.address', logLevel: 'log.level', logFormat: 'log.format' },
  master: { listen: 'master.listen', metaDir: 'master.metaDir', httpListen: 'master.httpListen' },
  chunkserver: {
    listen: 'chunkserver.listen', dataDir: 'chunkserver.dataDir', id: 'chunkserver.id', advertise: 'chunkserver.advertise',
    httpListen: 'chunkserver.httpListen',
  },
  local: { dir: 'local.dir', chunkservers: 'local.chunkservers', listen: 'master.listen', httpListen: 'master.httpListen' },
};

const NUMERIC_KEYS = new Set(['local.chunkservers']);

/**
 * cac reads an empty option value (`--http-listen ""`, documented as "off") as the number 0; an
 * empty argument is carried past the parser as this, and the CLI gives every action "" back
 * (cli.ts, emptyArgsRestored); configOverrides reads it as "" too.
 */
export const EMPTY_ARG = '\u0000empty';

/** The config overrides of the flags given to `command`. Values cac parsed as numbers become strings unless numeric. */
export function configOverrides(command: string, options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const table = { ...FLAG_KEYS['*'], ...(FLAG_KEYS[command] ?? {}) };
  for (const [flag, key] of Object.entries(table)) {
    const value = options[flag];
    if (value === undefined || value === true || value === false) continue;
    if (value === EMPTY_ARG) {
      out[key] = '';
      continue;
    }
    if (NUMERIC_KEYS.has(key)) {
      const n = Number(value);
      if (!Number.isInteger(n)) throw new DfsError('BAD_CONFIG', `bad config value at "${key}": expected an integer, got ${String(value)}`);
      out[key] = n;
    } else {
      out[key] = String(value);
    }
  }
  return out;
}
