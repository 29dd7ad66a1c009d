/**
 * The FUSE operations: thin async adapters from the binding's callbacks (native/fuse-binding.ts)
 * to the client library and the open-file table. Every handler replies exactly once: a value, or
 * `-errno` computed by `errnoOf` (the one place errors become errnos). No handler blocks the
 * event loop or touches the local file system (least of all the mount itself: that would
 * deadlock).
 *
 * Identity: every handler gets the caller's uid/gid/pid. New files, directories, symlinks and
 * nodes belong to the caller (group and setgid from a setgid parent: ownership.ts). Permission
 * checks are the kernel's (`default_permissions`, see ownership.ts for the list), so the kernel
 * answers access(2) itself and never sends ACCESS; chmod/chown/utimens arrive here already
 * allowed (including the kernel's own chmod that clears suid/sgid after a write).
 */
import type { FuseContext, FuseOps, FuseStat, FuseTimespec } from './native/fuse-binding';
import { UTIME_NOW, UTIME_OMIT } from './native/fuse-binding';
import { errnoOf } from '../common/errors';
import type { Logger } from '../common/logger';
import type { Attr, DfsClientApi, SpecialFileType } from '../client/types';
import type { SetAttrRequest } from '../generated/dfs/SetAttrRequest';
import { attrToStat, isWritable, O_ACCMODE, O_APPEND, O_EXCL, O_TRUNC, O_WRONLY, statFsToFuse } from './fuse-stat';
import { KernelSizes } from './kernel-sizes';
import { LOCK_UN, type MountLocks } from './locks';
import type { OpenFiles } from './open-files';
import { dropsSetgid } from './ownership';
import { PERMISSION_BITS, S_ISGID } from '../common/inode-owner';
import { readFile } from 'node:fs/promises';
import { DirCursors } from './dir-cursors';
import { HiddenNames, isHiddenName } from './hidden-names';
import { DfsError } from '../common/errors';
import { constants as os } from 'node:os';

type Reply = (code: number, ...values: any[]) => void;

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const SPECIAL_TYPE_OF_MODE = new Map<number, SpecialFileType>([
  [0o010000, 'FIFO'], [0o020000, 'CHAR_DEVICE'], [0o060000, 'BLOCK_DEVICE'], [0o140000, 'SOCKET'],
]);
/**
 * Extended attribute namespaces the mount stores. security.* (capabilities, LSM labels) and
 * system.* (ACLs) are not: security.capability is asked before every write, so it must not
 * cost a master round trip.
 */
const STORED_XATTR_PREFIXES = ['user.', 'trusted.'];

const NO_ID = 0xffffffff;
/** How long an open that answered ESTALE for a gone name waits for the kernel's retry (goneOnOpen), and how many it remembers. */
const GONE_RETRY_WINDOW_MS = 2_000;
const GONE_ON_OPEN_MAX = 1_024;
/** Answers about the namespace, not failures of the file system: logged at debug only. */
const EXPECTED_ERRNOS = new Set([
  os.errno.ENOENT, os.errno.EEXIST, os.errno.ENOTEMPTY, os.errno.ENOTDIR, os.errno.EISDIR,
  os.errno.EACCES, os.errno.EPERM, os.errno.ENAMETOOLONG, os.errno.EXDEV, os.errno.EINVAL,
  os.errno.ENODATA, os.errno.ERANGE, os.errno.E2BIG, os.errno.EOPNOTSUPP, os.errno.EMLINK,
]);

/** A utimensat(2) time as a SetAttr change: omitted, the master's now, or the given time. */
function timeChange(t: FuseTimespec, key: 'atime' | 'mtime'): Record<string, unknown> {
  if (t.nsec === UTIME_OMIT) return {};
  if (t.nsec === UTIME_NOW) return { [`${key}Now`]: true };
  return { [key]: { sec: t.sec, nsec: t.nsec } };
}

/**
 * A write-only O_APPEND descriptor (a shell's `>>`, a log) bypasses the kernel's page cache
 * (direct_io): the master places its writes (ReserveAppend), after what other mounts appended,
 * not at the end this kernel knows, where the page cache would have put them for this mount's
 * readers. A read-write one keeps the page cache, as it may be mapped (a shared mapping of a
 * direct_io descriptor fails with ENODEV); the pages it misplaces so last until the kernel
 * next refreshes the file's attributes and finds another size.
 */
function appendOnly(flags: number): boolean {
  return (flags & O_APPEND) !== 0 && (flags & O_ACCMODE) === O_WRONLY;
}

