/**
 * The master's persistent state: one LMDB environment with named databases
 * (see docs/ARCHITECTURE.md "Namespace (LMDB)").
 *
 * Contract: every mutation goes through `tx(fn)`. `fn` runs synchronously inside a child
 * transaction of one write transaction: when it throws, none of its writes are kept; when it
 * returns, the promise resolves only after the transaction is committed and flushed to disk.
 * Nothing per file is cached in memory: callers read LMDB every time (reads are ~1 µs).
 */
import { open, RootDatabase, Database } from 'lmdb';
import { constants as os } from 'node:os';
import { statfs } from 'node:fs/promises';
import { randomInt } from 'node:crypto';
import { DfsError } from '../common/errors';

/** [sec, nsec] */
export type Ts = [number, number];

export type FileKind = 'REGULAR' | 'DIRECTORY' | 'SYMLINK' | 'FIFO' | 'CHAR_DEVICE' | 'BLOCK_DEVICE' | 'SOCKET';

export interface InodeRec {
  type: FileKind;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  nlink: number;
  atime: Ts;
  mtime: Ts;
  ctime: Ts;
  /** Files: bytes per chunk. Directories: default for children, 0 = config. */
  chunkSize: number;
  /** Files: replica goal. Directories: default for children, 0 = config. */
  replication: number;
  /** Chunk handles by index; 0 = hole. Empty for non-files. */
  chunks: number[];
  sha256?: Uint8Array;
  target?: string;
  rdev?: number;
  /** The exclusive Create (or Mkdir) that made this inode, until its first write (a folder: its first entry) (create_token). */
  createToken?: number;
}

export interface ChunkRec { ino: number; index: number; version: number }
export interface UploadRec { path: string; expiresAtMs: number }
export interface OrphanRec { sinceMs: number }

/** `clusterId`: a random number drawn when the namespace is made (see clusterIdOf). */
export type MetaKey = 'nextIno' | 'nextHandle' | 'inodeCount' | 'chunkCount' | 'clusterId';

export const ROOT_INO = 1;

export class MetaStore {
  readonly root: RootDatabase;
  readonly inodes: Database<InodeRec, number>;
  readonly dirents: Database<number, [number, string]>;
  readonly chunks: Database<ChunkRec, number>;
  readonly uploads: Database<UploadRec, number>;
  readonly orphans: Database<OrphanRec, number>;
  /** Folders detached from the namespace by a recursive delete whose tree is still being removed (Namespace.reapDoomed). */
  readonly doomed: Database<OrphanRec, number>;
  readonly meta: Database<number, string>;
  /** `[ino, name]` → value bytes: extended attributes, removed with their inode. */
  readonly xattrs: Database<Buffer, [number, string]>;

  constructor(private readonly dir: string) {
    guardCommitFailures();
    this.root = open({ path: dir, compression: false });
    const opts = { encoding: 'msgpack' as const, keyEncoding: 'ordered-binary' as const };
    this.inodes = this.root.openDB<InodeRec, number>({ name: 'inodes', ...opts });
    this.dirents = this.root.openDB<number, [number, string]>({ name: 'dirents', ...opts });
    this.chunks = this.root.openDB<ChunkRec, number>({ name: 'chunks', ...opts });
    this.uploads = this.root.openDB<UploadRec, number>({ name: 'uploads', ...opts });
    this.orphans = this.root.openDB<OrphanRec, number>({ name: 'orphans', ...opts });
    this.doomed = this.root.openDB<OrphanRec, number>({ name: 'doomed', ...opts });
    this.meta = this.root.openDB<number, string>({ name: 'meta', ...opts });
    this.xattrs = this.root.openDB<Buffer, [number, string]>({ name: 'xattrs', encoding: 'binary', keyEncoding: 'ordered-binary' });
  }

  /**
   * Bytes of the LMDB pages that hold data: branch, leaf and overflow pages of every database.
   * The data file's size is the high-water mark: it stays when records are deleted, and new
   * records first fill the pages freed.
   */
  usedBytes(): number {
    let pages = 0;
    let pageSize = 0;
    for (const db of [this.root, this.inodes, this.dirents, this.chunks, this.uploads, this.orphans, this.doomed, this.meta, this.xattrs]) {
      const s = db.getStats() as { pageSize: number; treeBranchPageCount: number; treeLeafPageCount: number; overflowPages: number };
      pages += s.treeBranchPageCount + s.treeLeafPageCount + s.overflowPages;
      pageSize = s.pageSize;
    }
    return pages * pageSize;
  }

  /** Write transactions started so far (lets a scan know that nothing was written since). */
  writes = 0;
  /** Write transactions started and not yet durable (or failed). */
  private inFlight = 0;

  /**
   * No write transaction is in flight: what a read outside a transaction sees is everything
   * written so far, so a check that finds nothing to change needs no transaction.
   */
  get settled(): boolean {
    return this.inFlight === 0;
  }

