/**
 * The child-process side of the POSIX conformance suite (test/mount-posix.test.ts): a Python
 * script that runs one case's code in a fresh folder and prints one line per system call
 * (its result or errno name) and per inspected path (type, mode, nlink, size, rdev, target).
 * The same script runs in a dfs mount and in a local temp folder; the outputs must be equal.
 * Python because it reaches every syscall of the suite (link, mknod, xattrs, utimensat with
 * nanoseconds, O_NOFOLLOW) with errno names, in one short-lived process per case.
 */
export const POSIX_DRIVER_PY = String.raw`
import errno, json, os, stat, sys, time

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
    say('ls %s: %s' % (p, sorted(n for n in os.listdir(p) if not n.startswith('.fuse_hidden'))))

def xl(p, follow=True):
    say('xattrs %s: %s' % (p, sorted(n for n in os.listxattr(p, follow_symlinks=follow) if n.startswith(('user.', 'trusted.')))))

def times(p):
    s = os.lstat(p)
    say('times %s: atime=%d mtime=%d' % (p, s.st_atime_ns, s.st_mtime_ns))

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
