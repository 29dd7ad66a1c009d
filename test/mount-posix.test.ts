/**
 * POSIX conformance of the mount, by system call: every case runs the same Python code (see
 * helpers/posix-driver.ts) in a dfs mount (in-process cluster, real FUSE mount) and in a local
 * temp folder, each in a child process under `timeout -s KILL`, and the two transcripts (return
 * values, errno names, resulting type/mode/nlink/size/rdev/owner, which timestamps moved) must
 * be identical. This process serves the mount, so it never touches it itself.
 *
 * Every case of SUITE runs twice: as root, and as the unprivileged uid/gid 65534 without
 * supplementary groups (the driver hands it the case folder and drops privileges), so owners,
 * groups and permission errors are compared too. PERMISSIONS cases set things up as root and
 * drop to a user themselves (`user(uid, gid, groups)`): search and write permission on
 * directories, sticky directories, setgid inheritance, suid/sgid clearing, chmod/chown/chgrp
 * and utimensat rules, access(2). Both need root (skipped otherwise).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startClusterMount, stopClusterMount, type ClusterMount } from './helpers/cluster-mount';
import { POSIX_DRIVER_PY } from './helpers/posix-driver';

interface Case {
  name: string;
  /** Python run in a fresh folder (helpers: r, st, same, w, cat, ls, xl, times, changed). */
  code: string;
  /** A known divergence, with the reason: the case runs but its result is not asserted. */
  todo?: string;
}

const CASE_TIMEOUT_SEC = 60;
const IS_ROOT = process.getuid?.() === 0;
/** The unprivileged identity of the second run of every SUITE case: uid, gid, no groups. */
const USER_ARGS = ['65534', '65534', ''];
/** A python3 the unprivileged user can run (pyenv's lives under /root, which is 0700). */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const CASES_IN_PARALLEL = 4;
const L255 = 'n'.repeat(255);
const L256 = 'n'.repeat(256);

