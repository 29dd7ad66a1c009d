/**
 * The part of fuse-native (v2, no bundled types) the mount uses. Every callback's first
 * argument is the return code libfuse sees: 0 or a byte count on success, a negative errno on
 * failure.
 */
declare module 'fuse-native' {
  type Cb = (code: number) => void;

  export interface FuseStat {
    mode: number; uid: number; gid: number; size: number; dev?: number; nlink: number; ino?: number;
    rdev?: number; blksize?: number; blocks?: number; atime: number | Date; mtime: number | Date; ctime: number | Date;
  }

  export interface FuseStatFs {
    bsize: number; frsize: number; blocks: number; bfree: number; bavail: number; files: number;
    ffree: number; favail: number; fsid: number; flag: number; namemax: number;
  }

  export interface FuseOps {
    init?(cb: Cb): void;
    access?(path: string, mode: number, cb: Cb): void;
    statfs?(path: string, cb: (code: number, st?: FuseStatFs) => void): void;
    getattr?(path: string, cb: (code: number, st?: FuseStat) => void): void;
    fgetattr?(path: string, fd: number, cb: (code: number, st?: FuseStat) => void): void;
    flush?(path: string, fd: number, cb: Cb): void;
    fsync?(path: string, datasync: number, fd: number, cb: Cb): void;
    readdir?(path: string, cb: (code: number, names?: string[], stats?: FuseStat[]) => void): void;
    truncate?(path: string, size: number, cb: Cb): void;
    ftruncate?(path: string, fd: number, size: number, cb: Cb): void;
    utimens?(path: string, atimeMs: number, mtimeMs: number, cb: Cb): void;
    readlink?(path: string, cb: (code: number, target?: string) => void): void;
    chown?(path: string, uid: number, gid: number, cb: Cb): void;
    chmod?(path: string, mode: number, cb: Cb): void;
    open?(path: string, flags: number, cb: (code: number, fd?: number) => void): void;
    read?(path: string, fd: number, buf: Buffer, len: number, pos: number, cb: Cb): void;
    write?(path: string, fd: number, buf: Buffer, len: number, pos: number, cb: Cb): void;
    release?(path: string, fd: number, cb: Cb): void;
    create?(path: string, mode: number, cb: (code: number, fd?: number) => void): void;
    unlink?(path: string, cb: Cb): void;
    rename?(src: string, dest: string, cb: Cb): void;
    symlink?(target: string, path: string, cb: Cb): void;
    mkdir?(path: string, mode: number, cb: Cb): void;
    rmdir?(path: string, cb: Cb): void;
    link?(src: string, dest: string, cb: Cb): void;
    mknod?(path: string, mode: number, dev: number, cb: Cb): void;
    setxattr?(path: string, name: string, value: Buffer, position: number, flags: number, cb: Cb): void;
    /** Value, or a negative errno. fuse-native does not pass the caller's buffer size (see DfsFuse). */
    getxattr?(path: string, name: string, position: number, cb: (code: number, value?: Buffer) => void): void;
    listxattr?(path: string, cb: (code: number, names?: string[]) => void): void;
    removexattr?(path: string, name: string, cb: Cb): void;
  }

  /** The reply to libfuse: a return code, then buffers it must not keep. */
  type Signal = (code: number, ...rest: unknown[]) => void;

  export interface FuseOptions {
    force?: boolean; mkdir?: boolean; allowOther?: boolean; defaultPermissions?: boolean; fsname?: string;
    subtype?: string; debug?: boolean; timeout?: number | false | Record<string, number | false>;
  }

  class Fuse {
    constructor(mnt: string, ops: FuseOps, opts?: FuseOptions);
    readonly mnt: string;
    ops: FuseOps;
    mount(cb: (err: Error | null) => void): void;
    unmount(cb: (err: Error | null) => void): void;
    static unmount(mnt: string, cb: (err: Error | null) => void): void;
    /** Builds the "-o..." string passed to fuse_mount (overridden to add options it lacks). */
    _fuseOptions(): string;
    /** Nanoresource's close step (unmount); its callback error fails `unmount`. */
    _close(cb: (err: Error | null) => void): void;
    /** getxattr as libfuse calls it: `valueBuf` has the caller's size (0 = size query). */
    _op_getxattr(signal: Signal, path: string, name: string, valueBuf: Buffer, position: number): void;
    /** listxattr as libfuse calls it: `listBuf` has the caller's size (0 = size query). */
    _op_listxattr(signal: Signal, path: string, listBuf: Buffer): void;
    /** The native fuse_thread_t, set when mounting. */
    _thread: Buffer | null;
  }
  export = Fuse;
}
