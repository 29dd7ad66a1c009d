/**
 * The child-process side of the POSIX conformance suite (test/mount-posix.test.ts): a Python
 * script that runs one case's code in a fresh folder and prints one line per system call
 * (its result or errno name) and per inspected path (type, mode, nlink, size, rdev, target).
 * The same script runs in a dfs mount and in a local temp folder; the outputs must be equal.
 * Python because it reaches every syscall of the suite (link, mknod, xattrs, utimensat with
 * nanoseconds, UTIME_NOW/UTIME_OMIT through ctypes, O_NOFOLLOW) with errno names, in one
 * short-lived process per case.
 *
 * Identity: the driver starts as root. Given `UID GID GROUPS` after the code, it hands the case
 * folder to that user and drops to it (setgroups, setresgid, setresuid) before the case runs;
 * a case may also set things up as root and drop itself with user(uid, gid, groups).
 * Usage: posix-driver.py CASE_DIR CODE [UID GID GROUPS(comma-separated)]
 */
export const POSIX_DRIVER_PY = String.raw`
import ctypes, errno, hashlib, json, os, stat, sys, time

libc = ctypes.CDLL(None, use_errno=True)
AT_FDCWD = -100
AT_SYMLINK_NOFOLLOW = 0x100
UTIME_NOW = (1 << 30) - 1
UTIME_OMIT = (1 << 30) - 2
U, G = 65534, 65534  # the unprivileged user of the permission cases

class Timespec(ctypes.Structure):
    _fields_ = [('tv_sec', ctypes.c_long), ('tv_nsec', ctypes.c_long)]

out = []

def say(s):
    out.append(s)

def fmt(v):
    if isinstance(v, bytes):
        return repr(v) if len(v) <= 64 else 'bytes[%d]' % len(v)
    if isinstance(v, list):
        return repr(sorted(v))
    if isinstance(v, os.stat_result):
        return 'stat'
    return repr(v)

def name_of(fn, args):
    shown = []
    for a in args:
        s = repr(a)
        shown.append(s if len(s) <= 40 else s[:20] + '..%d' % len(s))
    return '%s(%s)' % (getattr(fn, '__name__', 'fn'), ', '.join(shown))

def r(fn, *args, **kw):
    """Calls fn; records 'ok value' or the errno name."""
    label = name_of(fn, args)
    try:
        v = fn(*args, **kw)
        shown = ' fd' if fn is os.open else '' if v is None else ' ' + fmt(v)
        say('%s: ok%s' % (label, shown))
        return v
    except OSError as e:
        say('%s: %s' % (label, errno.errorcode.get(e.errno, str(e.errno))))
        return None

TYPES = {stat.S_IFREG: 'file', stat.S_IFDIR: 'dir', stat.S_IFLNK: 'symlink', stat.S_IFIFO: 'fifo',
         stat.S_IFCHR: 'chardev', stat.S_IFBLK: 'blockdev', stat.S_IFSOCK: 'socket'}

def st(p, follow=False):
    """One line: type, permission bits, nlink, size (not for directories), rdev, uid/gid, target."""
    try:
        s = os.stat(p) if follow else os.lstat(p)
    except OSError as e:
        say('st %s: %s' % (p, errno.errorcode.get(e.errno)))
        return
    kind = TYPES.get(stat.S_IFMT(s.st_mode), '?')
    line = 'st %s: %s %o nlink=%d uid=%d gid=%d' % (p, kind, stat.S_IMODE(s.st_mode), s.st_nlink, s.st_uid, s.st_gid)
    if kind != 'dir':
        line += ' size=%d' % s.st_size
    if kind in ('chardev', 'blockdev'):
        line += ' rdev=%d,%d' % (os.major(s.st_rdev), os.minor(s.st_rdev))
    if kind == 'symlink' and not follow:
        line += ' -> %r' % os.readlink(p)
    say(line)

def same(a, b):
    """Whether two names are one inode (hard links)."""
    sa, sb = os.lstat(a), os.lstat(b)
    say('same %s %s: %s' % (a, b, sa.st_ino == sb.st_ino))

def w(p, data=b'x', mode=0o644):
    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    os.write(fd, data)
    os.close(fd)

def cat(p):
    try:
        with open(p, 'rb') as f:
            say('cat %s: %s' % (p, fmt(f.read())))
    except OSError as e:
        say('cat %s: %s' % (p, errno.errorcode.get(e.errno)))

def ls(p='.'):
    say('ls %s: %s' % (p, sorted(os.listdir(p))))

def xl(p, follow=True):
    say('xattrs %s: %s' % (p, sorted(n for n in os.listxattr(p, follow_symlinks=follow) if n.startswith(('user.', 'trusted.')))))

def fallocate(fd, mode, offset, length):
    """fallocate(2) through libc (Python has only posix_fallocate); raises OSError like os.*."""
    if libc.fallocate(fd, mode, ctypes.c_long(offset), ctypes.c_long(length)) != 0:
        raise OSError(ctypes.get_errno(), 'fallocate')

def digest(p):
    """Size and SHA-256 of a file's bytes (cat shows only the length past 64 bytes)."""
    with open(p, 'rb') as f:
        data = f.read()
    say('digest %s: %d %s' % (p, len(data), hashlib.sha256(data).hexdigest()[:16]))

def times(p):
    s = os.lstat(p)
    say('times %s: atime=%d mtime=%d' % (p, s.st_atime_ns, s.st_mtime_ns))

def user(uid=U, gid=G, groups=()):
    """Drops root for the rest of the case: supplementary groups, then gid, then uid."""
    os.setgroups(list(groups))
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)

def utimens(p, atime, mtime, follow=True):
    """utimensat(2) with each time an int of nanoseconds, 'now' or 'omit'."""
    def ts(t):
        if t == 'now':
            return Timespec(0, UTIME_NOW)
        if t == 'omit':
            return Timespec(0, UTIME_OMIT)
        return Timespec(t // 10**9, t % 10**9)
    times = (Timespec * 2)(ts(atime), ts(mtime))
    if libc.utimensat(AT_FDCWD, os.fsencode(p), times, 0 if follow else AT_SYMLINK_NOFOLLOW) != 0:
        raise OSError(ctypes.get_errno(), 'utimensat')

def ut(p, atime, mtime, follow=True):
    """utimens, recorded like r()."""
    label = 'utimens(%r, %r, %r)' % (p, atime, mtime)
    try:
        utimens(p, atime, mtime, follow)
        say('%s: ok' % label)
    except OSError as e:
        say('%s: %s' % (label, errno.errorcode.get(e.errno, str(e.errno))))

def acc(p, follow=True):
    """access(2) for F_OK, R_OK, W_OK, X_OK as the current (real) identity."""
    say('access %s: %s' % (p, ' '.join('%s=%d' % (n, os.access(p, m, follow_symlinks=follow))
                                          for n, m in (('F', os.F_OK), ('R', os.R_OK), ('W', os.W_OK), ('X', os.X_OK)))))

OTHER_PRELUDE = '''import errno, fcntl, os, struct, sys, time
def lk(fd, cmd, start, n):
    try:
        fcntl.lockf(fd, cmd, n, start)
        return 'ok'
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno))
'''

def other(code, wait=True):
    """Runs Python \`code\` in another process (same folder, same identity: what record locks
    need); its output lines are recorded when it ends. With wait=False, returns the Popen."""
    import subprocess
    p = subprocess.Popen([sys.executable, '-c', OTHER_PRELUDE + code], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if not wait:
        return p
    finish(p)

def finish(p, timeout=30):
    """Waits for a process started by other(wait=False) and records its output."""
    for line in p.communicate(timeout=timeout)[0].splitlines():
        say('other: ' + line)

def changed(p, fn, *args, **kw):
    """Runs fn and records which of p's timestamps moved (mtime, ctime)."""
    before = os.lstat(p)
    time.sleep(0.03)
    r(fn, *args, **kw)
    after = os.lstat(p)
    say('changed %s: mtime=%s ctime=%s' % (p, after.st_mtime_ns != before.st_mtime_ns, after.st_ctime_ns != before.st_ctime_ns))

def main():
    case_dir, code = sys.argv[1], sys.argv[2]
    os.makedirs(case_dir)
    if len(sys.argv) > 3:
        uid, gid = int(sys.argv[3]), int(sys.argv[4])
        os.chown(case_dir, uid, gid)
        user(uid, gid, [int(g) for g in sys.argv[5].split(',') if g])
    os.chdir(case_dir)
    os.umask(0o022)
    env = dict(globals())
    try:
        exec(code, env)
    except Exception as e:
        say('EXCEPTION %s: %s' % (type(e).__name__, e))
    sys.stdout.write('\n'.join(out) + '\n')

main()
`;
