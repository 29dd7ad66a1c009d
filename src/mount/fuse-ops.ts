/**
 * The FUSE operations: thin async adapters from fuse-native's callbacks to the client library
 * and the open-file table. Every handler replies exactly once: a value, or `-errno` computed by
 * `errnoOf` (the one place errors become errnos). No handler blocks the event loop or touches
 * the local file system (least of all the mount itself: that would deadlock).
 *
 * Permission checks are the kernel's (`default_permissions`): fuse-native does not expose the
 * caller's uid/gid, so `access` only checks existence.
 */
import type { FuseOps, FuseStat } from 'fuse-native';
import { errnoOf } from '../common/errors';
import type { Logger } from '../common/logger';
import type { DfsClientApi, SpecialFileType } from '../client/types';
import { attrToStat, isWritable, msToTimespec, O_APPEND, O_TRUNC, statFsToFuse } from './fuse-stat';
import type { OpenFiles } from './open-files';
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

/** libfuse gives UTIME_NOW/UTIME_OMIT as tv_sec 0, which fuse-native turns into ~1073 ms. */
const UTIME_SPECIAL_MAX_MS = 2000;
const NO_ID = 0xffffffff;
/** Answers about the namespace, not failures of the file system: logged at debug only. */
const EXPECTED_ERRNOS = new Set([
  os.errno.ENOENT, os.errno.EEXIST, os.errno.ENOTEMPTY, os.errno.ENOTDIR, os.errno.EISDIR,
  os.errno.EACCES, os.errno.EPERM, os.errno.ENAMETOOLONG, os.errno.EXDEV, os.errno.EINVAL,
  os.errno.ENODATA, os.errno.ERANGE, os.errno.E2BIG, os.errno.EOPNOTSUPP, os.errno.EMLINK,
]);

