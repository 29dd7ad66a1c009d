/**
 * A real FUSE mount of an in-process cluster, for the suites that compare the mount with a local
 * folder (mount-posix, mount-model, mount-apps). The test process serves the mount, so it must
 * never touch the mount itself: everything on it runs in child processes.
 */
import { rm } from 'node:fs/promises';
import { forceUnmount, startMount, type MountHandle } from '../../src/mount/mount';
import { TestCluster } from './cluster';
import { isMounted } from './mount-harness';

export interface ClusterMount {
  cluster: TestCluster;
  mount: MountHandle;
}

/**
 * One chunkserver, replication 1, and a mount at `mnt`. A loaded test machine delays heartbeats,
 * so servers are declared dead late (a server lost mid-suite is not what these suites test).
 * attrTimeoutMs 0: libfuse 2's path-based API gives each hard link its own kernel inode, so with
 * attribute caching the OTHER names of a linked inode show the old nlink/ctime until the timeout
 * (and an `rsync -H` out of the mount then copies them as separate files); the suites check the
 * file system's answers, not that cache.
 */
export async function startClusterMount(mnt: string): Promise<ClusterMount> {
  const cluster = await TestCluster.start({ chunkservers: 1, config: { 'cluster.replication': 1, 'cluster.deadAfterMs': 15_000 } });
  try {
    const config = { ...cluster.config, mount: { ...cluster.config.mount, attrTimeoutMs: 0 } };
    return { cluster, mount: await startMount({ config, masterAddress: cluster.masterAddress, mountpoint: mnt }) };
  } catch (e) {
    await cluster.stop();
    throw e;
  }
}

/** Unmounts (forcing it when needed), stops the cluster, and removes `dir` unless still mounted. */
export async function stopClusterMount(cm: Partial<ClusterMount> | undefined, mnt: string, dir: string): Promise<void> {
  if (cm?.mount) await Promise.race([cm.mount.unmount(), new Promise((r) => setTimeout(r, 15_000).unref())]);
  if (mnt && (await isMounted(mnt))) await forceUnmount(mnt);
  await cm?.cluster?.stop();
  // never remove through a live mount: rm would enter it from the serving process
  if (dir && !(await isMounted(mnt))) await rm(dir, { recursive: true, force: true });
}
