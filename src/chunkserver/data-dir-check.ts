/**
 * Whether a running chunkserver still has its data folder: `in_use.lock` there, naming this
 * process, and `chunks/` a folder.
 *
 * A data folder deleted behind a running chunkserver (found by black-box testing) left a server
 * that logged "master unreachable" (its heartbeat's statfs failed with ENOENT), went DEAD, then
 * had `chunks/` made again by copies it was asked for and came back ALIVE without its lock, so
 * a second chunkserver could have taken the same folder. HDFS's datanode shuts down when its
 * volumes fail; so does a chunkserver (chunkserver.ts checks every heartbeat interval and stops
 * itself; `dfs chunkserver` then exits 1).
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { LOCK_FILE } from '../common/data-dir';
import { isProcessFailure } from './disk-errors';

/**
 * What is wrong with `dataDir` for this process, or undefined when it is fine. A failure of
 * the process itself (EMFILE …) says nothing about the folder: undefined (checked again later).
 */
export async function dataDirProblem(dataDir: string): Promise<string | undefined> {
  const lock = join(dataDir, LOCK_FILE);
  try {
    const text = await fsp.readFile(lock, 'utf8');
    const pid = (JSON.parse(text) as { pid?: unknown }).pid;
    if (pid !== process.pid) return `${lock} names another process (pid ${String(pid)})`;
    const chunks = join(dataDir, 'chunks');
    if (!(await fsp.stat(chunks)).isDirectory()) return `${chunks} is not a folder`;
    return undefined;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err instanceof SyntaxError) return `${lock} is not this server's lock`;
    if (isProcessFailure(e)) return undefined;
    return err.code === 'ENOENT' ? `${err.path ?? lock} is gone (the data folder was deleted or replaced)` : err.message;
  }
}
