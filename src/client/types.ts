/**
 * The contract of the client library (src/client/dfs-client.ts implements it), used by the
 * CLI and by the FUSE mount. Every method rejects with a DfsError (src/common/errors.ts):
 * namespace errors keep their errno code (ENOENT, EEXIST, ENOTDIR, EISDIR, ENOTEMPTY, EINVAL,
 * ENAMETOOLONG), an unreachable master or chunkserver becomes UNAVAILABLE or ETIMEDOUT after
 * the configured deadline (never a hang), data that cannot be read from any replica becomes EIO
 * or CHECKSUM_MISMATCH.
 */
import type { Readable, Writable } from 'node:stream';
import type { Attr__Output } from '../generated/dfs/Attr';
import type { DirEntry__Output } from '../generated/dfs/DirEntry';
import type { ListReply__Output } from '../generated/dfs/ListReply';
import type { NodeInfo__Output } from '../generated/dfs/NodeInfo';
import type { StatFsReply__Output } from '../generated/dfs/StatFsReply';
import type { SetAttrRequest } from '../generated/dfs/SetAttrRequest';
import type { DeleteKind } from '../generated/dfs/DeleteKind';
import type { ChunkInfo__Output } from '../generated/dfs/ChunkInfo';
import type { LockInfo, LockSpec } from '../common/locks';

export type Attr = Attr__Output;
/** A created file's attributes, with its folder's as the create left it (when the master sent them). */
export type Created = Attr & { parent?: Attr };

/** A chunk written with noSync (its index in the file and its handle). */
export interface UnsyncedChunk {
  index: number;
  handle: number;
}
export type DirEntry = DirEntry__Output;
export type NodeInfo = NodeInfo__Output;
export type StatFs = StatFsReply__Output;
export type ChunkInfo = ChunkInfo__Output;

export interface Progress {
  bytesDone: number;
  /** Total bytes when known (put of a file, get), else undefined (stdin). */
  bytesTotal?: number;
}

export interface PutOptions {
  chunkSizeBytes?: number;
  replication?: number;
  /** Replace an existing file at the path (default true, like cp). */
  overwrite?: boolean;
  mode?: number;
  /** Size of the source when known: enables progress totals. */
  sizeHint?: number;
  onProgress?: (p: Progress) => void;
}

export interface GetOptions {
  /** Verify the whole file against the SHA-256 stored at upload (default true when one is stored). */
  verify?: boolean;
  onProgress?: (p: Progress) => void;
}

export type SpecialFileType = 'FIFO' | 'CHAR_DEVICE' | 'BLOCK_DEVICE' | 'SOCKET';

export interface MknodOptions {
  type: SpecialFileType;
  /** Permission bits (07777). */
  mode: number;
  /** Device number (Linux dev_t) of a device node. */
  rdev?: number;
  uid?: number;
  gid?: number;
}

export interface CreateOptions {
  mode?: number; exclusive?: boolean; truncate?: boolean; uid?: number; gid?: number; chunkSizeBytes?: number; replication?: number;
  wantLease?: boolean;
}

export interface DfsClientApi {
  /** Closes every channel. Pending calls fail with CANCELLED. */
  close(): void;

  // --- namespace (paths are absolute; normalized by the client, re-checked by the master)
  stat(path: string): Promise<Attr>;
  /** One page of a directory, names in bytewise order after `startAfter`. */
  list(path: string, opts?: { startAfter?: string; limit?: number }): Promise<ListReply__Output>;
  /** Every entry of a directory, fetched page by page (bounded memory). */
  listAll(path: string): AsyncIterable<DirEntry>;
  mkdir(path: string, opts?: { mode?: number; parents?: boolean; uid?: number; gid?: number }): Promise<Attr>;
  /**
   * Creates (or with truncate, empties) a regular file visible at once; used by the mount.
   * Resolves with its attributes and, when the master sent them, the folder's as the create left it.
   * `wantLease`: the caller writes the file at once, chunk 0's lease comes with the reply when the
   * master has a chunk granted ahead (needs a session).
   */
  create(path: string, opts?: CreateOptions): Promise<Created>;
  /** Resolves with the attributes of the folder that held the name, as the delete left it. */
  delete(path: string, opts?: { recursive?: boolean; kind?: DeleteKind }): Promise<Attr | undefined>;
  rename(src: string, dst: string, opts?: { noReplace?: boolean }): Promise<void>;
  setAttr(req: SetAttrRequest): Promise<Attr>;
  symlink(path: string, target: string, opts?: { uid?: number; gid?: number }): Promise<Attr>;
  /** link(2): a second name for a non-directory (EPERM on a directory, EEXIST when `dst` exists). */
  link(src: string, dst: string): Promise<Attr>;
  /** mknod(2) of a FIFO, device node or socket: metadata only. */
  mknod(path: string, opts: MknodOptions): Promise<Attr>;

  // --- extended attributes (Linux semantics: ENODATA when absent, ERANGE/E2BIG over the limits)
  /** `flags`: 0, XATTR_CREATE (1: EEXIST when set) or XATTR_REPLACE (2: ENODATA when not). */
  setXattr(path: string, name: string, value: Buffer, flags?: number): Promise<void>;
  getXattr(path: string, name: string): Promise<Buffer>;
  listXattr(path: string): Promise<string[]>;
  removeXattr(path: string, name: string): Promise<void>;
  statFs(): Promise<StatFs>;
  nodes(): Promise<NodeInfo[]>;
  /** Every chunk of a file with its version and live replicas, as the master knows them now (stat, fsck, tests). */
  locate(path: string): Promise<ChunkInfo[]>;

