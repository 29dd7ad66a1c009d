/**
 * The JS half of the mount's FUSE binding: a TypeScript port of fuse-native 2.2.6's index.js
 * (MIT licence, Copyright (c) Mathias Buus and the fuse-native contributors; see LICENSE next to
 * this file) over the patched native code in fuse-native.c, built into build/native/fuse.node by
 * scripts/build-native.sh.
 *
 * Contract of the handlers (`FuseOps`): each gets the operation's arguments, then the caller's
 * identity (`FuseContext`: uid, gid, pid, umask of the process that made the system call), then
 * its callback, whose first argument is what libfuse returns: 0 or a byte count on success, a
 * negative errno on failure. A handler must call its callback exactly once; a later call is
 * ignored. Every operation but lock and flock is answered with -ETIMEDOUT when its handler has
 * not replied within its timeout (`FuseOptions.timeoutsMs`); lock and flock have no timeout
 * (F_SETLKW and blocking flock wait as long as another holder keeps the lock) and get an
 * AbortSignal in their context that fires when the kernel interrupts the request (the waiting
 * process got a signal): the handler should then reply -EINTR soon.
 *
 * Differences from upstream besides the context: times are {sec, nsec} both ways (utimens
 * passes both times, UTIME_NOW/UTIME_OMIT as their tv_nsec values), st_ino is 64-bit,
 * getxattr/listxattr answer size queries and ERANGE as getxattr(2) does, open and create may ask
 * for direct I/O on the handle they open, and unmount always lets go of the native handle (so a
 * mount that was aborted does not keep the process alive).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { constants as os } from 'node:os';
import { join, resolve } from 'node:path';

/** The process that made the system call (fuse_get_context()). */
export interface FuseContext {
  uid: number;
  gid: number;
  pid: number;
  /** Non-zero only for create, mkdir and mknod; the kernel already applied it to their mode. */
  umask: number;
}

/** Context of lock and flock: `signal` fires when the kernel interrupts the waiting request. */
export interface FuseLockContext extends FuseContext {
  signal: AbortSignal;
}

export interface FuseTimespec {
  sec: number;
  nsec: number;
}

/** tv_nsec values of utimensat(2): set to the current time, leave unchanged. */
export const UTIME_NOW = 0x3fffffff;
export const UTIME_OMIT = 0x3ffffffe;

export interface FuseStat {
  mode: number; uid: number; gid: number; size: number; dev?: number; nlink: number; ino?: number;
  rdev?: number; blksize?: number; blocks?: number; atime: FuseTimespec; mtime: FuseTimespec; ctime: FuseTimespec;
}

export interface FuseStatFs {
  bsize: number; frsize: number; blocks: number; bfree: number; bavail: number; files: number;
  ffree: number; favail: number; fsid: number; flag: number; namemax: number;
}

/** struct flock; start and len are BigInts only when they exceed 2^53. */
export interface FuseFlock {
  type: number;
  whence: number;
  start: number | bigint;
  /** 0 = to the end of the file. */
  len: number | bigint;
  pid: number;
}

type Cb = (code: number) => void;

