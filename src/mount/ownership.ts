/**
 * Owner, group and mode of what the mount creates, from the calling process (the FUSE request's
 * uid/gid) and the parent directory: the rule of Linux local file systems (inode_init_owner).
 * Pure; the FUSE adapter (fuse-ops.ts) supplies the parent's attributes.
 *
 * What is NOT decided here, because the kernel already does it before a request reaches the
 * mount (`default_permissions`, Linux ≥ 6.0): permission checks (search on every component,
 * write+search on the parent, sticky directories, open modes, access(2)), the umask (applied to
 * the mode of create/mkdir/mknod), chmod/chown/chgrp/utimensat permission rules, dropping
 * S_ISGID from a new non-directory whose creator is not in the inherited group, and the
 * suid/sgid clearing on write, truncate and chown (sent to the mount as a chmod).
 */

export const S_ISUID = 0o4000;
export const S_ISGID = 0o2000;
export const S_ISVTX = 0o1000;
export const PERMISSION_BITS = 0o7777;

export interface NewInodeOwner {
  uid: number;
  gid: number;
  /** Permission bits of the new inode (07777). */
  mode: number;
}

/**
 * A new inode belongs to the caller's uid; its group is the parent's when the parent is setgid
 * (BSD group semantics), else the caller's gid; a new directory under a setgid parent is setgid
 * itself so the rule carries down the tree.
 */
export function newInodeOwner(
  parent: { mode: number; gid: number },
  caller: { uid: number; gid: number },
  mode: number,
  isDirectory: boolean,
): NewInodeOwner {
  const setgidParent = (parent.mode & S_ISGID) !== 0;
  const bits = mode & PERMISSION_BITS;
  return {
    uid: caller.uid,
    gid: setgidParent ? parent.gid : caller.gid,
    mode: setgidParent && isDirectory ? bits | S_ISGID : bits,
  };
}