/**
 * The mount's operations. `locks` (cluster-wide fcntl/flock locks through the master) adds the
 * lock and flock operations; without it the kernel keeps locks local to this machine.
 */
export function buildOps(client: DfsClientApi, files: OpenFiles, log: Logger, locks?: MountLocks, attrTimeoutMs = 0): FuseOps {
  const hidden = new HiddenNames();
  const kernelSizes = new KernelSizes(attrTimeoutMs);
  const dirs = new DirCursors(client, (attr) => attrToStat(attr, files.reportedSize(attr)));
  /**
   * What Create answered, by the handle it opened: libfuse asks for the new file's attributes
   * with that handle (fgetattr) before it replies to the kernel, and gets these, with no round
   * trip. One entry per handle at most, gone at that fgetattr (or the release).
   */
  const createdAttrs = new Map<number, Attr>();
  /**
   * Opens answered ESTALE because the name was gone (pid:path → when): the kernel still held the
   * name from a lookup made before another mount or the CLI removed it (attr/entry timeout), so
   * `echo x > f` right after another mount's `rm f` failed with ENOENT where a local disk creates
   * the file. The kernel's one retry looks the name up again and then creates it (open gets no
   * O_CREAT from the kernel, so it cannot tell); the retry's own ENOENT goes to the caller.
   */
  const goneOnOpen = new Map<string, number>();
  /** Runs `work`; an array result is the reply's values after code 0, a number is the code. */
  function reply(op: string, path: string, cb: Reply, work: () => Promise<unknown[] | number | void>): void {
    work().then(
      (r) => send(cb, Array.isArray(r) ? [0, ...r] : [typeof r === 'number' ? r : 0]),
      (e) => {
        const errno = errnoOf(e);
        const level = EXPECTED_ERRNOS.has(errno) ? 'debug' : 'warn';
        log[level]({ op, path, errno, err: (e as Error)?.message }, 'fuse op failed');
        send(cb, [-errno]);
      },
    );
  }

  function send(cb: Reply, args: unknown[]): void {
    try {
      (cb as (...a: unknown[]) => void)(...args);
    } catch (e) {
      log.error({ err: (e as Error)?.message }, 'fuse reply failed');
    }
  }

  /**
   * The inode behind a path that is no name in the master: a libfuse hidden name (hidden-names.ts),
   * or no path at all (an open file whose folder went away) with the handle `fd`.
   */
  function inoBehind(path: string, fd?: number): number | undefined {
    if (path !== '') return hidden.inoOf(path);
    if (fd === undefined) throw new DfsError('ENOENT', 'no path and no file handle');
    return files.get(fd).file.ino;
  }

  function attrAt(path: string, fd?: number): Promise<Attr> {
    const ino = inoBehind(path, fd);
    return ino === undefined ? client.stat(path) : client.statIno(ino);
  }

  function setAttrAt(path: string, change: Omit<SetAttrRequest, 'path' | 'ino'>, fd?: number): Promise<Attr> {
    const ino = inoBehind(path, fd);
    return client.setAttr(ino === undefined ? { ...change, path } : { ...change, ino, path: '' });
  }

  /**
   * getattr, and fgetattr with the handle `fd`: the attributes of the open file itself, which
   * need not be what its path names now (another mount or the CLI renamed a file over it, put
   * one, or unlinked it: the kernel asks with the handle when a read passes the size it cached,
   * and that reader must go on to the end of the file it opened).
   */
  async function statOf(path: string, fd?: number): Promise<FuseStat> {
    const ino = fd !== undefined ? files.get(fd).file.ino : inoBehind(path);
    const created = fd !== undefined ? createdAttrs.get(fd) : undefined;
    if (fd !== undefined) createdAttrs.delete(fd);
    const mark = files.changeMark();
    const attr = created ?? (ino === undefined ? await client.stat(path) : await client.statIno(ino));
    // another mount or the CLI changed a file open here: the kernel takes the new size from this
    // reply (and drops its pages when the size moved), so this mount's cached bytes go too
    if (!created && attr.type === 'REGULAR' && files.openCount > 0 && files.revalidate(attr, mark)) {
      log.debug({ path, ino: attr.ino, size: attr.size }, 'open file changed elsewhere: its cached bytes dropped');
    }
    const st = attrToStat(attr, files.reportedSize(attr));
    const alias = path === '' || hidden.inoOf(path) !== undefined;
    // the kernel keeps these attributes for the node libfuse calls `path`, whichever inode they
    // are of: an open of `path` that finds another size must make it look again (kernel-sizes.ts)
    if (!alias && attr.type === 'REGULAR') kernelSizes.saw(path, st.size);
    // libfuse takes one off st_nlink of its hidden nodes (it counts the hidden name, which the
    // master never had): an unlinked open file shows its true count, 0 when no name is left
    if (alias) st.nlink = attr.nlink + 1;
    return st;
  }

  /** Owner, group and mode of a new inode at `path` created by `ctx` (reads the parent's attributes). */
  /** The caller's ids and mode: the master applies the parent's setgid rule (common/inode-owner.ts). */
  function ownerOf(ctx: FuseContext, mode: number): { uid: number; gid: number; mode: number } {
    return { uid: ctx.uid, gid: ctx.gid, mode: mode & PERMISSION_BITS };
  }

  /**
   * The master reads mode 0 as "the default" (0644/0755); open(O_CREAT, 0) and mkdir(p, 0) mean
   * no permission at all (a directory keeps the S_ISGID it inherited), so such an inode gets
   * its mode set explicitly. Returns the inode's attributes, changed or not.
   */
  async function zeroModeFixed(attr: Attr, mode: number): Promise<Attr> {
    if ((mode & PERMISSION_BITS) !== 0) return attr;
    const want = attr.type === 'DIRECTORY' ? attr.mode & S_ISGID : 0;
    if ((attr.mode & PERMISSION_BITS) === want) return attr;
    return client.setAttr({ ino: attr.ino, path: '', mode: want });
  }

  /** Clears S_ISGID where FUSE's own clearing misses it (ownership.ts, dropsSetgid). */
  async function dropSetgidOfOutsider(path: string, ctx: FuseContext, fd?: number): Promise<void> {
    const attr = await attrAt(path, fd);
    if (!dropsSetgid(attr.mode, attr.gid, ctx, [])) return; // cheap checks first, then its groups
    const groups = await supplementaryGroups(ctx.pid);
    if (groups && dropsSetgid(attr.mode, attr.gid, ctx, groups)) {
      await setAttrAt(path, { mode: attr.mode & PERMISSION_BITS & ~S_ISGID }, fd);
    }
  }

  /**
   * True when a handle of this mount is open at `path` on another inode than `ino` (the name was
   * replaced elsewhere): libfuse gives the kernel the same node for both, so one page cache,
   * and the new handle must bypass it (direct_io; OpenFiles.otherInodeAt). Old handles keep
   * the cache: only their own reads and writes fill it.
   */
  function sharedNode(path: string, ino: number): boolean {
    if (files.openCount === 0 || !files.otherInodeAt(path, ino)) return false;
    log.debug({ path, ino }, 'another file is open here under this name: direct_io');
    return true;
  }

  /** Writes pending in this mount for the inode at `path` go out first (cp -p sets mtime before close). */
  async function drainPath(path: string): Promise<void> {
    if (files.openCount === 0) return;
    const f = files.inode(Number((await attrAt(path)).ino));
    if (f) await files.drain(f, false);
  }

  return {
    init: (cb) => cb(0),
    getattr: (path, _ctx, cb) => reply('getattr', path, cb, async () => [await statOf(path)]),
    fgetattr: (path, fd, _ctx, cb) => reply('fgetattr', path, cb, async () => [await statOf(path, fd)]),
    statfs: (path, _ctx, cb) => reply('statfs', path, cb, async () => [statFsToFuse(await client.statFs())]),

    opendir: (path, _flags, _ctx, cb) => reply('opendir', path, cb, async () => [dirs.openHandle()]),
    readdir: (path, offset, fh, _ctx, cb) => reply('readdir', path, cb, async () => {
      const page = await dirs.read(path, offset, fh);
      return [page.names, page.stats, page.base];
    }),
    releasedir: (path, fh, _ctx, cb) => reply('releasedir', path, cb, async () => { dirs.release(fh); }),

    mkdir: (path, mode, ctx, cb) => reply('mkdir', path, cb, async () => {
      const o = ownerOf(ctx, mode);
      await zeroModeFixed(await client.mkdir(path, o), o.mode);
    }),
    rmdir: (path, _ctx, cb) => reply('rmdir', path, cb, async () => { await client.delete(path, { kind: 'DIR_ONLY' }); }),
    unlink: (path, _ctx, cb) => reply('unlink', path, cb, async () => {
      if (!hidden.remove(path)) await client.delete(path, { kind: 'FILE_ONLY' });
    }),
    rename: (src, dest, ctx, cb) => reply('rename', src, cb, async () => {
      if (isHiddenName(dest) && hidden.inoOf(dest) === undefined) {
        const alias = hidden.inoOf(src);
        if (alias !== undefined) {
          // a hidden node hidden again (its hidden name was looked up and unlinked or renamed
          // over): no name in the master either way, the alias moves
          hidden.remove(src);
          hidden.add(dest, alias);
          files.renamed(src, dest);
          return;
        }
        const ino = Number((await client.stat(src)).ino);
        if (files.inode(ino)) {
          // libfuse hides an open file it was asked to unlink or to replace (hidden-names.ts).
          // An unlink: the name goes now. A rename over it: the name stays until the rename
          // libfuse sends next replaces it in one step, so no other process ever finds it missing
          // (and a rename that fails leaves it in place).
          if (!(await callerInRename(ctx.pid))) await client.delete(src, { kind: 'FILE_ONLY' });
          hidden.add(dest, ino);
          files.renamed(src, dest);
          return;
        }
      }
      await client.rename(src, dest);
      files.renamed(src, dest);
    }),
    symlink: (target, path, ctx, cb) => reply('symlink', path, cb, async () => {
      const { uid, gid } = ownerOf(ctx, 0o777);
      await client.symlink(path, target, { uid, gid });
    }),
    readlink: (path, _ctx, cb) => reply('readlink', path, cb, async () => {
      const attr = await client.stat(path);
      if (attr.type !== 'SYMLINK') return -os.errno.EINVAL;
      return [attr.symlinkTarget];
    }),
    link: (src, dest, _ctx, cb) => reply('link', dest, cb, async () => void (await client.link(src, dest))),
    mknod: (path, mode, dev, ctx, cb) => reply('mknod', path, cb, async () => {
      const o = ownerOf(ctx, mode);
      const type = SPECIAL_TYPE_OF_MODE.get(mode & S_IFMT);
      if (type) return void (await client.mknod(path, { type, mode: o.mode, rdev: dev, uid: o.uid, gid: o.gid }));
      if ((mode & S_IFMT) !== 0 && (mode & S_IFMT) !== S_IFREG) return -os.errno.EINVAL;
      const attr = await client.create(path, { ...o, exclusive: true });
      await client.release(Number(attr.ino)); // create registered an open in the session: nothing holds it
      await zeroModeFixed(attr, o.mode);
    }),

    setxattr: (path, name, value, _position, flags, _ctx, cb) => reply('setxattr', path, cb, async () => {
      if (!STORED_XATTR_PREFIXES.some((p) => name.startsWith(p))) return -os.errno.EOPNOTSUPP;
      await client.setXattr(path, name, Buffer.from(value), flags);
    }),
    getxattr: (path, name, _position, _ctx, cb) => reply('getxattr', path, cb, async () => {
      // asked by the kernel before every write (security.capability) and by ls: answered locally
      if (!STORED_XATTR_PREFIXES.some((p) => name.startsWith(p))) return -os.errno.ENODATA;
      return [await client.getXattr(path, name)];
    }),
    listxattr: (path, _ctx, cb) => reply('listxattr', path, cb, async () => [await client.listXattr(path)]),
    removexattr: (path, name, _ctx, cb) => reply('removexattr', path, cb, async () => {
      if (!STORED_XATTR_PREFIXES.some((p) => name.startsWith(p))) return -os.errno.EOPNOTSUPP;
      await client.removeXattr(path, name);
    }),

    chmod: (path, mode, _ctx, cb) => reply('chmod', path, cb, async () => void (await setAttrAt(path, { mode: mode & PERMISSION_BITS }))),
    chown: (path, uid, gid, _ctx, cb) => reply('chown', path, cb, async () => {
      await setAttrAt(path, { ...(uid !== NO_ID ? { uid } : {}), ...(gid !== NO_ID ? { gid } : {}) });
    }),
    utimens: (path, atime, mtime, _ctx, cb) => reply('utimens', path, cb, async () => {
      await drainPath(path);
      await setAttrAt(path, { ...timeChange(atime, 'atime'), ...timeChange(mtime, 'mtime') });
    }),
    truncate: (path, size, ctx, cb) => reply('truncate', path, cb, async () => {
      await dropSetgidOfOutsider(path, ctx);
      await files.truncate(inoBehind(path) ?? Number((await client.stat(path)).ino), size);
    }),
    ftruncate: (path, fd, size, ctx, cb) => reply('ftruncate', path, cb, async () => {
      await dropSetgidOfOutsider(path, ctx, fd);
      await files.truncate(files.get(fd).file.ino, size);
    }),

    create: (path, mode, flags, ctx, cb) => reply('create', path, cb, async () => {
      // Create registers the open in the session and returns the attributes: no Open RPC (it
      // took a second round trip and a second session open that the one release never undid).
      const o = ownerOf(ctx, mode);
      // The kernel sends CREATE for a name it found missing; another mount may have made it since:
      // O_EXCL then fails with EEXIST, otherwise that file is opened (and emptied with O_TRUNC).
      // Chunk 0's lease comes with the reply: a new file's first write asks no GetLease.
      const attr = await client.create(path, { ...o, exclusive: (flags & O_EXCL) !== 0, truncate: (flags & O_TRUNC) !== 0, wantLease: true });
      // a name another mount removed while a descriptor here held its file: libfuse gives the
      // new file that file's node (sharedNode)
      const directIo = sharedNode(path, Number(attr.ino)) || appendOnly(flags);
      const h = files.open(path, attr, { append: (flags & O_APPEND) !== 0, writable: isWritable(flags) });
      try {
        createdAttrs.set(h.fd, await zeroModeFixed(attr, o.mode));
      } catch (e) {
        await files.close(h.fd).catch(() => undefined);
        throw e;
      }
      return [h.fd, directIo];
    }),
    open: (path, flags, ctx, cb) => reply('open', path, cb, async () => {
      const alias = inoBehind(path); // reopened through /proc/<pid>/fd after its unlink
      let attr: Attr;
      try {
        const writable = isWritable(flags); // refused at once in a read-only (safe mode) namespace
        attr = alias === undefined ? await client.open(path, { writable }) : await client.openIno(alias, { writable });
      } catch (e) {
        if (isHiddenName(path) && errnoOf(e) === os.errno.ENOENT) {
          // The caller's lookup found the node of a file renamed over (or unlinked) here, whose
          // last descriptor closed before this open: libfuse names it by its hidden name, whose
          // inode is gone (its alias too, or soon). The kernel walks the path again after ESTALE.
          log.debug({ path, callerPid: ctx.pid }, 'open of a released hidden node: ESTALE, the kernel looks again');
          kernelSizes.failedStale(ctx.pid);
          return -os.errno.ESTALE;
        }
        if (alias === undefined && errnoOf(e) === os.errno.ENOENT) {
          const key = `${ctx.pid}:${path}`;
          const at = goneOnOpen.get(key);
          goneOnOpen.delete(key);
          if (at === undefined || Date.now() - at > GONE_RETRY_WINDOW_MS) {
            if (goneOnOpen.size >= GONE_ON_OPEN_MAX) goneOnOpen.delete(goneOnOpen.keys().next().value as string);
            goneOnOpen.set(key, Date.now());
            kernelSizes.failedStale(ctx.pid);
            return -os.errno.ESTALE;
          }
        }
        throw e;
      }
      const ino = Number(attr.ino);
      client.invalidate(ino); // close-to-open: see what other mounts committed
      files.cache.dropIno(ino);
      const directIo = (alias === undefined && sharedNode(path, ino)) || appendOnly(flags);
      const h = files.open(path, attr, { append: (flags & O_APPEND) !== 0, writable: isWritable(flags) });
      if (alias === undefined && kernelSizes.staleOnOpen(path, files.reportedSize(attr), ctx.pid)) {
        // the kernel would stop reading at the size it cached: it retries after a lookup (kernel-sizes.ts)
        await files.close(h.fd);
        return -os.errno.ESTALE;
      }
      if (flags & O_TRUNC) {
        try {
          await files.truncate(ino, 0);
        } catch (e) {
          await files.close(h.fd).catch(() => undefined);
          throw e;
        }
      }
      return [h.fd, directIo];
    }),
    read: (path, fd, buf, len, pos, _ctx, cb) => reply('read', path, cb, () => {
      const h = files.get(fd);
      if (h.atimeDue) {
        // the file was read: its atime moves (relatime), in the background, as a local disk's does
        h.atimeDue = false;
        client.setAttr({ ino: h.file.ino, path: '', accessed: true })
          .catch((e) => log.debug({ ino: h.file.ino, err: (e as Error).message }, 'atime update failed'));
      }
      return files.read(h, pos, buf.subarray(0, len));
    }),
    write: (path, fd, buf, len, pos, writepage, ctx, cb) => reply('write', path, cb, async () => {
      const h = files.get(fd);
      if (!writepage && !h.setgidChecked) {
        h.setgidChecked = true;
        // the mode and group seen at open: no round trip unless the file is setgid
        if (dropsSetgid(h.openMode, h.openGid, ctx, [])) await dropSetgidOfOutsider(path, ctx, fd);
      }
      const written = await files.write(h, pos, buf.subarray(0, len), writepage);
      kernelSizes.wrote(h.path, h.file.localSize);
      return written;
    }),
    fallocate: (path, fd, mode, offset, length, _ctx, cb) => reply('fallocate', path, cb, async () => {
      const h = files.get(fd);
      await files.fallocate(h, mode, offset, length);
      kernelSizes.wrote(h.path, h.file.localSize); // the kernel sets the size it grew to itself
    }),
    flush: (path, fd, _ctx, cb) => reply('flush', path, cb, () => files.flushHandle(files.get(fd))),
    fsync: (path, _datasync, fd, _ctx, cb) => reply('fsync', path, cb, () => files.fsyncHandle(files.get(fd))),
    release: (path, fd, flockOwner, _ctx, cb) => reply('release', path, cb, async () => {
      const ino = files.get(fd).file.ino;
      createdAttrs.delete(fd);
      if (flockOwner !== undefined && locks) await locks.flock(ino, LOCK_UN, flockOwner);
      try {
        await files.close(fd);
      } finally {
        // with a path, libfuse unlinks a hidden name after this release (unlink forgets it)
        if (path === '' && !files.inode(ino)) hidden.forgetIno(ino);
      }
    }),
    ...(locks ? lockOps(locks, files, log) : {}),
  };
}

