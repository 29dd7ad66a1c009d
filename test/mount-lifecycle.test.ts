/**
 * Mount lifecycle on real FUSE mounts: unmount with files still open, forceUnmount of a mount
 * whose server stopped answering, and a failed mount leaving nothing behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { forceUnmount, startMount } from '../src/mount/mount';
import { isMounted, mountFake, testConfig } from './helpers/mount-harness';

test('Mount lifecycle: unmount while a child process holds a file open', async () => {
  const m = await mountFake();
  try {
    await m.ok('echo data > "$M/held"');
    const holder = m.sh('exec 3<"$M/held"; sleep 5', 8);
    await new Promise((r) => setTimeout(r, 300));
    await m.handle.unmount();
    assert.equal(await isMounted(m.mnt), false, 'the mountpoint is detached at once');
    await holder;
  } finally {
    await m.close();
  }
});

test('Mount lifecycle: forceUnmount of a mount whose server hangs fails the stuck reader', async () => {
  const m = await mountFake();
  try {
    await m.ok('echo data > "$M/slow"');
    m.client.faults.dataDelayMs = 8000;
    const reader = m.sh('cat "$M/slow"', 15);
    await new Promise((r) => setTimeout(r, 500));
    const t0 = Date.now();
    await forceUnmount(m.mnt);
    assert.equal(await isMounted(m.mnt), false);
    const r = await reader;
    assert.notEqual(r.code, 0, 'the stuck read fails instead of hanging');
    assert.ok(Date.now() - t0 < 5000, 'the reader was released by the abort, not by the delay');
  } finally {
    m.client.faults = {};
    await m.close();
  }
});

test('Mount lifecycle: a mountpoint that is a file rejects and leaves nothing mounted', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dfs-test-'));
  try {
    const file = join(dir, 'not-a-dir');
    await writeFile(file, 'x');
    const { FakeClient } = await import('./helpers/fake-client');
    await assert.rejects(startMount({ config: testConfig(), masterAddress: 'fake', mountpoint: file, client: new FakeClient() }), { code: 'ENOTDIR' });
    assert.equal(await isMounted(file), false);
  } finally {
    await forceUnmount(join(dir, 'not-a-dir'));
    await rm(dir, { recursive: true, force: true });
  }
});

test('Mount lifecycle: a mountpoint with files in it is refused with ENOTEMPTY (libfuse said only "fuse failed": EIO), the files untouched', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dfs-test-'));
  try {
    await writeFile(join(dir, 'left-here'), 'x');
    const { FakeClient } = await import('./helpers/fake-client');
    await assert.rejects(startMount({ config: testConfig(), masterAddress: 'fake', mountpoint: dir, client: new FakeClient() }),
      (e: unknown) => (e as { code?: string }).code === 'ENOTEMPTY' && /not empty/.test((e as Error).message));
    assert.equal(await isMounted(dir), false);
    assert.equal(await readFile(join(dir, 'left-here'), 'utf8'), 'x');
  } finally {
    await forceUnmount(dir);
    await rm(dir, { recursive: true, force: true });
  }
});

test('Mount lifecycle: a master that cannot be reached fails the mount at once, and nothing is mounted', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dfs-test-'));
  // a port that was free a moment ago: nothing listens there
  const port = await new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
  try {
    await assert.rejects(startMount({ config: testConfig(), masterAddress: `127.0.0.1:${port}`, mountpoint: dir }), { code: 'UNAVAILABLE' });
    assert.equal(await isMounted(dir), false);
  } finally {
    await forceUnmount(dir);
    await rm(dir, { recursive: true, force: true });
  }
});
