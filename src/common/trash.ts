/**
 * Trash layout (as HDFS's .Trash checkpoints): `dfs rm` moves PATH to
 * `/.trash/<unixMs>/PATH`, where <unixMs> is the time of the removal. The folder name is the
 * deletion time, so no metadata field is needed: the master's maintenance loop deletes every
 * bucket `/.trash/<unixMs>` older than `cluster.trashRetentionMs`. A name collision inside one
 * bucket (two removals of the same path in the same millisecond) gets a `.1`, `.2` … suffix.
 *
 * Pure functions only; the CLI (src/client/cli-commands.ts) and the master (src/master/master.ts)
 * do the namespace calls. The mount's unlink/rmdir never use the trash (POSIX semantics).
 */
import { normalizePath } from './paths';

export const TRASH_ROOT = '/.trash';
/** Collision suffixes tried before a removal into the trash gives up with EEXIST. */
export const TRASH_SUFFIXES_MAX = 100;

/** True for /.trash itself and everything below it: `rm` of such a path deletes at once. */
export function isInTrash(path: string): boolean {
  const p = normalizePath(path);
  return p === TRASH_ROOT || p.startsWith(TRASH_ROOT + '/');
}

/** Where PATH goes when removed at `nowMs`; `attempt` > 0 adds the collision suffix. */
export function trashTarget(path: string, nowMs: number, attempt = 0): string {
  const p = normalizePath(path);
  return `${TRASH_ROOT}/${Math.floor(nowMs)}${p}${attempt > 0 ? `.${attempt}` : ''}`;
}

/** The bucket names (children of /.trash) whose retention ended at `nowMs`; other names are kept. */
export function expiredTrashBuckets(names: readonly string[], nowMs: number, retentionMs: number): string[] {
  if (retentionMs <= 0) return [];
  return names.filter((n) => /^\d{1,16}$/.test(n) && Number(n) + retentionMs <= nowMs);
}