export function buildOps(client: DfsClientApi, files: OpenFiles, log: Logger): FuseOps {
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

  async function statOf(path: string): Promise<FuseStat> {
    const attr = await client.stat(path);
    return attrToStat(attr, files.reportedSize(attr));
  }

  /** Writes pending in this mount for the inode at `path` go out first (cp -p sets mtime before close). */
  async function drainPath(path: string): Promise<void> {
    if (files.openCount === 0) return;
    const f = files.inode(Number((await client.stat(path)).ino));
    if (f) await files.drain(f, false);
  }

  return {
    init: (cb) => cb(0),
    getattr: (path, cb) => reply('getattr', path, cb, async () => [await statOf(path)]),
    fgetattr: (path, _fd, cb) => reply('fgetattr', path, cb, async () => [await statOf(path)]),
    access: (path, _mode, cb) => reply('access', path, cb, async () => void (await client.stat(path))),
    statfs: (path, cb) => reply('statfs', path, cb, async () => [statFsToFuse(await client.statFs())]),

    readdir: (path, cb) => reply('readdir', path, cb, async () => {
      const dir: FuseStat = { mode: 0o040755, uid: 0, gid: 0, size: 4096, nlink: 2, atime: 0, mtime: 0, ctime: 0 };
      const names = ['.', '..'];
      const stats: FuseStat[] = [dir, dir];
      for await (const e of client.listAll(path)) {
        names.push(e.name);
        if (e.attr) stats.push(attrToStat(e.attr, files.reportedSize(e.attr)));
      }
      return [names, stats.length === names.length ? stats : []];
    }),

    mkdir: (path, mode, cb) => reply('mkdir', path, cb, async () => void (await client.mkdir(path, { mode: mode & 0o7777 }))),
    rmdir: (path, cb) => reply('rmdir', path, cb, () => client.delete(path, { kind: 'DIR_ONLY' })),
    unlink: (path, cb) => reply('unlink', path, cb, () => client.delete(path, { kind: 'FILE_ONLY' })),
    rename: (src, dest, cb) => reply('rename', src, cb, () => client.rename(src, dest)),
    symlink: (target, path, cb) => reply('symlink', path, cb, async () => void (await client.symlink(path, target))),
    readlink: (path, cb) => reply('readlink', path, cb, async () => {
      const attr = await client.stat(path);
      if (attr.type !== 'SYMLINK') return -os.errno.EINVAL;
      return [attr.symlinkTarget];
    }),
    link: (src, dest, cb) => reply('link', dest, cb, async () => void (await client.link(src, dest))),
    mknod: (path, mode, dev, cb) => reply('mknod', path, cb, async () => {
      const type = SPECIAL_TYPE_OF_MODE.get(mode & S_IFMT);
      if (type) return void (await client.mknod(path, { type, mode: mode & 0o7777, rdev: dev }));
      if ((mode & S_IFMT) !== 0 && (mode & S_IFMT) !== S_IFREG) return -os.errno.EINVAL;
      const attr = await client.create(path, { mode: mode & 0o7777, exclusive: true });
      await client.release(Number(attr.ino)); // create registered an open in the session: nothing holds it
    }),

    setxattr: (path, name, value, _position, flags, cb) => reply('setxattr', path, cb, async () => {
      if (!STORED_XATTR_PREFIXES.some((p) => name.startsWith(p))) return -os.errno.EOPNOTSUPP;
      await client.setXattr(path, name, Buffer.from(value), flags);
    }),
    getxattr: (path, name, _position, cb) => reply('getxattr', path, cb, async () => {
      // asked by the kernel before every write (security.capability) and by ls: answered locally
      if (!STORED_XATTR_PREFIXES.some((p) => name.startsWith(p))) return -os.errno.ENODATA;
      return [await client.getXattr(path, name)];
    }),
    listxattr: (path, cb) => reply('listxattr', path, cb, async () => [await client.listXattr(path)]),
    removexattr: (path, name, cb) => reply('removexattr', path, cb, async () => {
      if (!STORED_XATTR_PREFIXES.some((p) => name.startsWith(p))) return -os.errno.EOPNOTSUPP;
      await client.removeXattr(path, name);
    }),

    chmod: (path, mode, cb) => reply('chmod', path, cb, async () => void (await client.setAttr({ path, mode: mode & 0o7777 }))),
    chown: (path, uid, gid, cb) => reply('chown', path, cb, async () => {
      await client.setAttr({ path, ...(uid !== NO_ID ? { uid } : {}), ...(gid !== NO_ID ? { gid } : {}) });
    }),
    utimens: (path, atimeMs, mtimeMs, cb) => reply('utimens', path, cb, async () => {
      // fuse-native passes the atime twice; "now"/"omit" arrive as tiny values
      const at = (ms: number): number => (ms < UTIME_SPECIAL_MAX_MS ? Date.now() : ms);
      await drainPath(path);
      await client.setAttr({ path, atime: msToTimespec(at(atimeMs)), mtime: msToTimespec(at(mtimeMs)) });
    }),
    truncate: (path, size, cb) => reply('truncate', path, cb, async () => {
      await files.truncate(Number((await client.stat(path)).ino), size);
    }),
    ftruncate: (path, fd, size, cb) => reply('ftruncate', path, cb, async () => void (await files.truncate(files.get(fd).file.ino, size))),

    create: (path, mode, cb) => reply('create', path, cb, async () => {
      // Create registers the open in the session and returns the attributes: no Open RPC (it
      // took a second round trip and a second session open that the one release never undid).
      const attr = await client.create(path, { mode: mode & 0o7777 });
      return [files.open(path, attr, { append: false, writable: true }).fd];
    }),
    open: (path, flags, cb) => reply('open', path, cb, async () => {
      const attr = await client.open(path);
      const ino = Number(attr.ino);
      client.invalidate(ino); // close-to-open: see what other mounts committed
      files.cache.dropIno(ino);
      const h = files.open(path, attr, { append: (flags & O_APPEND) !== 0, writable: isWritable(flags) });
      if (flags & O_TRUNC) {
        try {
          await files.truncate(ino, 0);
        } catch (e) {
          await files.close(h.fd).catch(() => undefined);
          throw e;
        }
      }
      return [h.fd];
    }),
    read: (path, fd, buf, len, pos, cb) => reply('read', path, cb, () => files.read(files.get(fd), pos, buf.subarray(0, len))),
    write: (path, fd, buf, len, pos, cb) => reply('write', path, cb, () => files.write(files.get(fd), pos, buf.subarray(0, len))),
    flush: (path, fd, cb) => reply('flush', path, cb, () => files.drainHandle(files.get(fd))),
    fsync: (path, _datasync, fd, cb) => reply('fsync', path, cb, () => files.drainHandle(files.get(fd))),
    release: (path, fd, cb) => reply('release', path, cb, () => files.close(fd)),
  };
}
