/**
 * What the kernel may still believe a file's size is, so that an open can make it look again.
 *
 * The kernel keeps the attributes of every getattr/lookup reply for `attr_timeout`, and a read
 * stops at the size it holds: a file another mount grew (or a hard link's other name grew
 * through this mount: each name is a kernel inode of its own under libfuse 2) read back cut at
 * the old size when it had been stat'ed within the timeout — close-to-open broken. libfuse 2's
 * path-based API cannot invalidate a kernel inode, and `attr_timeout=0` makes the kernel ask
 * for the attributes of every folder of every path it walks (measured: `ls -lR` of 1,000 files
 * 2.8 times slower). Instead, every size the mount reports is remembered for the timeout, and
 * an open that finds the file's size changed since fails once with ESTALE: the kernel then
 * repeats the open with LOOKUP_REVAL, whose lookup brings the new attributes (NFS clients
 * revalidate on open the same way).
 */

/** Paths remembered (oldest forgotten first); a forgotten path's open costs nothing extra. */
export const KERNEL_SIZES_MAX = 20_000;
/** The key of a retry let through whatever path it opens (no real path is empty). */
const ANY_PATH = '';

export class KernelSizes {
  private readonly seen = new Map<string, { size: number; atMs: number }>();
  /** `pid:path` of opens that just failed with ESTALE: that process's next open (the kernel's retry) is let through. */
  private readonly retried = new Map<string, number>();

  constructor(private readonly windowMs: number, private readonly nowMs: () => number = () => performance.now()) {}

  /** The mount answered a getattr/lookup of `path` with `size`. */
  saw(path: string, size: number): void {
    if (this.windowMs <= 0) return;
    this.seen.delete(path);
    this.seen.set(path, { size, atMs: this.nowMs() });
    trim(this.seen);
  }

  /**
   * A write through a descriptor opened at `path` left the file `size` long: the kernel saw it
   * go by (its size for that name follows its own writes), so it is no reason to look again.
   */
  wrote(path: string, size: number): void {
    const s = this.seen.get(path);
    if (s) s.size = size;
  }

  /**
   * True when the kernel may hold another size than `size` for `path` (the open by process
   * `pid` should fail with ESTALE). The kernel retries such an open once, from the same
   * process: that retry is never failed (a file changed again between its lookup and its open,
   * by an appender elsewhere, is opened all the same).
   */
  staleOnOpen(path: string, size: number, pid: number): boolean {
    const now = this.nowMs();
    const key = `${pid}:${path}`;
    let retry = false;
    for (const k of [key, `${pid}:${ANY_PATH}`]) {
      const atMs = this.retried.get(k);
      if (atMs === undefined) continue;
      this.retried.delete(k);
      if (now - atMs < this.windowMs) retry = true;
    }
    if (retry) return false;
    const s = this.seen.get(path);
    if (!s || now - s.atMs >= this.windowMs || s.size === size) return false;
    this.seen.delete(path);
    this.retried.set(key, now);
    trim(this.retried);
    return true;
  }

  /**
   * An open by process `pid` failed with ESTALE for a reason of its own (fuse-ops.ts: the
   * hidden node it found was released meanwhile): the kernel's retry walks the path again and
   * may reach any name, and is let through as above (a second ESTALE would reach the caller).
   */
  failedStale(pid: number): void {
    if (this.windowMs <= 0) return;
    this.retried.set(`${pid}:${ANY_PATH}`, this.nowMs());
    trim(this.retried);
  }
}

function trim<V>(m: Map<string, V>): void {
  if (m.size > KERNEL_SIZES_MAX) m.delete(m.keys().next().value as string);
}