  /**
   * Runs `fn` atomically; resolves with its result after the commit is durable. lmdb-js commits
   * with `overlappingSync` (its default here): the transaction's promise resolves when the
   * commit is visible, and the flush to disk follows; waiting for `flushed` too is what makes
   * an acknowledged operation survive a power loss (measured: 0.45 ms per commit either way,
   * the flush overlapping the next transactions).
   */
  async tx<T>(fn: () => T): Promise<T> {
    this.writes++;
    this.inFlight++;
    try {
      const result = await (this.root.transaction(() => this.root.childTransaction(fn)) as Promise<T>);
      await this.untilFlushed();
      return result;
    } catch (e) {
      const err = await commitFailure(e, this.dir);
      if (err !== e) this.failFlushWaiters(err);
      throw err;
    } finally {
      this.inFlight--;
    }
  }

  /**
   * Transactions waiting for their flush. lmdb-js never resolves the flush of a batch whose
   * commit failed, so a transaction waiting on `flushed` behind it would wait forever (measured:
   * creates on a full disk hung until their 30 s deadline): a failed commit rejects every waiter
   * (its commit is visible, but whether it reached the disk is unknown). A set, not a race with
   * one long-lived promise: every race left a reaction on that promise for good (measured: 378
   * bytes of heap per transaction, 436 bytes per file after 1,000,000 creates).
   */
  private readonly flushWaiters = new Set<(e: unknown) => void>();

  private untilFlushed(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.flushWaiters.add(reject);
      (this.root.flushed as Promise<unknown>).then(
        () => { this.flushWaiters.delete(reject); resolve(); },
        (e: unknown) => { this.flushWaiters.delete(reject); reject(e); },
      );
    });
  }

  private failFlushWaiters(err: unknown): void {
    const waiters = [...this.flushWaiters];
    this.flushWaiters.clear();
    for (const reject of waiters) reject(err);
  }

  counter(key: MetaKey): number {
    return this.meta.get(key) ?? 0;
  }

  /** Inside a transaction: adds `delta` to a counter and returns the value before. */
  bump(key: MetaKey, delta: number): number {
    const before = this.counter(key);
    this.meta.put(key, before + delta);
    return before;
  }

  /**
   * Inside a transaction: draws the cluster's id if this namespace has none yet (a new one, or
   * one made before ids existed). Chunkservers keep the id of the first master they registered
   * with and a master of another cluster refuses them, so a master started on a fresh folder by
   * mistake cannot take their replicas for garbage (HDFS's clusterID).
   */
  ensureClusterId(): void {
    if (this.counter('clusterId') === 0) this.meta.put('clusterId', randomInt(1, 2 ** 48));
  }

  /** The cluster's id as chunkservers store and show it ("CID-" and 12 hex digits). */
  clusterId(): string {
    return clusterIdOf(this.counter('clusterId'));
  }

  close(): Promise<void> {
    return this.root.close();
  }
}

function clusterIdOf(n: number): string {
  return `CID-${n.toString(16).padStart(12, '0')}`;
}

/** errno of "No space left on device" (lmdb-js reports a failed commit by its errno). */
const ENOSPC_ERRNO = os.errno.ENOSPC;
/** A failed commit with less free space than this in the metadata folder is reported as ENOSPC. */
const FULL_BELOW_BYTES = 8 * 1024 * 1024;

/** lmdb-js's error for a commit it could not write: the cause comes later on `commitError`. */
function isCommitFailure(e: unknown): e is Error & { commitError: Promise<unknown> } {
  const cause = (e as { commitError?: Promise<unknown> } | null)?.commitError;
  return !!cause && typeof cause.then === 'function';
}

let guarded = false;

/**
 * lmdb-js also rejects internal promises of a failed commit's batch that nothing awaits; under
 * Node's default these unhandled rejections end the process. Every transaction of the batch has
 * already failed to its caller (tx), so those are dropped here; any other unhandled rejection
 * still ends the process, as by default.
 */
function guardCommitFailures(): void {
  if (guarded) return;
  guarded = true;
  process.on('unhandledRejection', (reason) => {
    if (!isCommitFailure(reason)) throw reason;
    reason.commitError.catch(() => undefined);
  });
}

/**
 * A commit lmdb-js could not write (a full or failing disk) rejects every transaction of its
 * batch with an Error whose `commitError` is a second promise, rejected with the cause: left
 * without a handler, that rejection ended the master (found with a full metadata disk). The
 * operation fails with ENOSPC (little room left in `dir`) or EIO instead, and the master keeps
 * serving (reads, and writes once there is room again). Errors thrown by the transaction's own
 * function pass through unchanged.
 */
async function commitFailure(e: unknown, dir: string): Promise<unknown> {
  if (!isCommitFailure(e)) return e;
  // lmdb-js rejects commitError with the cause right after the transactions (not later than
  // the next turn of the event loop); it names the failed write, often EIO even on a full disk
  const cause = await Promise.race([
    e.commitError.then(() => undefined, (c: unknown) => c),
    new Promise<undefined>((resolve) => setImmediate(() => resolve(undefined))),
  ]);
  const free = await statfs(dir).then((st) => st.bavail * st.bsize, () => undefined);
  if ((cause as { code?: unknown } | undefined)?.code === ENOSPC_ERRNO || (free !== undefined && free < FULL_BELOW_BYTES)) {
    return new DfsError('ENOSPC', `the master's metadata disk is full (${free ?? 0} bytes free in ${dir})`, { cause: e });
  }
  return new DfsError('EIO', `the master could not write its metadata to disk: ${(cause as Error | undefined)?.message ?? 'commit failed'}`, { cause: e });
}
