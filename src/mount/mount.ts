/**
 * Mounting the file system with FUSE (our patched fuse-native in ./native, over Debian's libfuse
 * 2, multi-threaded loop: each kernel request waits in its libfuse thread for the JS reply, so
 * handlers run concurrently; each handler gets the caller's uid/gid/pid/umask).
 *
 * Options: `big_writes,max_write=131072` (128 KiB writes instead of 4 KiB), `use_ino` (st_ino is the master's inode number, so hard links show one inode:
 * `cp -a` and `rsync -H` find them), attribute/entry timeouts from `mount.attrTimeoutMs`, `default_permissions` (the
 * kernel checks modes), `allow_other`. Not `hard_remove`: libfuse 2 then answers fstat(2) of an
 * unlinked open file with ENOENT itself; without it libfuse renames such a file to
 * `.fuse_hidden*`, which the mount turns into an unlink in the master (nothing, when a rename
 * over the file follows) plus a local alias of the inode (hidden-names.ts), so no such name shows. The master's session keeps an unlinked inode
 * alive (an orphan) until `client.release`, whichever mount unlinked it.
 */
import assert from 'node:assert';
import { execFile, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DfsError } from '../common/errors';
import { logger, type Logger } from '../common/logger';
import type { Config } from '../common/config';
import type { DfsClientApi } from '../client/types';
import { buildOps } from './fuse-ops';
import { OpenFiles } from './open-files';
import { withAttrCache } from './attr-cache';
import { FuseMount, isMountpointRefusal } from './native/fuse-binding';
import { MountLocks } from './locks';

export interface MountOptions {
  config: Config;
  masterAddress: string;
  mountpoint: string;
  /** Default: a new DfsClient with a random session id (closed on unmount). */
  client?: DfsClientApi;
}

export interface MountHandle {
  mountpoint: string;
  /** Flushes open files (best effort), unmounts, and falls back to forceUnmount. Never rejects. */
  unmount(): Promise<void>;
  /** Resolves when this mount went away without unmount() (`dfs umount`, `fusermount -u`). */
  gone: Promise<void>;
  /**
   * The process exits at once (a second Ctrl-C while unmount() waits for a master or a flush):
   * the folder is detached now if this mount still serves it, so no dead mount ("Transport
   * endpoint is not connected") stays behind. Synchronous; never throws.
   */
  abandon(): void;
}

/** How often a mount checks that libfuse's loop still runs (FuseMount.ended). */
const GONE_POLL_MS = 1_000;

const FUSE_MAX_WRITE_BYTES = 131072;
const FUSECTL_DIR = '/sys/fs/fuse/connections';
const COMMAND_TIMEOUT_MS = 10_000;
/**
 * The master calls of an unmount (releases, EndSession) wait for a master that is down (the
 * client waits for it, see createClient) at most this long: the session expires by itself.
 */
const UNMOUNT_MASTER_WAIT_MS = 5_000;

/**
 * Mounts the namespace at `mountpoint` (created if missing; a dead mount left there is cleared).
 * Resolves once the kernel sent INIT. Rejects with DfsError EIO when the mount fails.
 */
export async function startMount(opts: MountOptions): Promise<MountHandle> {
  const mountpoint = resolve(opts.mountpoint);
  const log = logger('mount', { mountpoint });
  const ownClient = !opts.client;
  // stat answered from attributes seen within attrTimeoutMs, like the kernel's own cache (attr-cache.ts)
  const client = withAttrCache(opts.client ?? createClient(opts), opts.config.mount.attrTimeoutMs);
  const files = new OpenFiles(client, opts.config.mount, log);
  const timeoutSec = opts.config.mount.attrTimeoutMs / 1000;
  const c = opts.config.client;
  const metaTimeoutMs = Math.max(15_000, 2 * c.rpcTimeoutMs);
  const dataTimeoutMs = Math.max(metaTimeoutMs, (c.retries + 1) * (c.dataTimeoutMs + c.rpcTimeoutMs));
  const locks = new MountLocks(client, log);
  const fuse = new FuseMount(mountpoint, buildOps(client, files, log, locks, opts.config.mount.attrTimeoutMs), {
    force: true,
    options: [
      'allow_other', 'default_permissions', 'fsname=dfs', 'subtype=dfs', 'big_writes', 'use_ino',
      `max_write=${FUSE_MAX_WRITE_BYTES}`, `attr_timeout=${timeoutSec}`, `entry_timeout=${timeoutSec}`,
    ],
    // a safety net only: the client's own deadlines fail a call first (lock/flock: none, they wait)
    timeoutsMs: { default: metaTimeoutMs, read: dataTimeoutMs, write: dataTimeoutMs, flush: dataTimeoutMs, fsync: dataTimeoutMs, release: dataTimeoutMs, truncate: dataTimeoutMs, ftruncate: dataTimeoutMs, utimens: dataTimeoutMs, fallocate: dataTimeoutMs },
  });

  try {
    // a master that cannot be reached at all fails the mount at once, as it fails any command
    // (later, a master restart is waited out: see the README)
    await client.stat('/');
  } catch (e) {
    if (ownClient) client.close();
    throw e;
  }
  try {
    await fuse.mount();
  } catch (e) {
    // libfuse mounted, then failed to start (bad option): do not leave that mount behind
    if ((e as Error).message === 'fuse failed') await forceUnmount(mountpoint);
    if (ownClient) client.close();
    const code = (e as NodeJS.ErrnoException).code;
    throw new DfsError(isMountpointRefusal(code) ? code : 'EIO', `cannot mount at ${mountpoint}: ${(e as Error).message}`, { cause: e });
  }

  const state = new MountState(log);
  state.to('MOUNTED');
  // Mounted while libfuse's loop runs: once it returned, the folder (even mounted again, by
  // someone else: mount ids and device numbers are reused at once) is not ours to unmount.
  let stopWatching = (): void => {};
  const gone = new Promise<void>((resolveGone) => {
    const timer = setInterval(() => {
      if (!fuse.ended()) return;
      log.warn('unmounted from outside');
      clearInterval(timer);
      resolveGone();
    }, GONE_POLL_MS);
    timer.unref();
    stopWatching = () => clearInterval(timer);
  });
  let unmounting: Promise<void> | null = null;
  const unmount = async (): Promise<void> => {
    state.to('UNMOUNTING');
    stopWatching();
    files.stop();
    await files.drainAll();
    locks.close(); // lock waits end with EINTR; the session's locks go with it below
    if (!fuse.ended()) {
      const err = await fuse.unmount();
      if (err) log.warn({ err: err.message.split('\n')[0] }, 'fusermount -u failed: forcing');
      await forceUnmount(mountpoint); // a no-op unless it is somehow still mounted
    }
    await files.drainAll(); // a write that was under way at the first drain
    // as umount of a local file system: what was written is durable (alongside the session's end)
    const synced = files.syncAll();
    const sessionEnd = (async () => {
      await Promise.all(files.openInodes().map((ino) => client.release(ino).catch(() => undefined)));
      // the master drops this session's locks and opens now, not after cluster.sessionTimeoutMs
      if (ownClient) await client.endSession().catch((e) => log.warn({ err: (e as Error).message }, 'EndSession failed: locks go when the session expires'));
    })();
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = await Promise.race([
      sessionEnd.then(() => false),
      new Promise<boolean>((res) => { timer = setTimeout(() => res(true), UNMOUNT_MASTER_WAIT_MS); }),
    ]);
    clearTimeout(timer);
    if (gaveUp) log.warn('the master did not answer: open files and locks of this mount go when its session expires');
    await synced;
    if (ownClient) client.close();
    state.to('UNMOUNTED');
  };
  return {
    mountpoint,
    unmount: () => (unmounting ??= unmount().catch((e) => log.error({ err: (e as Error).message }, 'unmount error'))),
    gone,
    abandon: () => {
      if (fuse.ended()) return;
      const r = spawnSync('fusermount', ['-uz', mountpoint], { timeout: COMMAND_TIMEOUT_MS, stdio: 'ignore' });
      if (r.status !== 0) spawnSync('umount', ['-l', mountpoint], { timeout: COMMAND_TIMEOUT_MS, stdio: 'ignore' });
    },
  };
}