const SUITE: Record<string, Case[]> = {
  link: [
    { name: 'a second name of a file: both nlink 2, one inode', code: `w('a', b'hello'); r(os.link, 'a', 'b'); st('a'); st('b'); same('a', 'b'); cat('b')` },
    { name: 'unlink of one name keeps the data', code: `w('a', b'data'); r(os.link, 'a', 'b'); r(os.unlink, 'a'); st('b'); cat('b'); ls()` },
    { name: 'three names, two unlinked', code: `w('a'); r(os.link, 'a', 'b'); r(os.link, 'a', 'c'); st('c'); r(os.unlink, 'a'); r(os.unlink, 'c'); st('b')` },
    { name: 'to a directory is EPERM', code: `os.mkdir('d'); r(os.link, 'd', 'e'); st('d'); ls()` },
    { name: 'onto an existing name is EEXIST', code: `w('a'); w('b'); r(os.link, 'a', 'b'); st('a'); st('b')` },
    { name: 'from a missing name is ENOENT', code: `r(os.link, 'nope', 'b'); ls()` },
    { name: 'into a missing directory is ENOENT', code: `w('a'); r(os.link, 'a', 'no/b'); st('a')` },
    { name: 'under a file is ENOTDIR', code: `w('a'); w('f'); r(os.link, 'a', 'f/b'); st('a')` },
    { name: 'across directories', code: `os.mkdir('d1'); os.mkdir('d2'); w('d1/a', b'xyz'); r(os.link, 'd1/a', 'd2/b'); st('d2/b'); same('d1/a', 'd2/b'); st('d1'); st('d2')` },
    { name: 'a write through one name is read through the other', code: `w('a', b'one'); r(os.link, 'a', 'b'); w('b', b'two!'); cat('a'); st('a')` },
    { name: 'chmod through one name shows on the other', code: `w('a'); r(os.link, 'a', 'b'); r(os.chmod, 'b', 0o600); st('a')` },
    { name: 'truncate through one name shows on the other', code: `w('a', b'0123456789'); r(os.link, 'a', 'b'); r(os.truncate, 'b', 3); st('a'); cat('a')` },
    { name: 'rename between two links of one inode does nothing', code: `w('a'); r(os.link, 'a', 'b'); r(os.rename, 'a', 'b'); ls(); st('a'); st('b')` },
    { name: 'rename of a link over another file', code: `w('a', b'A'); w('c', b'C'); r(os.link, 'a', 'b'); r(os.rename, 'b', 'c'); st('a'); cat('c'); ls()` },
    { name: 'of a symlink (not followed)', code: `r(os.symlink, 'target', 's'); r(os.link, 's', 'h', follow_symlinks=False); st('s'); st('h')` },
    { name: 'of a FIFO', code: `r(os.mkfifo, 'p', 0o640); r(os.link, 'p', 'q'); st('p'); st('q')` },
    { name: 'changes the ctime, not the mtime', code: `w('a'); changed('a', os.link, 'a', 'b')` },
    { name: 'changes the directory mtime and ctime', code: `w('a'); changed('.', os.link, 'a', 'b')` },
    { name: 'unlink of one of two names changes the ctime', code: `w('a'); os.link('a', 'b'); changed('a', os.unlink, 'b'); st('a')` },
    { name: 'open file keeps its data after all names go', code: `w('a', b'kept'); os.link('a', 'b'); f = open('a', 'rb'); r(os.unlink, 'a'); r(os.unlink, 'b'); say('read: %r' % f.read()); f.close(); ls()` },
    { name: 'ten links', code: `w('a'); [os.link('a', 'l%d' % i) for i in range(9)]; st('a'); st('l8'); [os.unlink('l%d' % i) for i in range(0, 9, 2)]; st('a')` },
  ],
  symlink: [
    { name: 'to a file: lstat, stat, readlink, content', code: `w('f', b'abc'); r(os.symlink, 'f', 's'); st('s'); st('s', follow=True); r(os.readlink, 's'); cat('s')` },
    { name: 'dangling: lstat works, stat is ENOENT', code: `r(os.symlink, 'missing', 's'); st('s'); st('s', follow=True); r(os.readlink, 's'); cat('s')` },
    { name: 'onto an existing name is EEXIST', code: `w('f'); r(os.symlink, 'x', 'f'); st('f')` },
    { name: 'readlink of a file is EINVAL', code: `w('f'); r(os.readlink, 'f')` },
    { name: 'readlink of a directory is EINVAL', code: `os.mkdir('d'); r(os.readlink, 'd')` },
    { name: 'readlink of a missing name is ENOENT', code: `r(os.readlink, 'nope')` },
    { name: 'to a directory: listing through it', code: `os.mkdir('d'); w('d/f'); r(os.symlink, 'd', 's'); ls('s'); st('s'); st('s', follow=True)` },
    { name: 'O_NOFOLLOW on a symlink is ELOOP', code: `w('f'); os.symlink('f', 's'); r(os.open, 's', os.O_RDONLY | os.O_NOFOLLOW)` },
    { name: 'O_NOFOLLOW on a file opens it', code: `w('f'); fd = r(os.open, 'f', os.O_RDONLY | os.O_NOFOLLOW); fd is not None and os.close(fd)` },
    { name: 'unlink of a symlink keeps the target', code: `w('f', b'z'); os.symlink('f', 's'); r(os.unlink, 's'); st('f'); st('s')` },
    { name: 'a 4000-byte target', code: `r(os.symlink, 'x' * 4000, 's'); st('s')` },
    { name: 'a target of 4096 bytes is ENAMETOOLONG', code: `r(os.symlink, 'x' * 4096, 's'); st('s')` },
    { name: 'a chain of two', code: `w('f', b'end'); os.symlink('f', 's1'); os.symlink('s1', 's2'); cat('s2'); st('s2', follow=True)` },
    { name: 'a loop is ELOOP', code: `os.symlink('b', 'a'); os.symlink('a', 'b'); st('a', follow=True); cat('a')` },
    { name: 'rename keeps the target', code: `os.symlink('../x', 's'); r(os.rename, 's', 't'); st('t'); ls()` },
    { name: 'a relative target with ..', code: `os.mkdir('d'); w('f', b'up'); r(os.symlink, '../f', 'd/s'); cat('d/s')` },
    { name: 'an absolute target', code: `r(os.symlink, '/nonexistent/abs', 's'); st('s'); st('s', follow=True)` },
    { name: 'an empty target is ENOENT', code: `r(os.symlink, '', 's'); ls()` },
    { name: 'in a missing directory is ENOENT', code: `r(os.symlink, 'x', 'no/s')` },
    { name: 'chmod follows the link to the target', code: `w('f'); os.symlink('f', 's'); r(os.chmod, 's', 0o600); st('f'); st('s')` },
    { name: 'a symlink counts for the directory mtime', code: `changed('.', os.symlink, 'x', 's')` },
    { name: 'mkdir through a dangling link is EEXIST', code: `os.symlink('d', 's'); r(os.mkdir, 's'); st('s')` },
  ],
  mknod: [
    { name: 'mkfifo 0644', code: `r(os.mkfifo, 'p', 0o644); st('p')` },
    { name: 'mkfifo 0600', code: `r(os.mkfifo, 'p', 0o600); st('p')` },
    { name: 'mkfifo with umask applied', code: `r(os.mkfifo, 'p', 0o777); st('p')` },
    { name: 'mkfifo onto an existing name is EEXIST', code: `w('p'); r(os.mkfifo, 'p'); st('p')` },
    { name: 'mkfifo in a missing directory is ENOENT', code: `r(os.mkfifo, 'no/p')` },
    { name: 'character device 1,3', code: `r(os.mknod, 'c', 0o620 | stat.S_IFCHR, os.makedev(1, 3)); st('c')` },
    { name: 'character device with a big minor', code: `r(os.mknod, 'c', 0o600 | stat.S_IFCHR, os.makedev(136, 300)); st('c')` },
    { name: 'block device 8,1', code: `r(os.mknod, 'b', 0o660 | stat.S_IFBLK, os.makedev(8, 1)); st('b')` },
    { name: 'socket node', code: `r(os.mknod, 's', 0o755 | stat.S_IFSOCK); st('s')` },
    { name: 'mknod of a regular file', code: `r(os.mknod, 'f', 0o640 | stat.S_IFREG); st('f'); cat('f')` },
    { name: 'mknod with type 0 is a regular file', code: `r(os.mknod, 'f', 0o600); st('f')` },
    { name: 'unlink of a FIFO', code: `os.mkfifo('p'); r(os.unlink, 'p'); ls()` },
    { name: 'rename of a device node keeps its rdev', code: `os.mknod('c', 0o600 | stat.S_IFCHR, os.makedev(4, 5)); r(os.rename, 'c', 'd'); st('d')` },
    { name: 'chmod of a FIFO', code: `os.mkfifo('p'); r(os.chmod, 'p', 0o604); st('p')` },
    { name: 'chown of a device node', code: `os.mknod('c', 0o600 | stat.S_IFCHR, os.makedev(1, 5)); r(os.chown, 'c', 7, 8); st('c')` },
    { name: 'rmdir of a FIFO is ENOTDIR', code: `os.mkfifo('p'); r(os.rmdir, 'p'); st('p')` },
    { name: 'mknod changes the directory mtime', code: `changed('.', os.mkfifo, 'p')` },
    { name: 'listing shows special files', code: `os.mkfifo('p'); os.mknod('s', 0o644 | stat.S_IFSOCK); os.mknod('c', 0o644 | stat.S_IFCHR, os.makedev(1, 7)); ls(); st('c')` },
  ],
  xattr: [
    { name: 'set and get', code: `w('f'); r(os.setxattr, 'f', 'user.a', b'1'); r(os.getxattr, 'f', 'user.a')` },
    { name: 'XATTR_CREATE on an existing name is EEXIST', code: `w('f'); os.setxattr('f', 'user.a', b'1'); r(os.setxattr, 'f', 'user.a', b'2', os.XATTR_CREATE); r(os.getxattr, 'f', 'user.a')` },
    { name: 'XATTR_CREATE on a new name', code: `w('f'); r(os.setxattr, 'f', 'user.a', b'2', os.XATTR_CREATE); r(os.getxattr, 'f', 'user.a')` },
    { name: 'XATTR_REPLACE on a missing name is ENODATA', code: `w('f'); r(os.setxattr, 'f', 'user.a', b'1', os.XATTR_REPLACE); xl('f')` },
    { name: 'XATTR_REPLACE on an existing name', code: `w('f'); os.setxattr('f', 'user.a', b'1'); r(os.setxattr, 'f', 'user.a', b'new', os.XATTR_REPLACE); r(os.getxattr, 'f', 'user.a')` },
    { name: 'get of a missing name is ENODATA', code: `w('f'); r(os.getxattr, 'f', 'user.none')` },
    { name: 'remove of a missing name is ENODATA', code: `w('f'); r(os.removexattr, 'f', 'user.none')` },
    { name: 'remove then get', code: `w('f'); os.setxattr('f', 'user.a', b'1'); r(os.removexattr, 'f', 'user.a'); r(os.getxattr, 'f', 'user.a'); xl('f')` },
    { name: 'list of three', code: `w('f'); [os.setxattr('f', 'user.' + n, n.encode()) for n in ('c', 'a', 'b')]; xl('f')` },
    { name: 'list of none', code: `w('f'); xl('f')` },
    { name: 'an empty value', code: `w('f'); r(os.setxattr, 'f', 'user.e', b''); r(os.getxattr, 'f', 'user.e'); xl('f')` },
    { name: 'a binary value with NULs', code: `w('f'); r(os.setxattr, 'f', 'user.b', bytes(range(256)) * 4); r(os.getxattr, 'f', 'user.b')` },
    { name: 'a 2000-byte value', code: `w('f'); r(os.setxattr, 'f', 'user.big', b'v' * 2000); say(str(len(os.getxattr('f', 'user.big'))))` },
    { name: 'a value over 64 KiB is E2BIG', code: `w('f'); r(os.setxattr, 'f', 'user.huge', b'v' * 65537); xl('f')` },
    { name: 'a 255-byte name', code: `w('f'); n = 'user.' + 'k' * 250; r(os.setxattr, 'f', n, b'1'); say(str(os.getxattr('f', n)))` },
    { name: 'a 256-byte name is ERANGE', code: `w('f'); r(os.setxattr, 'f', 'user.' + 'k' * 251, b'1'); r(os.getxattr, 'f', 'user.' + 'k' * 251)` },
    { name: 'an unknown namespace is EOPNOTSUPP', code: `w('f'); r(os.setxattr, 'f', 'foo.bar', b'1')` },
    { name: 'on a directory', code: `os.mkdir('d'); r(os.setxattr, 'd', 'user.d', b'dir'); r(os.getxattr, 'd', 'user.d'); xl('d')` },
    { name: 'user.* on a symlink itself is EPERM', code: `os.symlink('x', 's'); r(os.setxattr, 's', 'user.a', b'1', follow_symlinks=False)` },
    { name: 'through a symlink to the file', code: `w('f'); os.symlink('f', 's'); r(os.setxattr, 's', 'user.a', b'via'); r(os.getxattr, 'f', 'user.a')` },
    { name: 'user.* on a FIFO is EPERM', code: `os.mkfifo('p'); r(os.setxattr, 'p', 'user.a', b'1')` },
    { name: 'survive a rename', code: `w('f'); os.setxattr('f', 'user.a', b'1'); os.rename('f', 'g'); r(os.getxattr, 'g', 'user.a')` },
    { name: 'shared by hard links', code: `w('f'); os.link('f', 'g'); os.setxattr('f', 'user.a', b'1'); r(os.getxattr, 'g', 'user.a'); xl('g')` },
    { name: 'trusted.* as root', code: `w('f'); r(os.setxattr, 'f', 'trusted.t', b'root'); r(os.getxattr, 'f', 'trusted.t')` },
    { name: 'overwrite without flags', code: `w('f'); os.setxattr('f', 'user.a', b'1'); r(os.setxattr, 'f', 'user.a', b'22'); r(os.getxattr, 'f', 'user.a')` },
    { name: 'fifty names', code: `w('f'); [os.setxattr('f', 'user.k%02d' % i, b'%d' % i) for i in range(50)]; xl('f'); r(os.getxattr, 'f', 'user.k49')` },
    { name: 'on a missing file is ENOENT', code: `r(os.setxattr, 'nope', 'user.a', b'1'); r(os.getxattr, 'nope', 'user.a'); r(os.listxattr, 'nope')` },
    { name: 'set changes the ctime, not the mtime', code: `w('f'); changed('f', os.setxattr, 'f', 'user.a', b'1')` },
    { name: 'remove changes the ctime', code: `w('f'); os.setxattr('f', 'user.a', b'1'); changed('f', os.removexattr, 'f', 'user.a')` },
    { name: 'gone with the file', code: `w('f'); os.setxattr('f', 'user.a', b'1'); os.unlink('f'); w('f'); xl('f')` },
  ],
  chmod: [
    { name: '600 on a file', code: `w('f'); r(os.chmod, 'f', 0o600); st('f')` },
    { name: '000 on a file', code: `w('f'); r(os.chmod, 'f', 0); st('f')` },
    { name: 'setuid and setgid on a file', code: `w('f'); r(os.chmod, 'f', 0o6755); st('f')` },
    { name: '700 on a directory', code: `os.mkdir('d'); r(os.chmod, 'd', 0o700); st('d')` },
    { name: 'sticky directory', code: `os.mkdir('d'); r(os.chmod, 'd', 0o1777); st('d')` },
    { name: 'on a missing name is ENOENT', code: `r(os.chmod, 'nope', 0o600)` },
    { name: 'changes the ctime, not the mtime', code: `w('f'); changed('f', os.chmod, 'f', 0o640)` },
    { name: 'on a directory changes its ctime', code: `os.mkdir('d'); changed('d', os.chmod, 'd', 0o711)` },
  ],
  chown: [
    { name: 'to 1000:1000', code: `w('f'); r(os.chown, 'f', 1000, 1000); st('f')` },
    { name: '-1 keeps the group', code: `w('f'); r(os.chown, 'f', 1234, -1); st('f')` },
    { name: '-1 keeps the owner', code: `w('f'); r(os.chown, 'f', -1, 4321); st('f')` },
    { name: 'of a symlink itself', code: `w('f'); os.symlink('f', 's'); r(os.chown, 's', 55, 66, follow_symlinks=False); st('s'); st('f')` },
    { name: 'of a directory', code: `os.mkdir('d'); r(os.chown, 'd', 3, 4); st('d')` },
    { name: 'changes the ctime', code: `w('f'); changed('f', os.chown, 'f', 5, 5)` },
    { name: 'on a missing name is ENOENT', code: `r(os.chown, 'nope', 1, 1)` },
  ],
  utimensat: [
    { name: 'explicit equal times, millisecond values', code: `w('f'); t = 1_500_000_000_123_000_000; r(os.utime, 'f', ns=(t, t)); times('f')` },
    { name: 'explicit whole seconds', code: `w('f'); r(os.utime, 'f', (1000000000, 1000000000)); times('f')` },
    { name: 'a time past 2038 (64-bit seconds)', code: `w('f'); t = 4_102_444_800_000_000_000; r(os.utime, 'f', ns=(t, t)); times('f')` },
    { name: 'distinct atime and mtime', code: `w('f'); r(os.utime, 'f', ns=(1_000_000_000_000_000_000, 1_200_000_000_000_000_000)); times('f')` },
    { name: 'nanoseconds survive', code: `w('f'); t = 1_500_000_000_123_456_789; r(os.utime, 'f', ns=(t, t)); times('f')` },
    { name: 'distinct nanoseconds through utimensat', code: `w('f'); ut('f', 1_000_000_000_000_000_001, 2_000_000_000_999_999_999); times('f')` },
    { name: 'a time before 1970 (negative seconds)', code: `w('f'); ut('f', -1_000_000_000_250_000_000, -5_000_000_000); times('f')` },
    { name: 'UTIME_OMIT for the atime keeps it', code: `w('f'); os.utime('f', ns=(10**18, 10**18)); ut('f', 'omit', 1_200_000_000_000_000_001); times('f')` },
    { name: 'UTIME_OMIT for the mtime keeps it', code: `w('f'); os.utime('f', ns=(10**18, 10**18)); ut('f', 1_300_000_000_000_000_003, 'omit'); times('f')` },
    { name: 'UTIME_NOW for the atime only', code: `w('f'); os.utime('f', (1000, 1000)); ut('f', 'now', 'omit'); s = os.lstat('f'); say('atime moved %s, mtime kept %s' % (s.st_atime_ns != 10**12, s.st_mtime_ns == 10**12))` },
    { name: 'UTIME_NOW for the mtime only', code: `w('f'); os.utime('f', (1000, 1000)); ut('f', 'omit', 'now'); s = os.lstat('f'); say('atime kept %s, mtime moved %s' % (s.st_atime_ns == 10**12, s.st_mtime_ns != 10**12))` },
    { name: 'UTIME_NOW for both equals NULL times', code: `w('f'); os.utime('f', (1000, 1000)); changed('f', utimens, 'f', 'now', 'now'); s = os.lstat('f'); say('equal %s' % (s.st_atime_ns == s.st_mtime_ns))` },
    { name: 'of a symlink itself (AT_SYMLINK_NOFOLLOW)', code: `w('f'); os.symlink('f', 's'); os.utime('f', (7, 7)); ut('s', 10**18, 10**18 + 1, follow=False); times('s'); times('f')` },
    { name: 'now (NULL times) moves the mtime', code: `w('f'); os.utime('f', (1000, 1000)); changed('f', os.utime, 'f')` },
    { name: 'changes the ctime', code: `w('f'); changed('f', os.utime, 'f', (2000, 2000))` },
    { name: 'through a symlink changes the target', code: `w('f'); os.symlink('f', 's'); r(os.utime, 's', (3000, 3000)); times('f')` },
    { name: 'on a directory', code: `os.mkdir('d'); r(os.utime, 'd', (4000, 4000)); times('d')` },
    { name: 'on a missing name is ENOENT', code: `r(os.utime, 'nope', (1, 1))` },
  ],
  write: [
    { name: 'changes mtime and ctime', code: `w('f'); changed('f', w, 'f', b'more data')` },
    { name: 'O_APPEND appends', code: `w('f', b'ab'); fd = os.open('f', os.O_WRONLY | os.O_APPEND); os.write(fd, b'cd'); os.close(fd); cat('f'); st('f')` },
    { name: 'a hole reads as zeros', code: `fd = os.open('f', os.O_WRONLY | os.O_CREAT, 0o644); os.pwrite(fd, b'end', 10000); os.close(fd); st('f'); say(repr(open('f', 'rb').read()[9990:10003]))` },
  ],
  truncate: [
    { name: 'longer', code: `w('f', b'abc'); r(os.truncate, 'f', 10); st('f'); cat('f')` },
    { name: 'shorter', code: `w('f', b'abcdef'); r(os.truncate, 'f', 2); cat('f')` },
    { name: 'to zero', code: `w('f', b'abcdef'); r(os.truncate, 'f', 0); st('f')` },
    { name: 'shorter then longer reads zeros', code: `w('f', b'abcdef'); os.truncate('f', 2); os.truncate('f', 5); cat('f')` },
    { name: 'a directory is EISDIR', code: `os.mkdir('d'); r(os.truncate, 'd', 0)` },
    { name: 'a missing name is ENOENT', code: `r(os.truncate, 'nope', 0)` },
    { name: 'negative is EINVAL', code: `w('f'); r(os.truncate, 'f', -1)` },
    { name: 'changes mtime and ctime', code: `w('f', b'abc'); changed('f', os.truncate, 'f', 1)` },
    { name: 'ftruncate', code: `w('f', b'abcdef'); fd = os.open('f', os.O_RDWR); r(os.ftruncate, fd, 4); os.close(fd); cat('f')` },
    { name: 'O_TRUNC empties', code: `w('f', b'abcdef'); fd = os.open('f', os.O_WRONLY | os.O_TRUNC); os.close(fd); st('f')` },
  ],
  fallocate: [
    { name: 'mode 0 grows the size, the new bytes read as zeros', code: `w('f', b'abc'); fd = os.open('f', os.O_RDWR); r(fallocate, fd, 0, 0, 10000); os.close(fd); st('f'); digest('f')` },
    { name: 'mode 0 inside the file changes nothing', code: `w('f', b'0123456789' * 100); fd = os.open('f', os.O_RDWR); r(fallocate, fd, 0, 10, 500); os.close(fd); st('f'); digest('f')` },
    { name: 'mode 0 past the end changes mtime and ctime', code: `w('f', b'abc'); fd = os.open('f', os.O_RDWR); changed('f', fallocate, fd, 0, 0, 4096); os.close(fd)` },
    { name: 'KEEP_SIZE leaves the size', code: `w('f', b'abc'); fd = os.open('f', os.O_RDWR); r(fallocate, fd, 1, 0, 1 << 20); os.close(fd); st('f'); digest('f')` },
    { name: 'posix_fallocate past the end', code: `fd = os.open('f', os.O_RDWR | os.O_CREAT, 0o644); r(os.posix_fallocate, fd, 100, 5000); say('fstat %d' % os.fstat(fd).st_size); os.close(fd); st('f'); digest('f')` },
    { name: 'punch a hole in the middle', code: `w('f', bytes(range(256)) * 100); fd = os.open('f', os.O_RDWR); r(fallocate, fd, 3, 4096, 8192); os.close(fd); st('f'); digest('f')` },
    { name: 'punch across the end keeps the size', code: `w('f', bytes(range(256)) * 100); fd = os.open('f', os.O_RDWR); r(fallocate, fd, 3, 20000, 1 << 20); r(fallocate, fd, 3, 1 << 20, 4096); os.close(fd); st('f'); digest('f')` },
    { name: 'punch changes mtime and ctime', code: `w('f', b'x' * 10000); fd = os.open('f', os.O_RDWR); changed('f', fallocate, fd, 3, 0, 4096); os.close(fd)` },
    { name: 'punch without KEEP_SIZE, or with ZERO_RANGE, is EOPNOTSUPP', code: `w('f', b'x' * 10000); fd = os.open('f', os.O_RDWR); r(fallocate, fd, 2, 0, 4096); r(fallocate, fd, 0x13, 0, 4096); os.close(fd); digest('f')` },
    { name: 'zero range grows the size', code: `w('f', bytes(range(256)) * 100); fd = os.open('f', os.O_RDWR); r(fallocate, fd, 0x10, 10000, 30000); os.close(fd); st('f'); digest('f')` },
    { name: 'zero range with KEEP_SIZE', code: `w('f', bytes(range(256)) * 100); fd = os.open('f', os.O_RDWR); r(fallocate, fd, 0x11, 10000, 30000); os.close(fd); st('f'); digest('f')` },
    { name: 'over writes not yet flushed, then writes into the range', code: `fd = os.open('f', os.O_RDWR | os.O_CREAT, 0o644); os.write(fd, bytes(range(256)) * 1000); r(fallocate, fd, 3, 1000, 5000); os.pwrite(fd, b'Z' * 100, 2000); r(fallocate, fd, 0x10, 250000, 20000); os.pwrite(fd, b'Y' * 10, 269990); r(fallocate, fd, 0, 300000, 10); say('fstat %d' % os.fstat(fd).st_size); say('pread %s' % hashlib.sha256(os.pread(fd, 400000, 0)).hexdigest()[:16]); os.close(fd); st('f'); digest('f')` },
    { name: 'over pages of a shared mapping not yet written back', code: `import mmap; w('f', b'a' * 65536); fd = os.open('f', os.O_RDWR); m = mmap.mmap(fd, 65536); m[0:30000] = b'M' * 30000; r(fallocate, fd, 3, 4096, 8192); say('map %s' % hashlib.sha256(m[:]).hexdigest()[:16]); m.close(); os.close(fd); digest('f')` },
    { name: 'on a read-only descriptor is EBADF, an empty range EINVAL', code: `w('f', b'abc'); fd = os.open('f', os.O_RDONLY); r(fallocate, fd, 0, 0, 10); os.close(fd); fd = os.open('f', os.O_WRONLY); r(fallocate, fd, 0, 0, 0); r(fallocate, fd, 3, 0, 0); os.close(fd); st('f')` },
  ],
  rename: [
    { name: 'a file', code: `w('a', b'1'); r(os.rename, 'a', 'b'); ls(); cat('b')` },
    { name: 'over a file', code: `w('a', b'1'); w('b', b'2'); r(os.rename, 'a', 'b'); ls(); cat('b')` },
    { name: 'a directory over an empty directory', code: `os.mkdir('a'); w('a/f'); os.mkdir('b'); r(os.rename, 'a', 'b'); ls(); ls('b'); st('.')` },
    { name: 'a directory over a non-empty directory is ENOTEMPTY', code: `os.mkdir('a'); os.mkdir('b'); w('b/f'); r(os.rename, 'a', 'b'); ls()` },
    { name: 'a file over a directory is EISDIR', code: `w('a'); os.mkdir('b'); r(os.rename, 'a', 'b'); ls()` },
    { name: 'a directory over a file is ENOTDIR', code: `os.mkdir('a'); w('b'); r(os.rename, 'a', 'b'); ls()` },
    { name: 'a directory into itself is EINVAL', code: `os.mkdir('a'); os.mkdir('a/b'); r(os.rename, 'a', 'a/b/c'); ls('a/b')` },
    { name: 'a missing name is ENOENT', code: `r(os.rename, 'nope', 'b')` },
    { name: 'into a missing directory is ENOENT', code: `w('a'); r(os.rename, 'a', 'no/b'); ls()` },
    { name: 'onto itself', code: `w('a'); r(os.rename, 'a', 'a'); ls()` },
    { name: 'a directory between parents fixes both nlinks', code: `os.makedirs('p1/d'); os.mkdir('p2'); r(os.rename, 'p1/d', 'p2/d'); st('p1'); st('p2'); st('.')` },
    { name: 'changes the ctime of the moved file', code: `w('a'); changed('a', os.rename, 'a', 'a2')` },
    { name: 'changes both directories\' mtimes', code: `os.mkdir('d'); w('a'); changed('d', os.rename, 'a', 'd/a')` },
    { name: 'a symlink keeps its target', code: `os.symlink('tgt', 's'); r(os.rename, 's', 't'); st('t')` },
    { name: 'keeps the mode and content', code: `w('a', b'keep', 0o600); os.chmod('a', 0o600); r(os.rename, 'a', 'b'); st('b'); cat('b')` },
    { name: 'an open file stays readable after being replaced', code: `w('a', b'old'); w('b', b'new'); f = open('a', 'rb'); r(os.rename, 'b', 'a'); say('old: %r' % f.read()); f.close(); cat('a')` },
  ],
  unlink: [
    { name: 'a file', code: `w('a'); r(os.unlink, 'a'); ls()` },
    { name: 'a directory is EISDIR', code: `os.mkdir('d'); r(os.unlink, 'd'); ls()` },
    { name: 'a missing name is ENOENT', code: `r(os.unlink, 'nope')` },
    { name: 'changes the directory mtime', code: `w('a'); changed('.', os.unlink, 'a')` },
    { name: 'an open file stays readable', code: `w('a', b'still'); f = open('a', 'rb'); r(os.unlink, 'a'); say('read: %r' % f.read()); f.close(); ls()` },
    { name: 'an open file leaves no name behind; the descriptor reads, writes, fstats (nlink 0) and truncates', code: `os.mkdir('d'); w('d/a', b'x'); fd = os.open('d/a', os.O_RDWR); os.unlink('d/a'); say(repr(os.listdir('d'))); os.write(fd, b'yz'); os.lseek(fd, 0, 0); say(repr(os.read(fd, 10))); s = os.fstat(fd); say('nlink %d size %d' % (s.st_nlink, s.st_size)); os.ftruncate(fd, 1); say('size %d' % os.fstat(fd).st_size); os.fchmod(fd, 0o600); say('mode %o' % (os.fstat(fd).st_mode & 0o777)); os.close(fd); say(repr(os.listdir('d')))` },
    { name: 'an open unlinked file: its folder can be removed, the descriptor still reads and writes', code: `os.mkdir('d'); w('d/a', b'x'); fd = os.open('d/a', os.O_RDWR); os.unlink('d/a'); r(os.rmdir, 'd'); os.write(fd, b'yz'); os.lseek(fd, 0, 0); say(repr(os.read(fd, 10))); os.ftruncate(fd, 1); os.lseek(fd, 0, 0); say(repr(os.read(fd, 10))); os.close(fd); say(repr(os.listdir('.')))` },
    { name: 'one of two links unlinked while open: the descriptor and the other name show nlink 1', code: `w('a', b'x'); fd = os.open('a', os.O_RDONLY); os.link('a', 'b'); os.unlink('a'); say('fd nlink %d' % os.fstat(fd).st_nlink); st('b'); os.close(fd); ls()` },
    { name: 'a file renamed over while open: the old one stays readable, no name behind', code: `w('a', b'old'); w('b', b'new'); fd = os.open('a', os.O_RDONLY); os.rename('b', 'a'); say(repr(sorted(os.listdir('.')))); say(repr(os.read(fd, 10))); say('nlink %d' % os.fstat(fd).st_nlink); os.close(fd); cat('a')` },
  ],
  mkdir: [
    { name: 'nlink 2, parent +1', code: `r(os.mkdir, 'd'); st('d'); st('.')` },
    { name: 'nlink counts subdirectories only', code: `os.mkdir('d'); [os.mkdir('d/s%d' % i) for i in range(3)]; w('d/f'); st('d')` },
    { name: 'mode 0700', code: `r(os.mkdir, 'd', 0o700); st('d')` },
    { name: 'mode with umask applied', code: `r(os.mkdir, 'd', 0o777); st('d')` },
    { name: 'existing is EEXIST', code: `os.mkdir('d'); r(os.mkdir, 'd'); w('f'); r(os.mkdir, 'f')` },
    { name: 'in a missing parent is ENOENT', code: `r(os.mkdir, 'no/d')` },
    { name: 'under a file is ENOTDIR', code: `w('f'); r(os.mkdir, 'f/d')` },
    { name: 'changes the parent mtime', code: `changed('.', os.mkdir, 'd')` },
  ],
  rmdir: [
    { name: 'an empty directory, parent nlink back', code: `os.mkdir('d'); r(os.rmdir, 'd'); st('.'); ls()` },
    { name: 'a non-empty directory is ENOTEMPTY', code: `os.mkdir('d'); w('d/f'); r(os.rmdir, 'd')` },
    { name: 'a file is ENOTDIR', code: `w('f'); r(os.rmdir, 'f')` },
    { name: 'a missing name is ENOENT', code: `r(os.rmdir, 'nope')` },
    { name: 'dot is EINVAL', code: `os.mkdir('d'); r(os.rmdir, 'd/.')` },
  ],
  open: [
    { name: 'O_CREAT|O_EXCL on an existing file is EEXIST', code: `w('f'); r(os.open, 'f', os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)` },
    { name: 'O_CREAT with mode 0600', code: `fd = os.open('f', os.O_WRONLY | os.O_CREAT, 0o600); os.close(fd); st('f')` },
    { name: 'a missing file is ENOENT', code: `r(os.open, 'nope', os.O_RDONLY)` },
    { name: 'O_DIRECTORY on a file is ENOTDIR', code: `w('f'); r(os.open, 'f', os.O_RDONLY | os.O_DIRECTORY)` },
    { name: 'a directory for writing is EISDIR', code: `os.mkdir('d'); r(os.open, 'd', os.O_WRONLY)` },
    { name: 'O_CREAT in a missing directory is ENOENT', code: `r(os.open, 'no/f', os.O_WRONLY | os.O_CREAT, 0o644)` },
    { name: 'a path through a file is ENOTDIR', code: `w('f'); r(os.open, 'f/g', os.O_RDONLY)` },
  ],
  flock: [
    { name: 'an exclusive lock excludes another open file, shared or exclusive, until unlocked', code: `import fcntl; w('f'); a = os.open('f', os.O_RDWR); b = os.open('f', os.O_RDWR); r(fcntl.flock, a, fcntl.LOCK_EX); r(fcntl.flock, b, fcntl.LOCK_EX | fcntl.LOCK_NB); r(fcntl.flock, b, fcntl.LOCK_SH | fcntl.LOCK_NB); r(fcntl.flock, a, fcntl.LOCK_UN); r(fcntl.flock, b, fcntl.LOCK_EX | fcntl.LOCK_NB)` },
    { name: 'shared locks coexist; an exclusive one waits for all of them', code: `import fcntl; w('f'); a, b, c = [os.open('f', os.O_RDONLY) for _ in range(3)]; r(fcntl.flock, a, fcntl.LOCK_SH); r(fcntl.flock, b, fcntl.LOCK_SH | fcntl.LOCK_NB); r(fcntl.flock, c, fcntl.LOCK_EX | fcntl.LOCK_NB); r(fcntl.flock, a, fcntl.LOCK_UN); r(fcntl.flock, c, fcntl.LOCK_EX | fcntl.LOCK_NB); r(fcntl.flock, b, fcntl.LOCK_UN); r(fcntl.flock, c, fcntl.LOCK_EX | fcntl.LOCK_NB)` },
    { name: 'closing the file releases its lock', code: `import fcntl; w('f'); a = os.open('f', os.O_RDWR); r(fcntl.flock, a, fcntl.LOCK_EX); os.close(a); b = os.open('f', os.O_RDWR); r(fcntl.flock, b, fcntl.LOCK_EX | fcntl.LOCK_NB)` },
    { name: 'a sole shared holder converts to exclusive', code: `import fcntl; w('f'); a, b = [os.open('f', os.O_RDONLY) for _ in range(2)]; r(fcntl.flock, a, fcntl.LOCK_SH); r(fcntl.flock, a, fcntl.LOCK_EX | fcntl.LOCK_NB); r(fcntl.flock, b, fcntl.LOCK_SH | fcntl.LOCK_NB)` },
    { name: 'a dup shares the open file and its lock', code: `import fcntl; w('f'); a = os.open('f', os.O_RDWR); d = os.dup(a); b = os.open('f', os.O_RDWR); r(fcntl.flock, a, fcntl.LOCK_EX); r(fcntl.flock, d, fcntl.LOCK_EX | fcntl.LOCK_NB); r(fcntl.flock, d, fcntl.LOCK_UN); r(fcntl.flock, b, fcntl.LOCK_EX | fcntl.LOCK_NB)` },
    { name: 'another process is excluded, and gets the lock when it is released', code: `import fcntl; w('f'); a = os.open('f', os.O_RDWR); r(fcntl.flock, a, fcntl.LOCK_EX); other("fd = os.open('f', os.O_RDWR)\ntry:\n  fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB); print('got it')\nexcept OSError as e:\n  print(errno.errorcode[e.errno])"); p = other("fd = os.open('f', os.O_RDWR)\nfcntl.flock(fd, fcntl.LOCK_EX)\nprint('waited and got it')", wait=False); time.sleep(0.5); say('waiting: %s' % (p.poll() is None)); r(fcntl.flock, a, fcntl.LOCK_UN); finish(p)` },
    { name: 'flock on a file opened read-only, and of a directory', code: `import fcntl; w('f'); os.mkdir('d'); a = os.open('f', os.O_RDONLY); r(fcntl.flock, a, fcntl.LOCK_EX | fcntl.LOCK_NB); d = os.open('d', os.O_RDONLY | os.O_DIRECTORY); r(fcntl.flock, d, fcntl.LOCK_SH | fcntl.LOCK_NB)` },
  ],
  fcntl: [
    { name: 'a write lock excludes other processes on overlapping ranges only', code: `import fcntl; w('f', b'0123456789'); fd = os.open('f', os.O_RDWR); r(fcntl.lockf, fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 5, 0); other("fd = os.open('f', os.O_RDWR)\nfor s, n in ((0, 5), (3, 1), (4, 3), (5, 5), (100, 0)):\n  print(s, n, lk(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, s, n))")` },
    { name: 'read locks are shared, a write lock is refused while one is held', code: `import fcntl; w('f', b'0123456789'); fd = os.open('f', os.O_RDONLY); r(fcntl.lockf, fd, fcntl.LOCK_SH | fcntl.LOCK_NB, 0, 0); other("fd = os.open('f', os.O_RDWR)\nprint('read', lk(fd, fcntl.LOCK_SH | fcntl.LOCK_NB, 2, 3))\nprint('write', lk(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 2, 3))")` },
    { name: 'F_GETLK reports the conflicting lock and its holder', code: `import fcntl, struct; w('f', b'0123456789'); fd = os.open('f', os.O_RDWR); r(fcntl.lockf, fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 4, 2); other("fd = os.open('f', os.O_RDWR)\nfor s, n in ((0, 1), (3, 2)):\n  t, wh, st, ln, pid = struct.unpack('hhqqi4x', fcntl.fcntl(fd, fcntl.F_GETLK, struct.pack('hhqqi4x', fcntl.F_WRLCK, 0, s, n, 0)))\n  print(s, n, 'type', t, 'start', st, 'len', ln, 'holder', pid == os.getppid())")` },
    { name: 'closing any descriptor of the file releases the process\'s locks', code: `import fcntl; w('f', b'0123456789'); fd = os.open('f', os.O_RDWR); r(fcntl.lockf, fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 0, 0); os.close(os.open('f', os.O_RDONLY)); other("fd = os.open('f', os.O_RDWR)\nprint(lk(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 0, 0))")` },
    { name: 'unlocking the middle of a range splits it', code: `import fcntl; w('f', b'0123456789'); fd = os.open('f', os.O_RDWR); r(fcntl.lockf, fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 10, 0); r(fcntl.lockf, fd, fcntl.LOCK_UN, 2, 3); other("fd = os.open('f', os.O_RDWR)\nfor s, n in ((0, 3), (3, 2), (5, 5)):\n  print(s, n, lk(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, s, n))")` },
    { name: 'F_SETLKW waits until the holder unlocks', code: `import fcntl; w('f', b'0123456789'); fd = os.open('f', os.O_RDWR); r(fcntl.lockf, fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 0, 0); p = other("fd = os.open('f', os.O_RDWR)\nprint(lk(fd, fcntl.LOCK_EX, 0, 0))", wait=False); time.sleep(0.5); say('waiting: %s' % (p.poll() is None)); r(fcntl.lockf, fd, fcntl.LOCK_UN, 0, 0); finish(p)` },
    { name: 'flock and fcntl locks do not conflict', code: `import fcntl; w('f', b'0123456789'); fd = os.open('f', os.O_RDWR); r(fcntl.flock, fd, fcntl.LOCK_EX); other("fd = os.open('f', os.O_RDWR)\nprint(lk(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 0, 0))")` },
    { name: 'a write lock needs a descriptor open for writing', code: `import fcntl; w('f', b'0123456789'); fd = os.open('f', os.O_RDONLY); r(fcntl.lockf, fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 0, 0); fd2 = os.open('f', os.O_WRONLY); r(fcntl.lockf, fd2, fcntl.LOCK_SH | fcntl.LOCK_NB, 0, 0)` },
  ],
  names: [
    { name: 'a 255-byte name', code: `w('${L255}'); st('${L255}'); ls()` },
    { name: 'a 256-byte name is ENAMETOOLONG (create)', code: `r(os.open, '${L256}', os.O_WRONLY | os.O_CREAT, 0o644); ls()` },
    { name: 'a 256-byte name is ENAMETOOLONG (lookup)', code: `r(os.stat, '${L256}')` },
    { name: 'a 256-byte name is ENAMETOOLONG (mkdir)', code: `r(os.mkdir, '${L256}')` },
    { name: 'a 256-byte name is ENAMETOOLONG (symlink)', code: `r(os.symlink, 'x', '${L256}')` },
    { name: 'a 256-byte name is ENAMETOOLONG (rename)', code: `w('a'); r(os.rename, 'a', '${L256}'); ls()` },
    { name: 'a 256-byte name is ENAMETOOLONG (link)', code: `w('a'); r(os.link, 'a', '${L256}')` },
    { name: 'a 255-byte name in UTF-8 (85 x 3 bytes)', code: `n = '\\u20ac' * 85; w(n); ls()` },
    { name: 'UTF-8 over 255 bytes is ENAMETOOLONG', code: `n = '\\u20ac' * 86; r(os.mkdir, n)` },
    { name: 'spaces, newline, tab, quotes, backslash, star', code: `[w(n) for n in ('a b', 'new\\nline', 'tab\\there', 'q"\\'', 'back\\\\slash', 'st*r', '-dash', '#hash', '%pct')]; ls()` },
    { name: 'control and high Unicode characters', code: `[w(n) for n in ('\\x01ctl', '\\x7fdel', 'emoji\\U0001F600', 'nbsp\\u00a0')]; ls()` },
    { name: 'non-UTF-8 bytes', code: `w(b'\\xff\\xfe'); say(repr(sorted(os.listdir(b'.'))))` },
    { name: 'non-UTF-8 bytes: Latin-1, a broken sequence, an overlong, a surrogate, mixed with UTF-8', code: `ns = [b'caf\\xe9', b'\\xe2\\x82', b'a\\xc0\\xafb', b'\\xed\\xa0\\x80', b'\\xe2\\x82\\xac\\x80ok']; [w(n, n) for n in ns]; say(repr(sorted(os.listdir(b'.')))); [cat(n) for n in ns]; [st(n) for n in ns]` },
    { name: 'characters of the escape range U+F780..U+F7FF stay themselves', code: `n = '\\uf780\\uf7ff\\uf700'; w(n, b'x'); say(repr(sorted(os.listdir(b'.')))); cat(n)` },
    { name: 'non-UTF-8: rename, mkdir, symlink target, hard link, unlink', code: `os.mkdir(b'd\\xff'); w(b'd\\xff/a\\x80'); os.rename(b'd\\xff/a\\x80', b'd\\xff/b\\x81'); os.symlink(b'\\xfe\\xfd', b'd\\xff/s'); say(repr(os.readlink(b'd\\xff/s'))); st(b'd\\xff/s'); os.link(b'd\\xff/b\\x81', b'h\\x82'); st(b'h\\x82'); os.unlink(b'd\\xff/b\\x81'); say(repr(sorted(os.listdir(b'd\\xff')))); st(b'h\\x82')` },
    { name: 'non-UTF-8: 255 raw bytes is the limit, 256 is ENAMETOOLONG', code: `w(b'\\xff' * 255); say(repr([len(n) for n in os.listdir(b'.')])); r(os.mkdir, b'\\xfe' * 256)` },
    { name: 'a deep path of 255-byte names (3839 bytes)', code: `p = '/'.join(['${L255}'] * 15); r(os.makedirs, p); st(p)` },
  ],
  readdir: [
    { name: 'types of entries', code: `w('f'); os.mkdir('d'); os.symlink('f', 's'); os.mkfifo('p'); say(repr(sorted((e.name, e.is_dir(follow_symlinks=False), e.is_symlink(), e.is_file(follow_symlinks=False)) for e in os.scandir('.'))))` },
    { name: 'a hundred names', code: `[w('f%03d' % i) for i in range(100)]; ls(); st('.')` },
  ],
  statfs: [
    { name: 'namemax is 255', code: `say('namemax %d' % os.statvfs('.').f_namemax)` },
  ],
};