export interface FuseOps {
  init?(cb: Cb): void;
  access?(path: string, mode: number, ctx: FuseContext, cb: Cb): void;
  statfs?(path: string, ctx: FuseContext, cb: (code: number, st?: FuseStatFs) => void): void;
  getattr?(path: string, ctx: FuseContext, cb: (code: number, st?: FuseStat) => void): void;
  fgetattr?(path: string, fd: number, ctx: FuseContext, cb: (code: number, st?: FuseStat) => void): void;
  flush?(path: string, fd: number, ctx: FuseContext, cb: Cb): void;
  fsync?(path: string, datasync: number, fd: number, ctx: FuseContext, cb: Cb): void;
  /** A directory handle for readdir/releasedir (0: none). */
  opendir?(path: string, flags: number, ctx: FuseContext, cb: (code: number, fh?: number) => void): void;
  /**
   * The entries from `offset` on (0 = the start), as many as suit: names[i] gets the offset
   * base + i + 1, from which the kernel asks for the rest. `stats` empty or one per name.
   */
  readdir?(path: string, offset: number, fh: number, ctx: FuseContext,
    cb: (code: number, names?: string[], stats?: FuseStat[], base?: number) => void): void;
  releasedir?(path: string, fh: number, ctx: FuseContext, cb: Cb): void;
  truncate?(path: string, size: number, ctx: FuseContext, cb: Cb): void;
  ftruncate?(path: string, fd: number, size: number, ctx: FuseContext, cb: Cb): void;
  /** Either time may have nsec UTIME_NOW or UTIME_OMIT. */
  utimens?(path: string, atime: FuseTimespec, mtime: FuseTimespec, ctx: FuseContext, cb: Cb): void;
  readlink?(path: string, ctx: FuseContext, cb: (code: number, target?: string) => void): void;
  /** uid/gid 0xffffffff = unchanged. */
  chown?(path: string, uid: number, gid: number, ctx: FuseContext, cb: Cb): void;
  chmod?(path: string, mode: number, ctx: FuseContext, cb: Cb): void;
  /**
   * `directIo`: the kernel reads and writes this handle straight through the mount, bypassing its
   * page cache (fi->direct_io); libfuse 2 then refuses a shared mmap of it (ENODEV).
   */
  open?(path: string, flags: number, ctx: FuseContext, cb: (code: number, fd?: number, directIo?: boolean) => void): void;
  read?(path: string, fd: number, buf: Buffer, len: number, pos: number, ctx: FuseContext, cb: Cb): void;
  /** `writepage`: the kernel writing back pages of a shared mapping (use `pos` even on an O_APPEND handle). */
  write?(path: string, fd: number, buf: Buffer, len: number, pos: number, writepage: boolean, ctx: FuseContext, cb: Cb): void;
  /** `flockOwner`: set when the open file had flock locks (libfuse 2 leaves their release to us). */
  release?(path: string, fd: number, flockOwner: bigint | undefined, ctx: FuseContext, cb: Cb): void;
  /** `flags`: the open flags (O_EXCL: the name must be new; O_TRUNC, O_APPEND...). */
  create?(path: string, mode: number, flags: number, ctx: FuseContext, cb: (code: number, fd?: number, directIo?: boolean) => void): void;
  unlink?(path: string, ctx: FuseContext, cb: Cb): void;
  rename?(src: string, dest: string, ctx: FuseContext, cb: Cb): void;
  symlink?(target: string, path: string, ctx: FuseContext, cb: Cb): void;
  mkdir?(path: string, mode: number, ctx: FuseContext, cb: Cb): void;
  rmdir?(path: string, ctx: FuseContext, cb: Cb): void;
  link?(src: string, dest: string, ctx: FuseContext, cb: Cb): void;
  mknod?(path: string, mode: number, dev: number, ctx: FuseContext, cb: Cb): void;
  setxattr?(path: string, name: string, value: Buffer, position: number, flags: number, ctx: FuseContext, cb: Cb): void;
  /** The value, or a negative errno; the binding answers size queries and ERANGE. */
  getxattr?(path: string, name: string, position: number, ctx: FuseContext, cb: (code: number, value?: Buffer) => void): void;
  listxattr?(path: string, ctx: FuseContext, cb: (code: number, names?: string[]) => void): void;
  removexattr?(path: string, name: string, ctx: FuseContext, cb: Cb): void;
  /** fcntl F_GETLK/F_SETLK/F_SETLKW; for F_GETLK the reply carries the conflicting lock (or the request with F_UNLCK). */
  lock?(path: string, fd: number, cmd: number, lock: FuseFlock, lockOwner: bigint, ctx: FuseLockContext, cb: (code: number, lock?: FuseFlock) => void): void;
  /** flock(2): LOCK_SH, LOCK_EX, LOCK_UN, optionally | LOCK_NB. */
  flock?(path: string, fd: number, op: number, lockOwner: bigint, ctx: FuseLockContext, cb: Cb): void;
  /**
   * fallocate(2) on an open file (`mode`: FALLOC_FL_* bits as the kernel passed them). Without
   * it libfuse answers ENOSYS, which the kernel turns into EOPNOTSUPP for good.
   */
  fallocate?(path: string, fd: number, mode: number, offset: number, length: number, ctx: FuseContext, cb: Cb): void;
}

