/**
 * Owner, group and mode of a new inode, from its creator and its parent directory: the rule of
 * Linux local file systems (inode_init_owner), applied by the master's namespace to every
 * create, mkdir, mknod and symlink, whoever the client is.
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