/**
 * Permission rules, each case set up as root and then run as the user U:G = 65534:65534 (with
 * the groups given to user()); files made during set-up belong to root. Group 4242 is a group U
 * is not in unless given.
 */
const PERMISSIONS: Record<string, Case[]> = {
  search: [
    { name: 'no search permission on a component is EACCES', code: `os.mkdir('d'); w('d/f'); os.chmod('d', 0o700); user(); st('d/f'); cat('d/f'); r(os.open, 'd/f', os.O_RDONLY)` },
    { name: 'search without read: lookup works, listing is EACCES', code: `os.mkdir('d'); w('d/f'); os.chmod('d', 0o711); user(); st('d/f'); cat('d/f'); r(os.listdir, 'd')` },
    { name: 'read without search: listing works, lookup is EACCES', code: `os.mkdir('d'); w('d/f'); os.chmod('d', 0o744); user(); r(os.listdir, 'd'); st('d/f')` },
    { name: 'every component of a deep path needs search', code: `os.makedirs('a/b/c'); w('a/b/c/f'); os.chmod('a/b', 0o700); user(); cat('a/b/c/f'); r(os.mkdir, 'a/b/c/d'); r(os.chdir, 'a/b')` },
    { name: 'chdir into a directory without search is EACCES', code: `os.mkdir('d', 0o766); os.chmod('d', 0o766); user(); r(os.chdir, 'd')` },
    { name: 'search through group permission', code: `os.mkdir('d'); w('d/f'); os.chown('d', 0, 4242); os.chmod('d', 0o710); user(groups=(4242,)); cat('d/f'); r(os.listdir, 'd')` },
    { name: 'the owner class wins over group and other', code: `os.mkdir('d'); w('d/f'); os.chown('d', U, G); os.chmod('d', 0o077); user(); cat('d/f')` },
  ],
  'write on the parent': [
    { name: 'create, mkdir, symlink, mkfifo, mknod in a read-only directory are EACCES', code: `os.chmod('.', 0o755); user(); r(os.open, 'f', os.O_WRONLY | os.O_CREAT, 0o644); r(os.mkdir, 'd'); r(os.symlink, 'x', 's'); r(os.mkfifo, 'p'); r(os.mknod, 'n', 0o644 | stat.S_IFSOCK); ls()` },
    { name: 'O_CREAT|O_EXCL of an existing name in a read-only directory is EEXIST', code: `w('f'); os.chmod('.', 0o755); user(); r(os.open, 'f', os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)` },
    { name: 'O_CREAT of an existing file in a read-only directory opens it', code: `w('f'); os.chmod('f', 0o666); os.chmod('.', 0o755); user(); fd = r(os.open, 'f', os.O_WRONLY | os.O_CREAT, 0o644); fd is not None and os.close(fd)` },
    { name: 'unlink needs write on the parent, not on the file', code: `w('f'); os.chmod('f', 0o666); os.chmod('.', 0o755); user(); r(os.unlink, 'f'); ls()` },
    { name: 'unlink of a read-only file in a writable directory works', code: `w('f'); os.chmod('f', 0o444); os.chmod('.', 0o777); user(); r(os.unlink, 'f'); ls()` },
    { name: 'rmdir needs write on the parent', code: `os.makedirs('d/e'); os.chmod('d/e', 0o777); os.chmod('d', 0o755); user(); r(os.rmdir, 'd/e'); ls('d')` },
    { name: 'rename out of a read-only directory is EACCES', code: `os.mkdir('a'); os.mkdir('b'); w('a/f'); os.chmod('a', 0o755); os.chmod('b', 0o777); user(); r(os.rename, 'a/f', 'b/f'); ls('a'); ls('b')` },
    { name: 'rename into a read-only directory is EACCES', code: `os.mkdir('a'); os.mkdir('b'); w('a/f'); os.chmod('a', 0o777); os.chmod('b', 0o755); user(); r(os.rename, 'a/f', 'b/f'); ls('a'); ls('b')` },
    { name: 'rename over a file in a read-only directory is EACCES', code: `w('a'); w('b'); os.chmod('.', 0o755); user(); r(os.rename, 'a', 'b'); ls()` },
    { name: 'moving a directory to another parent needs write on it (for ..)', code: `os.makedirs('a/sub'); os.mkdir('b'); os.chmod('a', 0o777); os.chmod('b', 0o777); os.chmod('a/sub', 0o755); user(); r(os.rename, 'a/sub', 'b/sub'); r(os.rename, 'a/sub', 'a/sub2'); ls('a')` },
    { name: 'link into a read-only directory is EACCES', code: `os.mkdir('d'); w('f'); os.chown('f', U, G); os.chmod('d', 0o755); user(); r(os.link, 'f', 'd/g'); ls('d')` },
    { name: 'write without search on the parent is EACCES', code: `os.mkdir('d'); os.chmod('d', 0o766); user(); r(os.open, 'd/f', os.O_WRONLY | os.O_CREAT, 0o644); r(os.mkdir, 'd/e')` },
    { name: 'the user creates in a group-writable directory of its group', code: `os.mkdir('d'); os.chown('d', 0, 4242); os.chmod('d', 0o770); user(groups=(4242,)); w('d/f'); st('d/f'); r(os.mkdir, 'd/e'); st('d/e')` },
  ],
  sticky: [
    { name: 'others\' files in a sticky directory cannot be unlinked or renamed', code: `os.chmod('.', 0o1777); w('f'); os.chmod('f', 0o666); user(); r(os.unlink, 'f'); r(os.rename, 'f', 'g'); ls()` },
    { name: 'own files in a sticky directory can be unlinked and renamed', code: `os.chmod('.', 0o1777); user(); w('mine'); r(os.rename, 'mine', 'm2'); r(os.unlink, 'm2'); ls()` },
    { name: 'the owner of a sticky directory removes others\' files', code: `w('f'); os.chown('.', U, G); os.chmod('.', 0o1777); user(); r(os.unlink, 'f'); ls()` },
    { name: 'rename over another user\'s file in a sticky directory is EPERM', code: `os.chmod('.', 0o1777); w('f'); os.chmod('f', 0o666); user(); w('mine'); r(os.rename, 'mine', 'f'); cat('f')` },
    { name: 'rmdir of another user\'s directory in a sticky directory is EPERM', code: `os.chmod('.', 0o1777); os.mkdir('d'); os.chmod('d', 0o777); user(); r(os.rmdir, 'd'); ls()` },
    { name: 'sticky bit on a directory made by the user', code: `user(); os.mkdir('d'); r(os.chmod, 'd', 0o1777); st('d')` },
  ],
  setgid: [
    { name: 'a new file takes the group of a setgid directory', code: `os.chown('.', 0, 4242); os.chmod('.', 0o2777); user(); w('f'); st('f')` },
    { name: 'a new subdirectory takes the group and the setgid bit', code: `os.chown('.', 0, 4242); os.chmod('.', 0o2777); user(); r(os.mkdir, 'd'); st('d'); w('d/f'); st('d/f'); r(os.mkdir, 'd/e'); st('d/e')` },
    { name: 'symlinks, FIFOs and sockets take the group too', code: `os.chown('.', 0, 4242); os.chmod('.', 0o2777); user(); os.symlink('x', 's'); os.mkfifo('p'); os.mknod('n', 0o644 | stat.S_IFSOCK); st('s'); st('p'); st('n')` },
    { name: 'S_ISGID asked for a new file by a non-member is dropped', code: `os.chown('.', 0, 4242); os.chmod('.', 0o2777); user(); fd = os.open('f', os.O_WRONLY | os.O_CREAT, 0o2755); os.close(fd); st('f')` },
    { name: 'S_ISGID asked for a new file by a member is kept', code: `os.chown('.', 0, 4242); os.chmod('.', 0o2777); user(groups=(4242,)); fd = os.open('f', os.O_WRONLY | os.O_CREAT, 0o2755); os.close(fd); st('f')` },
    { name: 'without setgid the new file gets the caller\'s gid', code: `os.chown('.', 0, 4242); os.chmod('.', 0o777); user(U, 100); w('f'); os.mkdir('d'); st('f'); st('d')` },
    { name: 'root creating in a setgid directory', code: `os.chown('.', 1000, 4242); os.chmod('.', 0o2755); w('f'); os.mkdir('d'); st('f'); st('d')` },
    { name: 'a hard link keeps its own group', code: `w('f'); os.chown('f', U, G); os.chown('.', 0, 4242); os.chmod('.', 0o2777); user(); os.link('f', 'g'); st('g')` },
    { name: 'chmod g+s of an own file outside the group drops the bit', code: `w('f'); os.chown('f', U, 4242); user(); r(os.chmod, 'f', 0o2755); st('f')` },
    { name: 'chmod g+s of an own file inside the group keeps it', code: `w('f'); os.chown('f', U, 4242); user(groups=(4242,)); r(os.chmod, 'f', 0o2755); st('f')` },
    { name: 'a rename into a setgid directory keeps the group', code: `os.mkdir('d'); os.chown('d', 0, 4242); os.chmod('d', 0o2777); user(); w('f'); r(os.rename, 'f', 'd/f'); st('d/f')` },
  ],
  'suid clearing': [
    { name: 'a write by a non-owner clears setuid', code: `w('f'); os.chmod('f', 0o4777); user(); w('f', b'data'); st('f')` },
    { name: 'a write by a non-owner clears setgid on a group-executable file', code: `w('f'); os.chmod('f', 0o2777); user(); w('f', b'data'); st('f')` },
    { name: 'a write by a non-member clears setgid without group execute', code: `w('f'); os.chmod('f', 0o2766); user(); w('f', b'data'); st('f')` },
    { name: 'a write (no O_TRUNC) by a non-member clears setgid without group execute', code: `w('f'); os.chmod('f', 0o2766); user(); fd = os.open('f', os.O_WRONLY); os.write(fd, b'zz'); os.close(fd); st('f')` },
    { name: 'a truncate by a non-member clears setgid without group execute', code: `w('f', b'data'); os.chmod('f', 0o2766); user(); r(os.truncate, 'f', 2); st('f')` },
    { name: 'a write by a member of the file\'s group keeps setgid without group execute', code: `w('f'); os.chown('f', 0, 65534); os.chmod('f', 0o2766); user(); w('f', b'data'); st('f')` },
    { name: 'a write by a supplementary member of the file\'s group keeps setgid without group execute', code: `w('f'); os.chown('f', 0, 1234); os.chmod('f', 0o2766); user(groups=(1234,)); w('f', b'data'); st('f')` },
    { name: 'a write by root keeps setgid without group execute', code: `w('f'); os.chmod('f', 0o2766); w('f', b'data'); st('f')` },
    { name: 'a write by the owner clears its own setuid', code: `w('f'); os.chown('f', U, G); os.chmod('f', 0o4755); user(); w('f', b'data'); st('f')` },
    { name: 'a write by root keeps setuid', code: `w('f'); os.chmod('f', 0o6755); w('f', b'data'); st('f')` },
    { name: 'truncate by a non-owner clears setuid', code: `w('f', b'abc'); os.chmod('f', 0o6777); user(); r(os.truncate, 'f', 1); st('f')` },
    { name: 'O_TRUNC by a non-owner clears setuid', code: `w('f', b'abc'); os.chmod('f', 0o4777); user(); fd = os.open('f', os.O_WRONLY | os.O_TRUNC); os.close(fd); st('f')` },
    { name: 'chown by root clears setuid and setgid', code: `w('f'); os.chmod('f', 0o6755); r(os.chown, 'f', 1000, 1000); st('f')` },
    { name: 'chown by root keeps setgid without group execute', code: `w('f'); os.chmod('f', 0o6745); r(os.chown, 'f', 1000, -1); st('f')` },
    { name: 'chgrp by the owner clears setuid', code: `w('f'); os.chown('f', U, G); os.chmod('f', 0o4755); user(groups=(4242,)); r(os.chown, 'f', -1, 4242); st('f')` },
    { name: 'chown of a directory keeps its setgid', code: `os.mkdir('d'); os.chmod('d', 0o2755); r(os.chown, 'd', 1000, 1000); st('d')` },
    { name: 'a failed write permission leaves setuid alone', code: `w('f'); os.chmod('f', 0o4755); user(); r(os.open, 'f', os.O_WRONLY); st('f')` },
  ],
  'chmod and chown': [
    { name: 'chmod by a non-owner is EPERM', code: `w('f'); os.chmod('f', 0o666); user(); r(os.chmod, 'f', 0o777); st('f')` },
    { name: 'chmod by the owner works on a read-only file', code: `w('f'); os.chown('f', U, G); os.chmod('f', 0o400); user(); r(os.chmod, 'f', 0o640); st('f')` },
    { name: 'chown to another user is EPERM', code: `w('f'); os.chown('f', U, G); user(); r(os.chown, 'f', 1000, -1); st('f')` },
    { name: 'chown to oneself is allowed for the owner', code: `w('f'); os.chown('f', U, G); user(); r(os.chown, 'f', U, -1); r(os.chown, 'f', -1, -1); st('f')` },
    { name: 'chgrp to a group the owner is in', code: `w('f'); os.chown('f', U, G); user(groups=(4242,)); r(os.chown, 'f', -1, 4242); st('f')` },
    { name: 'chgrp to a group the owner is not in is EPERM', code: `w('f'); os.chown('f', U, G); user(); r(os.chown, 'f', -1, 4242); st('f')` },
    { name: 'chgrp by a non-owner is EPERM even to its own group', code: `w('f'); os.chmod('f', 0o666); user(); r(os.chown, 'f', -1, G); st('f')` },
    { name: 'chgrp of an own symlink (lchown)', code: `user(groups=(4242,)); os.symlink('x', 's'); r(os.chown, 's', -1, 4242, follow_symlinks=False); st('s')` },
    { name: 'chown of a directory by root, then the new owner chmods it', code: `os.mkdir('d'); r(os.chown, 'd', U, G); user(); r(os.chmod, 'd', 0o700); st('d')` },
    { name: 'setxattr user.* without write permission is EACCES', code: `w('f'); os.chmod('f', 0o644); user(); r(os.setxattr, 'f', 'user.a', b'1'); xl('f')` },
    { name: 'getxattr user.* without read permission is EACCES', code: `w('f'); os.setxattr('f', 'user.a', b'1'); os.chmod('f', 0o600); user(); r(os.getxattr, 'f', 'user.a')` },
    { name: 'setxattr user.* by a writer who is not the owner', code: `w('f'); os.chmod('f', 0o666); user(); r(os.setxattr, 'f', 'user.a', b'1'); r(os.getxattr, 'f', 'user.a')` },
    { name: 'a hard link to another user\'s file (protected_hardlinks)', code: `w('f'); os.chmod('f', 0o644); user(); r(os.link, 'f', 'g'); ls()` },
    { name: 'a hard link to another user\'s file that the user may write', code: `w('f'); os.chmod('f', 0o666); user(); r(os.link, 'f', 'g'); ls()` },
  ],
  utimensat: [
    { name: 'explicit times by a writer who is not the owner are EPERM', code: `w('f'); os.chmod('f', 0o666); os.utime('f', (5, 5)); user(); r(os.utime, 'f', (1, 1)); times('f')` },
    { name: 'now (NULL) by a writer who is not the owner is allowed', code: `w('f'); os.chmod('f', 0o666); os.utime('f', (5, 5)); user(); changed('f', os.utime, 'f')` },
    { name: 'now by a non-writer non-owner is EACCES', code: `w('f'); os.chmod('f', 0o644); os.utime('f', (5, 5)); user(); r(os.utime, 'f'); times('f')` },
    { name: 'UTIME_NOW for both by a writer is allowed', code: `w('f'); os.chmod('f', 0o666); os.utime('f', (5, 5)); user(); ut('f', 'now', 'now'); s = os.lstat('f'); say('moved %s' % (s.st_mtime_ns != 5 * 10**9))` },
    { name: 'UTIME_NOW with UTIME_OMIT by a writer who is not the owner is EPERM', code: `w('f'); os.chmod('f', 0o666); os.utime('f', (5, 5)); user(); ut('f', 'now', 'omit'); times('f')` },
    { name: 'explicit times by the owner of a read-only file', code: `w('f'); os.chown('f', U, G); os.chmod('f', 0o444); user(); r(os.utime, 'f', (77, 88)); times('f')` },
    { name: 'now by the owner of a read-only file', code: `w('f'); os.chown('f', U, G); os.chmod('f', 0o444); os.utime('f', (5, 5)); user(); changed('f', os.utime, 'f')` },
    { name: 'explicit times on a directory by a non-owner are EPERM', code: `os.mkdir('d', 0o777); os.chmod('d', 0o777); user(); r(os.utime, 'd', (1, 1))` },
  ],
  access: [
    { name: 'a non-owner through the other class', code: `w('f'); os.chmod('f', 0o644); user(); acc('f')` },
    { name: 'a non-owner with nothing', code: `w('f'); os.chmod('f', 0o770); user(); acc('f')` },
    { name: 'the owner of a 0400 file', code: `w('f'); os.chown('f', U, G); os.chmod('f', 0o400); user(); acc('f')` },
    { name: 'the owner of a 0070 file gets nothing from the group class', code: `w('f'); os.chown('f', U, G); os.chmod('f', 0o070); user(); acc('f')` },
    { name: 'a group member', code: `w('f'); os.chown('f', 0, 4242); os.chmod('f', 0o050); user(groups=(4242,)); acc('f')` },
    { name: 'the primary group', code: `w('f'); os.chown('f', 0, G); os.chmod('f', 0o060); user(); acc('f')` },
    { name: 'a directory without search', code: `os.mkdir('d'); os.chmod('d', 0o766); user(); acc('d')` },
    { name: 'below a directory without search', code: `os.mkdir('d'); w('d/f'); os.chmod('d/f', 0o777); os.chmod('d', 0o700); user(); acc('d/f')` },
    { name: 'root on a 0000 file: read and write but not execute', code: `w('f'); os.chmod('f', 0); acc('f'); os.chmod('f', 0o010); acc('f')` },
    { name: 'a missing file', code: `user(); acc('nope')` },
    { name: 'a symlink checks its target', code: `w('f'); os.chmod('f', 0o600); os.symlink('f', 's'); user(); acc('s')` },
  ],
  open: [
    { name: 'read of a 0200 file by its owner is EACCES', code: `w('f'); os.chown('f', U, G); os.chmod('f', 0o200); user(); r(os.open, 'f', os.O_RDONLY); fd = r(os.open, 'f', os.O_WRONLY); fd is not None and os.close(fd)` },
    { name: 'write of a 0444 file by its owner is EACCES', code: `w('f'); os.chown('f', U, G); os.chmod('f', 0o444); user(); r(os.open, 'f', os.O_WRONLY); r(os.open, 'f', os.O_RDWR); r(os.truncate, 'f', 0)` },
    { name: 'O_TRUNC of a read-only file is EACCES and keeps the data', code: `w('f', b'keep'); os.chmod('f', 0o644); user(); r(os.open, 'f', os.O_RDONLY | os.O_TRUNC); cat('f')` },
    { name: 'a file created by the user belongs to it, mode after umask', code: `user(); fd = os.open('f', os.O_WRONLY | os.O_CREAT, 0o777); os.close(fd); st('f'); os.mkdir('d', 0o777); st('d'); os.symlink('f', 's'); st('s'); os.mkfifo('p', 0o666); st('p')` },
    { name: 'umask 077 for a user', code: `user(); os.umask(0o077); w('f', mode=0o666); os.mkdir('d'); os.mkfifo('p'); st('f'); st('d'); st('p')` },
    { name: 'umask 0 and mode 0', code: `user(); os.umask(0); fd = os.open('f', os.O_WRONLY | os.O_CREAT, 0); os.close(fd); os.mkdir('d', 0); st('f'); st('d'); r(os.open, 'f', os.O_RDONLY)` },
    { name: 'a created 0444 file is writable through the creating descriptor', code: `user(); fd = os.open('f', os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444); say('wrote %d' % os.write(fd, b'abc')); os.close(fd); st('f'); r(os.open, 'f', os.O_WRONLY)` },
    { name: 'execute permission of a file', code: `import subprocess; [w(n, b'#!/bin/sh\\nexit 3\\n') for n in 'fg']; os.chmod('f', 0o744); os.chmod('g', 0o745); user(); r(subprocess.call, ['./f']); r(subprocess.call, ['./g'])` },
  ],
};