export type FuseOpName = Exclude<keyof FuseOps, 'init'>;

export interface FuseOptions {
  /** Mount options passed to libfuse as -o (e.g. `allow_other`, `default_permissions`, `max_write=131072`). */
  options: string[];
  /** Per-operation reply deadline; `default` for the others; false = none. lock/flock never time out. */
  timeoutsMs: Partial<Record<FuseOpName | 'default', number | false>>;
  /** Clear a dead mount (ENOTCONN) left at the mountpoint before mounting. */
  force?: boolean;
}

type Signal = (code: number, ...rest: unknown[]) => void;

interface NativeBinding {
  sizeof_fuse_thread_t: number;
  fuse_native_mount(mnt: string, opts: string, thread: Buffer, recv: object, malloc: (size: number) => Buffer,
    handlers: Array<(...args: unknown[]) => void>, implemented: Uint32Array, onInterrupt: (locals: Buffer) => void): void;
  fuse_native_unmount(mnt: string, thread: Buffer): void;
  fuse_native_loop_ended(thread: Buffer): boolean;
  [name: string]: unknown;
}

const STAT_INTS = 22;
const STATFS_INTS = 11;
const FLOCK_INTS = 7;
const OP_COUNT = 37;
const DEFAULT_TIMEOUT_MS = 15_000;
const F_GETLK = 5;
const TWO_32 = 2 ** 32;
const NATIVE_PATH = resolve(__dirname, '../../../../build/native/fuse.node');

let nativeBinding: NativeBinding | undefined;

