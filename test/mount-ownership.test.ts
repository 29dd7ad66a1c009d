// Owner, group and mode of inodes the mount creates (src/mount/ownership.ts), as a table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newInodeOwner } from '../src/common/inode-owner';

const caller = { uid: 1000, gid: 100 };

test('Mount ownership: new inodes belong to the caller; a setgid parent gives its group, and its setgid to directories', () => {
  const cases: Array<[string, { mode: number; gid: number }, number, boolean, { uid: number; gid: number; mode: number }]> = [
    ['file in a plain directory', { mode: 0o755, gid: 0 }, 0o644, false, { uid: 1000, gid: 100, mode: 0o644 }],
    ['directory in a plain directory', { mode: 0o777, gid: 0 }, 0o755, true, { uid: 1000, gid: 100, mode: 0o755 }],
    ['file in a setgid directory', { mode: 0o2775, gid: 4242 }, 0o640, false, { uid: 1000, gid: 4242, mode: 0o640 }],
    ['directory in a setgid directory', { mode: 0o2775, gid: 4242 }, 0o700, true, { uid: 1000, gid: 4242, mode: 0o2700 }],
    ['setgid file asked for in a setgid directory keeps the bits given', { mode: 0o2777, gid: 7 }, 0o2755, false, { uid: 1000, gid: 7, mode: 0o2755 }],
    ['sticky parent changes nothing', { mode: 0o1777, gid: 0 }, 0o600, false, { uid: 1000, gid: 100, mode: 0o600 }],
    ['type bits are not permission bits', { mode: 0o755, gid: 0 }, 0o100644, false, { uid: 1000, gid: 100, mode: 0o644 }],
    ['mode 0 stays 0', { mode: 0o2777, gid: 3 }, 0, true, { uid: 1000, gid: 3, mode: 0o2000 }],
  ];
  for (const [name, parent, mode, isDir, want] of cases) {
    assert.deepEqual(newInodeOwner(parent, caller, mode, isDir), want, name);
  }
});