/**
 * fcntl and flock locks through the cluster-wide lock service (locks.ts). No timeout: a blocking
 * request waits until granted, or until the kernel interrupts it (ctx.signal: -EINTR).
 */
function lockOps(locks: MountLocks, files: OpenFiles, log: Logger): Pick<FuseOps, 'lock' | 'flock'> {
  const inoOf = (fd: number): number | undefined => {
    try {
      return files.get(fd).file.ino;
    } catch {
      return undefined;
    }
  };
  const failed = (op: string, path: string, e: unknown): number => {
    log.warn({ op, path, err: (e as Error)?.message }, 'fuse op failed');
    return -errnoOf(e);
  };
  return {
    lock: (path, fd, cmd, lk, owner, ctx, cb) => {
      const ino = inoOf(fd);
      if (ino === undefined) return cb(-os.errno.EBADF);
      locks.lock(ino, cmd, lk, owner, ctx, ctx.signal).then((r) => cb(r.code, r.lock), (e) => cb(failed('lock', path, e)));
    },
    flock: (path, fd, op, owner, ctx, cb) => {
      const ino = inoOf(fd);
      if (ino === undefined) return cb(-os.errno.EBADF);
      locks.flock(ino, op, owner, ctx, ctx.signal).then((code) => cb(code), (e) => cb(failed('flock', path, e)));
    },
  };
}

