/**
 * The child-process side of the randomized model test (test/mount-model.test.ts), in the spirit
 * of fsx: a Python script that draws operations from a seeded generator, runs each one on two
 * trees — a dfs mount and a local folder (the model) — and after every step compares:
 *
 * - the operation's result: return value (bytes read, counts, offsets) or errno name;
 * - for every inode the step touched: all its names (type, permission bits, size, nlink, which
 *   names are one inode), its content (read through an open readable descriptor of the model
 *   when there is one, so buffered writes stay buffered; otherwise open/read/close), its open
 *   descriptors (fstat), and the listing of the folders whose names the step may change;
 * - every FULL_CHECK_EVERY steps and at the end, the same for every name and descriptor.
 *
 * Operations: open (any access mode with O_CREAT/O_EXCL/O_TRUNC/O_APPEND), close, read, pread,
 * write, pwrite, lseek, ftruncate, truncate, fsync, fdatasync, rename, link, unlink, and writes
 * through shared writable mappings (mmap MAP_SHARED, then msync or not, then munmap), reads
 * through mappings. Names: three per folder in the root and two subfolders.
 *
 * The choice of every operation depends only on the seed and on results that were equal on both
 * trees (the run stops at the first difference), so a seed replays exactly. Usage:
 *   python3 model-driver.py DFS_DIR LOCAL_DIR SEED OPS
 * Exit 0 with a summary line, or 1 with the failing step, both sides and the last operations.
 *
 * Known limits of libfuse 2's path-based API (fuse-native) and of fuse-native itself are
 * skipped explicitly, and counted in the summary line, never hidden: every name is its own
 * kernel inode with its own page cache (see node_at); rename between two names of one inode
 * over an open name.
 */