/** The compiled addon; throws with what to run when it was not built. */
export function loadBinding(): NativeBinding {
  if (nativeBinding) return nativeBinding;
  if (!existsSync(NATIVE_PATH)) {
    throw new Error(`the native FUSE binding is not built (${NATIVE_PATH} is missing): run scripts/build-native.sh (or scripts/setup.sh)`);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  nativeBinding = require(NATIVE_PATH) as NativeBinding;
  return nativeBinding;
}

/** The errno codes of a mountpoint refused before libfuse is asked (mountError). */
const MOUNTPOINT_REFUSALS = ['ENOTDIR', 'EBUSY', 'ENOTEMPTY'] as const;
export type MountpointRefusal = (typeof MOUNTPOINT_REFUSALS)[number];

export function isMountpointRefusal(code: unknown): code is MountpointRefusal {
  return (MOUNTPOINT_REFUSALS as readonly unknown[]).includes(code);
}

/** A refused mountpoint, with the errno code that says why. */
function mountError(code: MountpointRefusal, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

/**
 * One FUSE mount served by this process. `mount()` resolves once the kernel sent INIT;
 * `unmount()` runs `fusermount -uz` and always releases the native handle.
 */
export class FuseMount {
  private readonly binding = loadBinding();
  private thread: Buffer | null = null;
  private released = false;
  /** Thread-local buffers handed to native code: kept reachable while mounted. */
  private readonly threads = new Set<Buffer>();
  /** In-flight lock/flock requests by their thread-local buffer, for kernel interrupts. */
  private readonly waits = new Map<Buffer, AbortController>();
  private onInit: (() => void) | null = null;

  constructor(readonly mnt: string, private readonly ops: FuseOps, private readonly opts: FuseOptions) {}

  async mount(): Promise<void> {
    if (this.opts.force) {
      const dead = await stat(join(this.mnt, 'test')).then(() => false, (e: NodeJS.ErrnoException) => e.code === 'ENOTCONN');
      if (dead) await fusermountUnmount(this.mnt).catch(() => undefined);
    }
    const st = await stat(this.mnt).catch(async (e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
      await mkdir(this.mnt, { recursive: true });
      return stat(this.mnt);
    });
    if (!st.isDirectory()) throw mountError('ENOTDIR', 'Mountpoint is not a directory');
    const parent = await stat(join(this.mnt, '..')).catch(() => null);
    if (parent && parent.dev !== st.dev) throw mountError('EBUSY', 'Mountpoint in use');
    // libfuse 2 refuses a folder with entries ("fuse: mountpoint is not empty", then a bare failure)
    if ((await readdir(this.mnt)).length > 0) throw mountError('ENOTEMPTY', 'Mountpoint is not empty');

    const implemented = new Uint32Array(OP_COUNT);
    const b = this.binding;
    for (const op of ['op_init', 'op_error', 'op_getattr']) implemented[b[op] as number] = 1;
    for (const name of Object.keys(OPS) as FuseOpName[]) if (this.ops[name]) implemented[b[`op_${name}`] as number] = 1;

    this.thread = Buffer.alloc(b.sizeof_fuse_thread_t);
    const options = this.opts.options.length ? `-o${this.opts.options.join(',')}` : '';
    await new Promise<void>((res, rej) => {
      this.onInit = res;
      try {
        b.fuse_native_mount(this.mnt, options, this.thread!, this, (size) => this.malloc(size), this.handlers(), implemented,
          (locals) => this.waits.get(locals)?.abort());
      } catch (e) {
        this.onInit = null;
        rej(e);
      }
    });
  }

  /**
   * libfuse's loop returned: this mount went away (unmounted from outside, its connection
   * aborted). A folder mounted again since then is someone else's.
   */
  ended(): boolean {
    return this.thread !== null && this.binding.fuse_native_loop_ended(this.thread);
  }

  /** Unmounts with `fusermount -uz`; resolves with its error (null on success). Never rejects. */
  async unmount(): Promise<Error | null> {
    const err = await fusermountUnmount(this.mnt).then(() => null, (e: Error) => e);
    this.releaseNative();
    return err;
  }

  private releaseNative(): void {
    if (this.released || !this.thread) return;
    this.released = true;
    for (const c of this.waits.values()) c.abort();
    this.binding.fuse_native_unmount(this.mnt, this.thread);
  }

  private malloc(size: number): Buffer {
    const buf = Buffer.alloc(size);
    this.threads.add(buf);
    return buf;
  }

  /** The native dispatch table: index = op code, each (locals, op, ...args, uid, gid, pid, umask). */
  private handlers(): Array<(...args: unknown[]) => void> {
    const b = this.binding;
    const table: Array<(...args: unknown[]) => void> = new Array(OP_COUNT);
    table[b.op_init as number] = (locals: unknown) => {
      const sig = b.fuse_native_signal_init as (l: unknown, code: number) => void;
      const onInit = this.onInit;
      this.onInit = null;
      if (onInit) process.nextTick(onInit);
      if (!this.ops.init) return void process.nextTick(sig, locals, 0);
      this.ops.init((code) => process.nextTick(sig, locals, code));
    };
    for (const [name, spec] of Object.entries(OPS) as Array<[FuseOpName, OpSpec]>) {
      const nativeSignal = b[`fuse_native_signal_${name}`] as (...a: unknown[]) => void;
      table[b[`op_${name}`] as number] = this.handlerOf(name, spec, nativeSignal);
    }
    return table;
  }

  private handlerOf(name: FuseOpName, spec: OpSpec, nativeSignal: (...a: unknown[]) => void): (...args: unknown[]) => void {
    const isLock = name === 'lock' || name === 'flock';
    const timeoutMs = isLock ? false : timeoutOf(this.opts.timeoutsMs, name);
    return (locals: unknown, _op: unknown, ...rest: unknown[]) => {
      const args = rest.slice(0, rest.length - 4);
      const [uid, gid, pid, umask] = rest.slice(rest.length - 4) as number[];
      const ctx: FuseContext = { uid, gid, pid, umask };
      let done = false;
      let timer: NodeJS.Timeout | undefined;
      let wait: AbortController | undefined;
      const signal: Signal = (code, ...values) => {
        if (done) return;
        done = true;
        if (timer) clearTimeout(timer);
        if (wait) this.waits.delete(locals as Buffer);
        const out = code < 0 || values.length === 0 ? spec.failValues(args) : values;
        process.nextTick(nativeSignal, locals, code, ...out);
      };
      if (timeoutMs) timer = setTimeout(() => signal(-os.errno.ETIMEDOUT), timeoutMs);
      if (!this.ops[name]) return signal(-os.errno.ENOSYS);
      let fullCtx: FuseContext | FuseLockContext = ctx;
      if (isLock) {
        wait = new AbortController();
        this.waits.set(locals as Buffer, wait);
        fullCtx = { ...ctx, signal: wait.signal };
      }
      try {
        spec.call(this.ops, args, fullCtx, signal);
      } catch (e) {
        signal(-os.errno.EIO);
        throw e;
      }
    };
  }
}

function timeoutOf(t: FuseOptions['timeoutsMs'], name: FuseOpName): number | false {
  const v = t[name];
  if (v !== undefined) return v;
  return t.default ?? DEFAULT_TIMEOUT_MS;
}

function fusermountUnmount(mnt: string): Promise<void> {
  return new Promise((res, rej) => execFile('fusermount', ['-uz', mnt], (err) => (err ? rej(err) : res())));
}

/**
 * How one operation's native arguments become a handler call, and what a failed reply carries
 * (the native signal reads these values even on failure: buffers to detach, an empty stat…).
 */
interface OpSpec {
  call(ops: FuseOps, args: unknown[], ctx: FuseContext, signal: Signal): void;
  failValues(args: unknown[]): unknown[];
}

const none = (): unknown[] => [];
const s = (v: unknown): string => v as string;
const n = (v: unknown): number => v as number;
const buf = (v: unknown): Buffer => v as Buffer;
const u64 = (lo: unknown, hi: unknown): number => n(lo) + n(hi) * TWO_32;
const i64 = (lo: unknown, hi: unknown): number => n(lo) + (n(hi) | 0) * TWO_32;
const ts = (lo: unknown, hi: unknown, nsec: unknown): FuseTimespec => ({ sec: i64(lo, hi), nsec: n(nsec) });

/** An int64 from two uint32 words, as a number when exact, else a BigInt. */
function int64Exact(lo: unknown, hi: unknown): number | bigint {
  const big = BigInt.asIntN(64, (BigInt(n(hi)) << 32n) | BigInt(n(lo)));
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

function setInt64(arr: Uint32Array, i: number, v: number | bigint): void {
  const big = BigInt.asUintN(64, BigInt(v));
  arr[i] = Number(big & 0xffffffffn);
  arr[i + 1] = Number(big >> 32n);
}

function setTimespec(arr: Uint32Array, i: number, t: FuseTimespec | undefined): void {
  setInt64(arr, i, Math.trunc(t?.sec ?? 0));
  arr[i + 2] = t?.nsec ?? 0;
}

export function statArray(st?: FuseStat): Uint32Array {
  const a = new Uint32Array(STAT_INTS);
  if (!st) return a;
  a[0] = st.mode;
  a[1] = st.uid;
  a[2] = st.gid;
  setInt64(a, 3, st.size);
  a[5] = st.dev ?? 0;
  a[6] = st.nlink || 1;
  setInt64(a, 7, st.ino ?? 0);
  a[9] = st.rdev ?? 0;
  a[10] = st.blksize ?? 0;
  setInt64(a, 11, st.blocks ?? 0);
  setTimespec(a, 13, st.atime);
  setTimespec(a, 16, st.mtime);
  setTimespec(a, 19, st.ctime);
  return a;
}

function statfsArray(st?: FuseStatFs): Uint32Array {
  const a = new Uint32Array(STATFS_INTS);
  if (!st) return a;
  [st.bsize, st.frsize, st.blocks, st.bfree, st.bavail, st.files, st.ffree, st.favail, st.fsid, st.flag, st.namemax]
    .forEach((v, i) => { a[i] = v; });
  return a;
}

function flockArray(lk?: FuseFlock): Uint32Array {
  const a = new Uint32Array(FLOCK_INTS);
  if (!lk) return a;
  a[0] = lk.type;
  a[1] = lk.whence;
  setInt64(a, 2, lk.start);
  setInt64(a, 4, lk.len);
  a[6] = lk.pid;
  return a;
}

const simple = (call: OpSpec['call']): OpSpec => ({ call, failValues: none });

/** Every operation but init, keyed by its FuseOps name (the native op code is `op_<name>`). */
const OPS: Record<FuseOpName, OpSpec> = {
  access: simple((o, a, c, sig) => o.access!(s(a[0]), n(a[1]), c, sig)),
  statfs: {
    call: (o, a, c, sig) => o.statfs!(s(a[0]), c, (code, st) => sig(code, statfsArray(st))),
    failValues: () => [statfsArray()],
  },
  getattr: {
    call: (o, a, c, sig) => o.getattr!(s(a[0]), c, (code, st) => sig(code, statArray(st))),
    failValues: () => [statArray()],
  },
  fgetattr: {
    call: (o, a, c, sig) => (o.fgetattr
      ? o.fgetattr(s(a[0]), n(a[1]), c, (code, st) => sig(code, statArray(st)))
      : o.getattr!(s(a[0]), c, (code, st) => sig(code, statArray(st)))),
    failValues: () => [statArray()],
  },
  flush: simple((o, a, c, sig) => o.flush!(s(a[0]), n(a[1]), c, sig)),
  fsync: simple((o, a, c, sig) => o.fsync!(s(a[0]), n(a[1]), n(a[2]), c, sig)),
  opendir: {
    call: (o, a, c, sig) => o.opendir!(s(a[0]), n(a[2]), c, (code, fh) => sig(code, fh ?? 0)),
    failValues: () => [0],
  },
  readdir: {
    call: (o, a, c, sig) => o.readdir!(s(a[0]), u64(a[1], a[2]), n(a[3]), c,
      (code, names, stats, base) => sig(code, names ?? [], (stats ?? []).map(statArray), base ?? 0)),
    failValues: () => [[], [], 0],
  },
  releasedir: simple((o, a, c, sig) => o.releasedir!(s(a[0]), n(a[1]), c, sig)),
  truncate: simple((o, a, c, sig) => o.truncate!(s(a[0]), u64(a[1], a[2]), c, sig)),
  ftruncate: simple((o, a, c, sig) => o.ftruncate!(s(a[0]), n(a[1]), u64(a[2], a[3]), c, sig)),
  utimens: simple((o, a, c, sig) => o.utimens!(s(a[0]), ts(a[1], a[2], a[3]), ts(a[4], a[5], a[6]), c, sig)),
  readlink: {
    call: (o, a, c, sig) => o.readlink!(s(a[0]), c, (code, target) => sig(code, target ?? '')),
    failValues: () => [''],
  },
  chown: simple((o, a, c, sig) => o.chown!(s(a[0]), n(a[1]), n(a[2]), c, sig)),
  chmod: simple((o, a, c, sig) => o.chmod!(s(a[0]), n(a[1]), c, sig)),
  mknod: simple((o, a, c, sig) => o.mknod!(s(a[0]), n(a[1]), n(a[2]), c, sig)),
  setxattr: {
    call: (o, a, c, sig) => o.setxattr!(s(a[0]), s(a[1]), buf(a[2]), n(a[3]), n(a[4]), c, (code) => sig(code, buf(a[2]).buffer)),
    failValues: (a) => [buf(a[2]).buffer],
  },
  getxattr: {
    // getxattr(2): size query (empty buffer) → the length; too small → ERANGE
    call: (o, a, c, sig) => {
      const out = buf(a[2]);
      o.getxattr!(s(a[0]), s(a[1]), n(a[3]), c, (code, value) => {
        if (code < 0) return sig(code, out.buffer);
        if (!value) return sig(-os.errno.ENODATA, out.buffer);
        if (out.length === 0) return sig(value.length, out.buffer);
        if (value.length > out.length) return sig(-os.errno.ERANGE, out.buffer);
        value.copy(out);
        return sig(value.length, out.buffer);
      });
    },
    failValues: (a) => [buf(a[2]).buffer],
  },
  listxattr: {
    // NUL-terminated names; the exact length for a size query, ERANGE when it does not fit
    call: (o, a, c, sig) => {
      const out = buf(a[1]);
      o.listxattr!(s(a[0]), c, (code, names) => {
        if (code < 0 || !names) return sig(code < 0 ? code : -os.errno.EIO, out.buffer);
        const list = Buffer.concat(names.map((nm) => Buffer.from(nm + '\0')));
        if (out.length === 0) return sig(list.length, out.buffer);
        if (list.length > out.length) return sig(-os.errno.ERANGE, out.buffer);
        list.copy(out);
        return sig(list.length, out.buffer);
      });
    },
    failValues: (a) => [buf(a[1]).buffer],
  },
  removexattr: simple((o, a, c, sig) => o.removexattr!(s(a[0]), s(a[1]), c, sig)),
  open: {
    call: (o, a, c, sig) => o.open!(s(a[0]), n(a[1]), c, (code, fd, directIo) => sig(code, fd ?? 0, directIo ? 1 : 0)),
    failValues: () => [0, 0],
  },
  read: {
    call: (o, a, c, sig) => o.read!(s(a[0]), n(a[1]), buf(a[2]), n(a[3]), u64(a[4], a[5]), c, (code) => sig(code, 0, buf(a[2]).buffer)),
    failValues: (a) => [0, buf(a[2]).buffer],
  },
  write: {
    call: (o, a, c, sig) => o.write!(s(a[0]), n(a[1]), buf(a[2]), n(a[3]), u64(a[4], a[5]), n(a[6]) !== 0, c, (code) => sig(code, 0, buf(a[2]).buffer)),
    failValues: (a) => [0, buf(a[2]).buffer],
  },
  release: simple((o, a, c, sig) => o.release!(s(a[0]), n(a[1]), n(a[2]) !== 0 ? (a[3] as bigint) : undefined, c, sig)),
  create: {
    call: (o, a, c, sig) => o.create!(s(a[0]), n(a[1]), n(a[2]), c, (code, fd, directIo) => sig(code, fd ?? 0, directIo ? 1 : 0)),
    failValues: () => [0, 0],
  },
  unlink: simple((o, a, c, sig) => o.unlink!(s(a[0]), c, sig)),
  rename: simple((o, a, c, sig) => o.rename!(s(a[0]), s(a[1]), c, sig)),
  link: simple((o, a, c, sig) => o.link!(s(a[0]), s(a[1]), c, sig)),
  symlink: simple((o, a, c, sig) => o.symlink!(s(a[0]), s(a[1]), c, sig)),
  mkdir: simple((o, a, c, sig) => o.mkdir!(s(a[0]), n(a[1]), c, sig)),
  rmdir: simple((o, a, c, sig) => o.rmdir!(s(a[0]), c, sig)),
  lock: {
    call: (o, a, c, sig) => {
      const lk: FuseFlock = { type: n(a[3]), whence: n(a[4]), start: int64Exact(a[5], a[6]), len: int64Exact(a[7], a[8]), pid: n(a[9]) };
      const cmd = n(a[2]);
      o.lock!(s(a[0]), n(a[1]), cmd, lk, a[10] as bigint, c as FuseLockContext,
        (code, out) => sig(code, flockArray(cmd === F_GETLK ? out ?? lk : undefined)));
    },
    failValues: () => [flockArray()],
  },
  flock: simple((o, a, c, sig) => o.flock!(s(a[0]), n(a[1]), n(a[2]), a[3] as bigint, c as FuseLockContext, sig)),
  fallocate: simple((o, a, c, sig) => o.fallocate!(s(a[0]), n(a[1]), n(a[2]), u64(a[3], a[4]), u64(a[5], a[6]), c, sig)),
};