  // --- sessions (the mount): open files survive unlink/rename-over until released
  /** Stat + register an open handle of this client's session on the inode. */
  open(path: string, opts?: { writable?: boolean }): Promise<Attr>;
  release(ino: number): Promise<void>;
  /** open() of inode `ino`, which may have no name left (one unlinked while open in this session). */
  openIno(ino: number, opts?: { writable?: boolean }): Promise<Attr>;
  /** Fresh attributes of inode `ino` (also of one unlinked while open in this session). */
  statIno(ino: number): Promise<Attr>;
  /**
   * Ends this client's session on the master (the mount unmounts): its locks and open files go
   * now instead of after cluster.sessionTimeoutMs, and KeepSession stops. A no-op without a session.
   */
  endSession(): Promise<void>;

  // --- locks (flock and fcntl POSIX locks, cluster-wide; need a session)
  /**
   * Takes, converts or releases a lock held by the master for this session. Resolves true when
   * held (unlock: always), false when `waitMs` passed without it (call again to keep waiting).
   * Rejects EAGAIN on a conflict when waitMs is 0, EDEADLK (POSIX wait cycle), ENOLCK (the
   * master's limit), EINVAL (no session, bad range).
   */
  lock(spec: LockSpec): Promise<boolean>;
  /** F_GETLK: the first lock of another owner that `spec` (READ or WRITE) conflicts with, or undefined. */
  getLock(spec: LockSpec): Promise<LockInfo | undefined>;

  // --- whole files, streamed with bounded memory
  /** Uploads `source` to `remotePath`; visible only once every chunk is on every replica (commit). */
  put(source: Readable, remotePath: string, opts?: PutOptions): Promise<Attr>;
  /** Streams a file into `dest` (chunks fetched in parallel, written in order); does not end `dest`. */
  get(remotePath: string, dest: Writable, opts?: GetOptions): Promise<Attr>;

  // --- ranges by inode (the mount); chunk locations are cached per inode
  /** Reads up to `length` bytes at `offset` (fewer at end of file; holes read as zeros). */
  readRange(ino: number, offset: number, length: number): Promise<Buffer>;
  /** readRange's bytes as the frames that brought them, in order (views, not joined: see byte-parts.ts). */
  readParts(ino: number, offset: number, length: number): Promise<Buffer[]>;
  /**
   * Writes `data` at `offset` through the chunks' leases (splitting at chunk boundaries);
   * resolves when every replica has it durably. Does not change the file size on the master:
   * call commitWrite after. `chunkSizeBytes`, when the caller knows the file's chunk size (an open
   * handle's attributes), saves the GetChunks round trip that would look it up.
   */
  writeRange(ino: number, offset: number, data: Buffer, chunkSizeBytes?: number): Promise<void>;
  /**
   * writeRange of several disjoint runs at once: the pieces of each chunk go in one chunk write
   * (WriteHeader.ranges: one trip down the chain, one round of fsyncs per chunk). Resolves when
   * every replica has all of it durably; with `noSync`, when every replica holds it (in its page
   * cache), and returns the chunks written, for syncChunks.
   */
  writeRanges(ino: number, runs: Array<{ offset: number; data: Buffer }>, chunkSizeBytes?: number, opts?: { noSync?: boolean }): Promise<UnsyncedChunk[]>;
  /**
   * Makes noSync writes of chunks of `ino` durable: SyncChunks to every replica the master lists
   * for them now (a replica that restarted has a new address; one that died is left to
   * re-replication). EIO when a replica's disk fails the fsync or no replica of a chunk could be
   * synced. A chunk no longer in the file (truncated, deleted) has nothing left to sync.
   */
  syncChunks(ino: number, chunks: UnsyncedChunk[]): Promise<void>;
  /**
   * SyncChunks of `handles` to every live chunkserver (a server that holds none of them does
   * nothing): one call per server, whatever the number of files (unmount). Errors are the
   * caller's; `timeoutMs` bounds each call (default `client.dataTimeoutMs`).
   */
  syncEverywhere(handles: number[], timeoutMs?: number): Promise<void>;
  /**
   * Whether slot `index` of file `ino` holds a chunk (false: a hole, or past its last chunk), from
   * the cached chunk locations (one GetChunks per page of slots not cached; after `invalidate`,
   * the master's view now).
   */
  chunkStored(ino: number, index: number): Promise<boolean>;
  /** size = max(size, minSize), mtime = given or now. */
  commitWrite(ino: number, minSize: number, mtimeMs?: number): Promise<Attr>;
  /**
   * Where `length` bytes appended to `ino` go: after its committed size, every earlier
   * reservation (of any client) and `atLeast` (ReserveAppend). Write them there, then commitWrite.
   */
  reserveAppend(ino: number, length: number, atLeast: number): Promise<number>;
  /** Forgets cached chunk locations and attributes of an inode (close-to-open: called on open). */
  invalidate(ino: number): void;
}
