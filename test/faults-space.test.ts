/**
 * Fault injection, real OS processes (issue 4 Acceptance 7): a chunkserver whose data folder is
 * a 20 MiB tmpfs fills up. Writes go to the servers with room (placement skips a server with
 * less than a chunk free; a write that still hits ENOSPC fails cleanly and the client retries
 * elsewhere); when no server has room, `dfs put` fails with "No space left on device" and
 * nothing already written is damaged. Needs root for `mount -t tmpfs` (skipped otherwise).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { FaultCluster, MiB } from './helpers/fault-cluster';

const TMPFS_MiB = 20;
const clusters: FaultCluster[] = [];
const mounts: string[] = [];

after(async () => {
  for (const c of clusters) await c.stop();
  for (const m of mounts) {
    try {
      execFileSync('umount', [m]);
    } catch { /* not mounted */ }
    await rm(m, { recursive: true, force: true });
  }
});

const canMount = process.getuid?.() === 0;

/** A fresh TMPFS_MiB tmpfs, unmounted in after(). */
async function smallDisk(): Promise<string> {
  const m = await mkdtemp(join(tmpdir(), 'dfs-tmpfs-'));
  mounts.push(m);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_MiB}m`, 'tmpfs', m]);
  return m;
}

/** Starts chunkserver `id` on a small tmpfs (its data folder is a symlink into the mount). */
async function startOnSmallDisk(c: FaultCluster, id: string): Promise<void> {
  await symlink(await smallDisk(), c.dataDir(id));
  c.startChunkserver(id);
}

test('Faults 7: a chunkserver with a full disk (20 MiB tmpfs) → writes go elsewhere, nothing corrupted', { skip: !canMount && 'needs root to mount tmpfs' }, async () => {
  const c = await FaultCluster.start(3);
  clusters.push(c);
  await startOnSmallDisk(c, 'cs3');
  await c.waitForAlive(4);
  // 48 MiB with replication 3 on 4 servers: the 20 MiB server would get ~36 MiB, so it fills up.
  await c.writeFiles('/s7', 30, 2 * MiB);
  await c.waitHealthy();
  assert.deepEqual(await c.verifyAll(), []);
  const cs3 = (await c.nodes()).find((n) => n.serverId === 'cs3')!;
  assert.ok(cs3.freeBytes < (TMPFS_MiB * MiB) / 4, `cs3 filled up (free ${cs3.freeBytes})`);
  assert.ok((await c.chunkFiles('cs3')).size > 0, 'cs3 took replicas while it had room');
});

test('Faults 7: a single full chunkserver → put fails with "No space left on device", earlier files intact', { skip: !canMount && 'needs root to mount tmpfs' }, async () => {
  const c = await FaultCluster.start(0, { 'cluster.replication': 1 });
  clusters.push(c);
  await startOnSmallDisk(c, 'cs0');
  await c.waitForAlive(1);
  await c.writeFiles('/fits', 6, 2 * MiB);
  const local = join(c.dir, 'too-big.bin');
  await writeFile(local, randomBytes(TMPFS_MiB * MiB));
  const r = await c.dfs('put', '-q', local, '/too-big.bin');
  assert.equal(r.code, 1, 'the put failed');
  assert.match(r.stderr, /^dfs: cannot put '\/too-big\.bin': No space left on device$/m);
  const ls = await c.dfs('ls', '/');
  assert.doesNotMatch(ls.stdout.toString(), /too-big/, 'no half file');
  assert.deepEqual(await c.verifyAll(), []);
  await c.waitHealthy();
});
