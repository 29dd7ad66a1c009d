/**
 * Background scrubber: re-reads every replica at `scrubBytesPerSec` (0 = off) so that silent
 * corruption of data nobody reads is found and reported (the store marks the replica bad and
 * tells the master, which re-replicates it; a data or meta file that cannot be read at all, or
 * is gone, counts as corrupt: ChunkStore.read). One pass after another, in handle order; a chunk
 * that changes or disappears during its pass is simply skipped.
 */
import { Napper } from '../common/clock';
import { asDfsError, isDfsError } from '../common/errors';
import type { Logger } from '../common/logger';
import type { ChunkStore } from './chunk-store';

/** Bytes read per step; the scrubber sleeps after each step to keep to its rate. */
const SCRUB_STEP_BYTES = 1024 * 1024;
/**
 * Least pause before each chunk: a server of small chunks is not read at hundreds of files per
 * second by a rate counted in bytes (at most 50 chunks/s; 100,000 chunks: a pass in ~35 min).
 */
const SCRUB_CHUNK_PAUSE_MS_MIN = 20;

export class Scrubber {
  private stopped = false;
  private running: Promise<void> | undefined;
  private readonly napper = new Napper();

  constructor(private readonly store: ChunkStore, private readonly bytesPerSec: number, private readonly log: Logger,
    private readonly passPauseMs = 10_000) {}

  start(): void {
    if (this.bytesPerSec > 0) this.running = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.napper.wake();
    await this.running;
  }

  private sleep(ms: number): Promise<void> {
    return this.napper.sleep(ms);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let bad = 0;
      const chunks = this.store.list().filter((c) => !c.bad).sort((a, b) => a.handle - b.handle);
      for (const c of chunks) {
        if (this.stopped) return;
        await this.sleep(SCRUB_CHUNK_PAUSE_MS_MIN);
        if (this.stopped) return;
        try {
          for await (const piece of this.store.read(c.handle, c.version, 0, c.lengthBytes, SCRUB_STEP_BYTES)) {
            if (this.stopped) return;
            await this.sleep((piece.length / this.bytesPerSec) * 1000);
          }
        } catch (e) {
          // The store marks the replica bad (and reports it) for whatever its files did wrong:
          // a block or a meta that does not verify, a file gone, EISDIR, EIO … So a failure
          // here is either a bad replica found, a chunk that changed or went meanwhile, or a
          // failure of the process (EMFILE …), which the next pass tries again.
          if (this.store.get(c.handle)?.bad) bad++;
          else if (!isDfsError(e, 'STALE_VERSION') && !isDfsError(e, 'CHUNK_NOT_FOUND')) {
            this.log.warn({ handle: c.handle, err: asDfsError(e).message }, 'scrub read failed');
          }
        }
      }
      this.log.debug({ chunks: chunks.length, bad }, 'scrub pass done');
      await this.sleep(this.passPauseMs);
    }
  }
}