let cm: ClusterMount | undefined;
let dir = '';
let mnt = '';
let local = '';
let driver = '';
let caseNo = 0;

/** Runs one case in `root`; `identity` (uid, gid, groups) makes the driver drop to that user first. */
function runDriver(root: string, caseDir: string, code: string, identity: string[] = []): Promise<string> {
  return new Promise((res) => {
    execFile('timeout', ['-s', 'KILL', String(CASE_TIMEOUT_SEC), PYTHON, driver, join(root, caseDir), code, ...identity],
      { env: { ...process.env, LC_ALL: 'C.UTF-8', PYTHONIOENCODING: 'utf-8' }, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => res(err ? `${stdout}EXIT ${err.code ?? err.signal}\n${stderr}` : stdout + stderr));
  });
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dfs-test-'));
  mnt = join(dir, 'mnt');
  local = join(dir, 'local');
  driver = join(dir, 'posix-driver.py');
  await mkdir(local);
  await writeFile(driver, POSIX_DRIVER_PY);
  // the unprivileged runs must reach the driver and both roots (mkdtemp makes 0700 folders)
  await chmod(dir, 0o755);
  await chmod(local, 0o755);
  cm = await startClusterMount(mnt);
});

after(() => stopClusterMount(cm, mnt, dir));

function compareCase(title: string, c: Case, identity: string[]): void {
  const skip = identity.length > 0 && !IS_ROOT ? 'needs root to run as another user' : false;
  test(title, { todo: c.todo, skip }, async () => {
    const caseDir = `case${++caseNo}`;
    const [onDfs, onLocal] = await Promise.all([runDriver(mnt, caseDir, c.code, identity), runDriver(local, caseDir, c.code, identity)]);
    assert.equal(onDfs, onLocal, `dfs mount (actual) vs local folder (expected) for: ${c.code}`);
  });
}

for (const [syscall, cases] of Object.entries(SUITE)) {
  // cases of one syscall run side by side (each in its own folder): the mount serves them concurrently
  describe(`POSIX: ${syscall}`, { concurrency: CASES_IN_PARALLEL }, () => {
    for (const c of cases) {
      compareCase(`POSIX: ${syscall}: ${c.name}`, c, []);
      compareCase(`POSIX as uid 65534: ${syscall}: ${c.name}`, c, USER_ARGS);
    }
  });
}

for (const [topic, cases] of Object.entries(PERMISSIONS)) {
  describe(`POSIX permissions: ${topic}`, { concurrency: CASES_IN_PARALLEL }, () => {
    for (const c of cases) {
      const skip = IS_ROOT ? false : 'needs root to set up as root and run as another user';
      test(`POSIX permissions: ${topic}: ${c.name}`, { todo: c.todo, skip }, async () => {
        const caseDir = `case${++caseNo}`;
        const [onDfs, onLocal] = await Promise.all([runDriver(mnt, caseDir, c.code), runDriver(local, caseDir, c.code)]);
        assert.equal(onDfs, onLocal, `dfs mount (actual) vs local folder (expected) for: ${c.code}`);
      });
    }
  });
}
