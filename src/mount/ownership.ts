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
 * suid/sgid clearing on write, truncate and chown (sent to the mount as a chmod) — except one
 * case: FUSE's setattr clears S_ISGID only on a group-executable file, while local file systems
 * (setattr_should_drop_sgid) also clear it when the writer is outside the file's group and not
 * privileged. `dropsSetgid` decides that case; fuse-ops.ts applies it on the first write of a
 * handle and on truncate.
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

const S_IXGRP = 0o010;

/**
 * Whether a write or truncate by `caller` must clear the S_ISGID of a file with `mode` and group
 * `gid` that the kernel's FUSE path leaves: set without group execute, the caller not root (no
 * CAP_FSETID) and outside the group (neither its gid nor one of `groups`, its supplementary groups).
 */
export function dropsSetgid(mode: number, gid: number, caller: { uid: number; gid: number }, groups: readonly number[]): boolean {
  if ((mode & S_ISGID) === 0 || (mode & S_IXGRP) !== 0 || caller.uid === 0) return false;
  return caller.gid !== gid && !groups.includes(gid);
}
