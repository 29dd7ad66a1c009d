/** What every workload gets: the options, the folders, the cluster and mount (or why not). */
import type { Options } from './options';
import type { BenchCluster } from './cluster';
import type { RssSampler } from './rss';
import { sh, q } from './shell';

export interface BenchContext {
  opts: Options;
  /** The benchmark's temp folder (removed at the end). */
  root: string;
  /** The local folder dfs is compared with: inside root, so on the same disk as the chunks. */
  localDir: string;
  /** Scratch space on local disk for source files. */
  scratchDir: string;
  /** Undefined when the cluster did not start (clusterError says why). */
  cluster: BenchCluster | undefined;
  clusterError: string | undefined;
  /** The mountpoint when `dfs mount` is up, else undefined (mountError says why). */
  mountpoint: string | undefined;
  mountError: string | undefined;
  rss: RssSampler;
  /** Progress line on stderr. */
  log(msg: string): void;
}

/** The cluster, or throws why there is none (the row's dfs side then shows the error). */
export function needCluster(ctx: BenchContext): BenchCluster {
  if (!ctx.cluster) throw new Error(`no cluster: ${ctx.clusterError ?? 'not started'}`);
  return ctx.cluster;
}

/** The mountpoint, or throws why there is none. */
export function needMount(ctx: BenchContext): string {
  if (!ctx.mountpoint) throw new Error(`no mount: ${ctx.mountError ?? ctx.clusterError ?? 'not started'}`);
  return ctx.mountpoint;
}

/**
 * Best-effort eviction from the page cache (posix_fadvise DONTNEED through
 * `dd iflag=nocache count=0`) of every file under `paths`, so reads come from the disk on both
 * sides. Only clean pages are dropped (sync first); dropping the whole cache
 * (/proc/sys/vm/drop_caches) is not possible reliably in a container.
 */
export async function dropPageCache(paths: string[]): Promise<void> {
  if (paths.length === 0) return;
  await sh(`sync; find ${paths.map(q).join(' ')} -type f 2>/dev/null | while IFS= read -r f; do dd if="$f" iflag=nocache count=0 status=none 2>/dev/null; done; true`, 120);
}