/** rename(2), renameat(2) and renameat2(2) by architecture (process.arch); aarch64 has no rename(2). */
const RENAME_SYSCALLS: Readonly<Record<string, readonly number[]>> = { x64: [82, 264, 316], arm64: [38, 276] };

/**
 * True when thread `tid` (a FUSE request's caller: the kernel sends the thread's id) is inside a
 * rename system call, from /proc/<tid>/syscall (its first field is the number of the call the
 * thread is blocked in). False when that cannot be known (another architecture, a thread of
 * another pid namespace (tid 0), a kernel thread, no permission to read it): the caller is
 * then taken for an unlink (for a rename, its destination is then missing in the master
 * between libfuse's two steps, and gone for good if the second one fails).
 */
async function callerInRename(tid: number): Promise<boolean> {
  const numbers = RENAME_SYSCALLS[process.arch];
  if (!numbers || tid <= 0) return false;
  try {
    const line = await readFile(`/proc/${tid}/syscall`, 'utf8');
    return numbers.includes(Number(line.split(' ', 1)[0]));
  } catch {
    return false;
  }
}

/**
 * The supplementary groups of process `pid` (the FUSE request's caller), from /proc (never the
 * mount itself); undefined for a process already gone (then nothing is cleared).
 */
async function supplementaryGroups(pid: number): Promise<number[] | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const line = status.split('\n').find((l) => l.startsWith('Groups:')) ?? '';
    return line.slice('Groups:'.length).trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return undefined;
  }
}