type MountStateName = 'MOUNTING' | 'MOUNTED' | 'UNMOUNTING' | 'UNMOUNTED';

/** The mount's lifecycle, changed in one place that checks the order and logs `from -> to`. */
class MountState {
  private name: MountStateName = 'MOUNTING';
  private static readonly NEXT: Record<MountStateName, MountStateName[]> = {
    MOUNTING: ['MOUNTED'], MOUNTED: ['UNMOUNTING'], UNMOUNTING: ['UNMOUNTED'], UNMOUNTED: [],
  };

  constructor(private readonly log: Logger) {}

  to(next: MountStateName): void {
    assert(MountState.NEXT[this.name].includes(next), `mount state ${this.name} -> ${next}`);
    this.log.info({ from: this.name, to: next }, `mount ${this.name} -> ${next}`);
    this.name = next;
  }
}

function createClient(opts: MountOptions): DfsClientApi {
  // required lazily: the mount does not depend on the client's transport at load time
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DfsClient } = require('../client/dfs-client') as { DfsClient: new (o: { masterAddress: string; config: Config; sessionId: string; waitForMaster: boolean }) => DfsClientApi };
  // a restart of the master makes operations wait for it (up to client.rpcTimeoutMs), not fail
  // calls fail at once until the master answered the first one (the Stat before mounting), then
  // wait out its restarts
  return new DfsClient({ masterAddress: opts.masterAddress, config: opts.config, sessionId: randomUUID(), waitForMaster: false });
}

/**
 * Tears down a FUSE mount even when its server hangs or died: aborts the FUSE connection
 * (mounting fusectl first if needed) so pending requests fail, then `umount -l`. Touches
 * nothing under the mount itself. Never throws.
 */
export async function forceUnmount(mountpoint: string): Promise<void> {
  const target = resolve(mountpoint);
  try {
    const devices = await fuseDevicesAt(target);
    if (devices.length > 0) await ensureFusectl();
    for (const dev of devices) await writeFile(`${FUSECTL_DIR}/${dev}/abort`, '1').catch(() => undefined);
    if (devices.length > 0) await run('umount', ['-l', target]);
  } catch {
    // best effort by contract
  }
}

/** Connection ids (the superblock's dev_t) of the FUSE mounts at `target`, from mountinfo. */
async function fuseDevicesAt(target: string): Promise<number[]> {
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  const out: number[] = [];
  for (const line of info.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right || !right.startsWith('fuse')) continue;
    const fields = left.split(' ');
    if (unescapeMountPath(fields[4] ?? '') !== target) continue;
    const [major, minor] = (fields[2] ?? '').split(':').map(Number);
    if (Number.isInteger(major) && Number.isInteger(minor)) out.push(major * 2 ** 20 + minor);
  }
  return out;
}

function unescapeMountPath(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

async function ensureFusectl(): Promise<void> {
  const mounts = await readFile('/proc/self/mounts', 'utf8');
  if (mounts.split('\n').some((l) => l.split(' ')[2] === 'fusectl')) return;
  await run('mount', ['-t', 'fusectl', 'none', FUSECTL_DIR]);
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((res) => execFile(cmd, args, { timeout: COMMAND_TIMEOUT_MS }, () => res()));
}