export const MODEL_DRIVER_PY = String.raw`
import errno, hashlib, mmap, os, random, stat, sys, time

DFS, LOCAL, SEED, OPS = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
ROOTS = (DFS, LOCAL)
SIDES = ('dfs', 'local')
DIRS = ('', 'd0', 'd1')
NAMES = ('a', 'b', 'c')
PATHS = [os.path.join(d, n) for d in DIRS for n in NAMES]
SLOTS_MAX = 4
# every step compares what it touched; every FULL_CHECK_EVERY steps, every name and descriptor
FULL_CHECK_EVERY = int(os.environ.get('DFS_MODEL_FULL_CHECK_EVERY', '50'))
OFFSET_MAX = 20000
WRITE_BYTES_MAX = 5000
PAGE = mmap.PAGESIZE
ACCESS = (os.O_RDONLY, os.O_WRONLY, os.O_RDWR)
MODES = (0o644, 0o600, 0o640, 0o755)
TYPES = {stat.S_IFREG: 'file', stat.S_IFDIR: 'dir', stat.S_IFLNK: 'symlink'}

rng = random.Random(SEED)
slots = []          # [{'fds': [dfs_fd, local_fd], 'flags': int, 'label': str, 'node': int}]
history = []        # printable operations so far


class Mismatch(Exception):
    pass


def errname(e):
    return errno.errorcode.get(e.errno, str(e.errno)) if isinstance(e, OSError) else '%s(%s)' % (type(e).__name__, e)


def both(fn):
    """Runs fn(side) on both trees; returns the two outcomes as ('ok', value) or ('err', errno name)."""
    out = []
    for side in (0, 1):
        try:
            out.append(('ok', fn(side)))
        except (OSError, ValueError) as e:
            out.append(('err', errname(e)))
    return out


def shown(outcome):
    kind, v = outcome
    if kind == 'ok' and isinstance(v, bytes):
        return 'ok bytes[%d] sha1=%s' % (len(v), hashlib.sha1(v).hexdigest()[:12])
    return '%s %r' % (kind, v)


def flag_names(flags):
    names = ['O_RDONLY', 'O_WRONLY', 'O_RDWR'][flags & 3:][:1]
    for n in ('O_CREAT', 'O_EXCL', 'O_TRUNC', 'O_APPEND'):
        if flags & getattr(os, n):
            names.append(n)
    return '|'.join(names)


def read_all(f):
    chunks = []
    while True:
        b = f.read(65536)
        if not b:
            return b''.join(chunks)
        chunks.append(b)


def read_fd(fd):
    data, off = [], 0
    while True:
        b = os.pread(fd, 65536, off)
        if not b:
            return b''.join(data)
        data.append(b)
        off += len(b)


def snapshot(side, focus):
    """Names (type, mode, size, nlink, link group, content) and open descriptors of one tree.
    \`focus\`: None for everything, else (names, descriptor indexes, folders to list) to inspect."""
    root = ROOTS[side]
    entries, by_ino, out = {}, {}, {}
    for d in DIRS if focus is None else focus[2]:
        try:
            names = os.listdir(os.path.join(root, d))
        except OSError as e:
            out['ls ' + d] = errname(e)
            continue
        out['ls ' + d] = ' '.join(sorted(names))
        for n in names:
            p = os.path.join(d, n)
            if focus is None or p in focus[0]:
                entries[p] = os.lstat(os.path.join(root, p))
    for p in focus[0] if focus else ():
        entries.setdefault(p, 'ENOENT')
    for p, s in entries.items():
        if not isinstance(s, str):
            by_ino.setdefault(s.st_ino, []).append(p)
    fd_stats = {}
    for i, sl in enumerate(slots):
        if focus is None or i in focus[1]:
            try:
                fd_stats[i] = os.fstat(sl['fds'][side])
            except OSError as e:
                fd_stats[i] = errname(e)
    readers, holders = {}, {}
    for i, s in fd_stats.items():
        if not isinstance(s, str):
            holders.setdefault(s.st_ino, slots[i]['fds'][side])
            if (slots[i]['flags'] & 3) != os.O_WRONLY:
                readers.setdefault(s.st_ino, slots[i]['fds'][side])

    def content(ino, path):
        """Through a descriptor of the model when one is open (the node it holds), else by path."""
        if ino in readers:
            return read_fd(readers[ino])
        where = '/proc/self/fd/%d' % holders[ino] if ino in holders else os.path.join(root, path)
        with open(where, 'rb') as f:
            return read_all(f)

    for p, s in sorted(entries.items()):
        if isinstance(s, str):
            out[p] = s
            continue
        kind = TYPES.get(stat.S_IFMT(s.st_mode), '?')
        line = '%s %o nlink=%d' % (kind, stat.S_IMODE(s.st_mode), s.st_nlink)
        if kind == 'file':
            group = sorted(by_ino[s.st_ino])
            line += ' size=%d links=%s' % (s.st_size, ','.join(group))
            if group[0] == p:
                data = content(s.st_ino, p)
                line += ' data=%s' % hashlib.sha1(data).hexdigest()[:12]
                out['#data ' + p] = data
        out[p] = line
    for i, s in sorted(fd_stats.items()):
        if isinstance(s, str):
            out['fd%d' % i] = s
            continue
        links = 'nlink=%d' % s.st_nlink
        names = ','.join(sorted(by_ino.get(s.st_ino, []))) or '(no name inspected)'
        out['fd%d' % i] = 'fstat %s %o size=%d %s names=%s' % (TYPES.get(stat.S_IFMT(s.st_mode), '?'), stat.S_IMODE(s.st_mode), s.st_size, links, names)
        if s.st_ino not in by_ino:
            out['#data fd%d' % i] = content(s.st_ino, None)
    return out


def first_difference(a, b):
    for i in range(min(len(a), len(b))):
        if a[i] != b[i]:
            return i
    return min(len(a), len(b))


def compare_trees(focus=None):
    snaps = [snapshot(0, focus), snapshot(1, focus)]
    if snaps[0] == snaps[1]:
        return snaps[1]
    lines = []
    for k in sorted(set(snaps[0]) | set(snaps[1])):
        a, b = snaps[0].get(k), snaps[1].get(k)
        if a == b:
            continue
        if isinstance(a, bytes) and isinstance(b, bytes):
            i = first_difference(a, b)
            lines.append('  %s: contents differ from byte %d (dfs %d bytes, local %d): dfs %r.. local %r..' % (k, i, len(a), len(b), a[i:i + 16], b[i:i + 16]))
        elif not isinstance(a, bytes) and not isinstance(b, bytes):
            lines.append('  %s:\n    dfs:   %s\n    local: %s' % (k, a, b))
    raise Mismatch('trees differ after the step:\n' + '\n'.join(lines))


def fds(i):
    return slots[i]['fds']


# libfuse 2's path-based API (fuse-native) gives every NAME of an inode its own kernel inode
# ("node"), each with its own page cache: data written or mapped through one name is not seen
# through another name's cached pages. Until the mount is served by an inode-based binding,
# the model never touches an inode through one node while a descriptor holds it through
# another; such draws are skipped and counted (KNOWN LIMIT, reported in the summary). The
# node table below models libfuse's: a node follows renames, and an unlinked or replaced name
# that is still open becomes a hidden node.
node_at = {}        # path -> node id
node_ids = [0]
known_skips = {'one page cache per name (libfuse 2)': 0}


def node_for(p):
    if p not in node_at:
        node_ids[0] += 1
        node_at[p] = node_ids[0]
    return node_at[p]


def local_ino(p):
    try:
        return os.lstat(os.path.join(LOCAL, p)).st_ino
    except OSError:
        return None


def held_elsewhere(ino, node):
    """Whether a descriptor holds local inode \`ino\` through a node other than \`node\`."""
    if ino is None:
        return False
    for sl in slots:
        if sl['node'] != node and os.fstat(sl['fds'][1]).st_ino == ino:
            known_skips['one page cache per name (libfuse 2)'] += 1
            return True
    return False


def pick_slot():
    if not slots:
        return None
    i = rng.randrange(len(slots))
    ino = os.fstat(fds(i)[1]).st_ino
    if held_elsewhere(ino, slots[i]['node']):
        return None
    touched_inos.add(ino)
    return i


def pick_path():
    p = rng.choice(PATHS)
    touched_paths.add(p)
    return p


touched_paths, touched_inos = set(), set()
names_changed = [False]     # the step may create or remove a name: list the touched folders


def focus_of_step():
    """What a step may have changed: the names and descriptors of every inode it touched."""
    inos = touched_inos | {local_ino(p) for p in touched_paths}
    names = touched_paths | {p for p in PATHS if local_ino(p) in inos}
    ixs = {i for i, sl in enumerate(slots) if os.fstat(sl['fds'][1]).st_ino in inos}
    # a listing shows created and removed names: list the folders of touched names, and every
    # folder while a touched inode is held through a node that lost its name (libfuse renamed
    # it to .fuse_hidden*, which must show nowhere)
    named = set(node_at.values())
    if any(slots[i]['node'] not in named for i in ixs):
        return names, ixs, DIRS
    return names, ixs, sorted({os.path.dirname(p) for p in touched_paths}) if names_changed[0] else ()


def path_usable(p):
    """A path may be opened or truncated unless its inode is held through another node."""
    return not held_elsewhere(local_ino(p), node_at.get(p, -1))


def data_of(n):
    return rng.randbytes(n)


# ---- operations: each returns (label, fn(side)) or None when it does not apply now

def op_open():
    if len(slots) >= SLOTS_MAX:
        return op_close()
    p = pick_path()
    if not path_usable(p):
        return None
    flags = rng.choice(ACCESS)
    for f, weight in ((os.O_CREAT, 0.6), (os.O_TRUNC, 0.15), (os.O_APPEND, 0.2), (os.O_EXCL, 0.1)):
        if rng.random() < weight:
            flags |= f
    mode = rng.choice(MODES)
    names_changed[0] = bool(flags & os.O_CREAT)

    def run(side):
        return os.open(os.path.join(ROOTS[side], p), flags, mode)

    def after(results):
        if results[0][0] == 'ok':
            slots.append({'fds': [results[0][1], results[1][1]], 'flags': flags, 'label': '%s %s' % (p, flag_names(flags)), 'node': node_for(p)})
            return [('ok', 'fd%d' % (len(slots) - 1))] * 2
        return results

    return 'open(%r, %s, %o)' % (p, flag_names(flags), mode), run, after


def op_close():
    i = pick_slot()
    if i is None:
        return None
    sl = slots[i]

    def after(results):
        slots.pop(i)
        return results
    return 'close(fd%d %s)' % (i, sl['label']), lambda side: os.close(sl['fds'][side]), after


def op_read():
    i = pick_slot()
    if i is None:
        return None
    n = rng.randrange(1, WRITE_BYTES_MAX)

    def run(side):
        fd = fds(i)[side]
        return (os.read(fd, n), os.lseek(fd, 0, os.SEEK_CUR))
    return 'read(fd%d, %d)' % (i, n), run, None


def op_pread():
    i = pick_slot()
    if i is None:
        return None
    n, off = rng.randrange(1, WRITE_BYTES_MAX), rng.randrange(OFFSET_MAX)
    return 'pread(fd%d, %d, %d)' % (i, n, off), lambda side: os.pread(fds(i)[side], n, off), None


def op_write():
    i = pick_slot()
    if i is None:
        return None
    data = data_of(rng.randrange(1, WRITE_BYTES_MAX))

    def run(side):
        fd = fds(i)[side]
        return (os.write(fd, data), os.lseek(fd, 0, os.SEEK_CUR))
    return 'write(fd%d, %d bytes)' % (i, len(data)), run, None


def op_pwrite():
    i = pick_slot()
    if i is None:
        return None
    data, off = data_of(rng.randrange(1, WRITE_BYTES_MAX)), rng.randrange(OFFSET_MAX)
    return 'pwrite(fd%d, %d bytes, %d)' % (i, len(data), off), lambda side: os.pwrite(fds(i)[side], data, off), None


def op_lseek():
    i = pick_slot()
    if i is None:
        return None
    whence = rng.choice((os.SEEK_SET, os.SEEK_CUR, os.SEEK_END))
    off = rng.randrange(OFFSET_MAX) if whence == os.SEEK_SET else rng.randrange(-3000, 3000)
    return 'lseek(fd%d, %d, %d)' % (i, off, whence), lambda side: os.lseek(fds(i)[side], off, whence), None


def op_ftruncate():
    i = pick_slot()
    if i is None:
        return None
    size = rng.randrange(OFFSET_MAX)
    return 'ftruncate(fd%d, %d)' % (i, size), lambda side: os.ftruncate(fds(i)[side], size), None


def op_truncate():
    p, size = pick_path(), rng.randrange(OFFSET_MAX)
    if not path_usable(p):
        return None
    return 'truncate(%r, %d)' % (p, size), lambda side: os.truncate(os.path.join(ROOTS[side], p), size), None


def op_fsync():
    i = pick_slot()
    if i is None:
        return None
    fn = rng.choice((os.fsync, os.fdatasync))
    return '%s(fd%d)' % (fn.__name__, i), lambda side: fn(fds(i)[side]), None


def op_mmap_write():
    i = pick_slot()
    if i is None:
        return None
    # through an O_APPEND descriptor too: the kernel's write-back of the pages comes with
    # libfuse's writepage flag and goes to the pages' offsets, not to the end of the file
    at, n, sync = rng.random(), rng.randrange(1, 2 * PAGE), rng.random() < 0.5
    data = data_of(n)

    def run(side):
        fd = fds(i)[side]
        size = os.fstat(fd).st_size
        if size == 0:
            return 'empty file'
        m = mmap.mmap(fd, size, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
        try:
            off = int(at * size)
            piece = data[:size - off]
            m[off:off + len(piece)] = piece
            if sync:
                m.flush()
            return (off, len(piece))
        finally:
            m.close()
    return 'mmap_write(fd%d, at %.3f, %d bytes, msync=%s)' % (i, at, n, sync), run, None


def op_mmap_read():
    i = pick_slot()
    if i is None:
        return None
    at, n = rng.random(), rng.randrange(1, 2 * PAGE)

    def run(side):
        fd = fds(i)[side]
        size = os.fstat(fd).st_size
        if size == 0:
            return 'empty file'
        m = mmap.mmap(fd, size, mmap.MAP_SHARED, mmap.PROT_READ)
        try:
            off = int(at * size)
            return m[off:off + n]
        finally:
            m.close()
    return 'mmap_read(fd%d, at %.3f, %d)' % (i, at, n), run, None


def op_rename():
    names_changed[0] = True
    a, b = pick_path(), pick_path()

    # libfuse 2 first renames an open destination to .fuse_hidden* (a new node), then moves the
    # source's node to the name (for two names of one inode too: the master keeps both names)
    def after(results):
        if results[1][0] == 'ok' and a != b:
            node_at.pop(b, None)
            if a in node_at:
                node_at[b] = node_at.pop(a)
        return results
    return 'rename(%r, %r)' % (a, b), lambda side: os.rename(os.path.join(ROOTS[side], a), os.path.join(ROOTS[side], b)), after


def op_link():
    names_changed[0] = True
    a, b = pick_path(), pick_path()
    return 'link(%r, %r)' % (a, b), lambda side: os.link(os.path.join(ROOTS[side], a), os.path.join(ROOTS[side], b)), None


def op_unlink():
    names_changed[0] = True
    p = pick_path()

    def after(results):
        if results[1][0] == 'ok':
            node_at.pop(p, None)
        return results
    return 'unlink(%r)' % p, lambda side: os.unlink(os.path.join(ROOTS[side], p)), after


OPERATIONS = [
    (op_open, 12), (op_close, 8), (op_read, 6), (op_pread, 6), (op_write, 10), (op_pwrite, 10),
    (op_lseek, 3), (op_ftruncate, 3), (op_truncate, 4), (op_fsync, 4), (op_mmap_write, 7),
    (op_mmap_read, 2), (op_rename, 5), (op_link, 5), (op_unlink, 5),
]
CHOICES = [op for op, w in OPERATIONS for _ in range(w)]


def step(n):
    drawn = None
    while drawn is None:
        touched_paths.clear()
        touched_inos.clear()
        names_changed[0] = False
        drawn = rng.choice(CHOICES)()
    touched_inos.update(local_ino(p) for p in touched_paths)  # before the step: a replaced or unlinked inode
    label, run, after = drawn
    history.append('#%d %s' % (n, label))
    results = both(run)
    if after:
        results = after(results)
    history[-1] += ' -> ' + shown(results[1])
    if results[0] != results[1]:
        raise Mismatch('results differ:\n  dfs:   %s\n  local: %s' % (shown(results[0]), shown(results[1])))
    global last_snapshot
    last_snapshot = compare_trees(None if n % FULL_CHECK_EVERY == 0 else focus_of_step())


last_snapshot = None


def main():
    os.umask(0o022)
    for root in ROOTS:
        os.makedirs(root)
        for d in DIRS[1:]:
            os.mkdir(os.path.join(root, d))
    started = time.monotonic()
    n = 0
    try:
        for n in range(1, OPS + 1):
            step(n)
    except Mismatch as e:
        print('MISMATCH at step %d of seed %d: %s' % (n, SEED, history[-1]))
        print(str(e))
        print('open descriptors (as opened):\n  ' + '\n  '.join('fd%d %s' % (i, sl['label']) for i, sl in enumerate(slots)))
        if last_snapshot:
            print('the local tree before the step:\n  ' + '\n  '.join('%s: %s' % (k, v) for k, v in sorted(last_snapshot.items()) if not k.startswith('#')))
        print('last operations:\n  ' + '\n  '.join(history[-40:]))
        sys.exit(1)
    finally:
        sys.stdout.flush()
    for sl in slots:
        for fd in sl['fds']:
            os.close(fd)
    compare_trees()
    elapsed = time.monotonic() - started
    print('OK seed %d: %d operations in %.1f s (%.0f ops/s); known limits: %s'
          % (SEED, OPS, elapsed, OPS / elapsed, ', '.join('%s: %d draws skipped' % kv for kv in known_skips.items())))


main()
`;
