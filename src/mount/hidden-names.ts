/**
 * Open files whose last name went away, as a local file system shows them: no name at all.
 *
 * libfuse 2 (without `hard_remove`) does not pass the unlink of an open file, nor a rename over
 * one, to the file system as such: it first renames the file to `.fuse_hidden<node><counter>`
 * in the same folder, keeps sending that path for the open file's operations, and unlinks it
 * after the last release. Stored as a real name, it would show in listings, count in st_nlink
 * and make `rm -r` of its folder fail with ENOTEMPTY. (`hard_remove` avoids the rename but
 * leaves such a file with no path at all, and libfuse then answers fstat(2) with ENOENT before
 * asking the file system.)
 *
 * So the mount turns that rename into what it stands for, and the hidden path is remembered
 * here as an alias of the inode for the operations libfuse still sends with it (getattr,
 * setattr, truncate); its final unlink only forgets the alias. For an unlink, the master
 * unlinks the name at once (the inode stays while this mount's session holds it open, as an
 * orphan with st_nlink 0). For a rename over the open file (the caller is inside a rename
 * system call: fuse-ops.ts reads /proc/<tid>/syscall), the master is not told: libfuse's next
 * call, the rename itself, replaces the name in one master transaction (the replaced inode
 * becomes the orphan then), so the name never goes missing for other processes and mounts,
 * and a rename that fails leaves it where it was (the alias then stands for an inode that
 * still has its name; nothing deletes it). libfuse also takes one off st_nlink of a hidden
 * node, which the getattr handler adds back. An open of a hidden path whose inode is gone (a
 * lookup made before the rename, the open after the last release) fails with ESTALE: the kernel
 * then looks the name up again.
 *
 * Left: once the folder of such a file is removed too, libfuse has no path for it and answers
 * fstat(2) with ENOENT itself (read, write, ftruncate and close still work from the handle).
 */
import { posix } from 'node:path';

/** libfuse 2.9's hidden_name(): `.fuse_hidden%08x%08x`. */
const HIDDEN_NAME = /^\.fuse_hidden[0-9a-f]{16}$/;

export function isHiddenName(path: string): boolean {
  return HIDDEN_NAME.test(posix.basename(path));
}

export class HiddenNames {
  private readonly inoOfPath = new Map<string, number>();

  /** `path` (a libfuse hidden name) now stands for inode `ino`, which has no name of its own. */
  add(path: string, ino: number): void {
    this.inoOfPath.set(path, ino);
  }

  /** The inode a hidden path stands for, or undefined for any other path. */
  inoOf(path: string): number | undefined {
    return this.inoOfPath.get(path);
  }

  /** libfuse's unlink of the hidden name at the last release: true when `path` was one. */
  remove(path: string): boolean {
    return this.inoOfPath.delete(path);
  }

  /**
   * The inode's last handle in this mount closed with no path: its aliases go (libfuse skips
   * the unlink of a hidden name whose folder was removed meanwhile).
   */
  forgetIno(ino: number): void {
    for (const [path, i] of this.inoOfPath) if (i === ino) this.inoOfPath.delete(path);
  }

  get size(): number {
    return this.inoOfPath.size;
  }
}
