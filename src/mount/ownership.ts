/**
 * Permission rules the mount applies itself. Pure; fuse-ops.ts supplies the inputs.
 *
 * What is NOT decided here: the owner, group and mode of a new inode (the master's namespace,
 * common/inode-owner.ts, for every client); and what the kernel already does before a request
 * reaches the mount (`default_permissions`, Linux >= 6.0): permission checks (search on every
 * component, write+search on the parent, sticky directories, open modes, access(2)), the umask
 * (applied to the mode of create/mkdir/mknod), chmod/chown/chgrp/utimensat permission rules,
 * dropping S_ISGID from a new non-directory whose creator is not in the inherited group, and the
 * suid/sgid clearing on write, truncate and chown (sent to the mount as a chmod) — except one
 * case: FUSE's setattr clears S_ISGID only on a group-executable file, while local file systems
 * (setattr_should_drop_sgid) also clear it when the writer is outside the file's group and not
 * privileged. `dropsSetgid` decides that case; fuse-ops.ts applies it on the first write of a
 * handle and on truncate.
 */
import { S_ISGID } from '../common/inode-owner';

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
