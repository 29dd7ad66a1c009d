/**
 * The data half of `get`: reads the chunks of a file in parallel (at most `parallelChunks` at
 * once) and writes their bytes to `dest` strictly in file order, honouring dest's back-pressure.
 *
 * Memory: a chunk ahead of the one being written buffers at most its own length, so at most
 * parallelChunks × chunkSize bytes are held; the chunk at the head is passed through as its
 * frames arrive. Holes and bytes past a chunk's stored end read as zeros; everything is clipped
 * to the file size. On the first error every read is stopped and the promise rejects.
 */
import type { Hash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { DfsError, asDfsError } from '../common/errors';
import type { Attr__Output } from '../generated/dfs/Attr';
import type { Progress } from './types';
import { chunkCountOf, chunkLengthAt } from './chunk-math';
import type { DataPath } from './data-path';

/** Frames of one chunk between its reader and the in-order writer. */
class FrameQueue {
  private readonly items: Buffer[] = [];
  private ended = false;
  private failure: unknown;
  private wake: (() => void) | undefined;
  stopped = false;

  push(data: Buffer): void {
    if (this.stopped) throw new DfsError('CANCELLED', 'download stopped');
    this.items.push(data);
    this.notify();
  }

  end(err?: unknown): void {
    this.ended = true;
    this.failure = err;
    this.notify();
  }

  async *drain(): AsyncGenerator<Buffer> {
    for (;;) {
      while (this.items.length === 0 && !this.ended) await new Promise<void>((r) => { this.wake = r; });
      const next = this.items.shift();
      if (next) { yield next; continue; }
      if (this.failure !== undefined) throw this.failure;
      return;
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

export interface DownloadPlan {
  parallelChunks: number;
  hash?: Hash;
  onProgress?: (p: Progress) => void;
}

export async function downloadChunks(data: DataPath, attr: Attr__Output, dest: Writable, plan: DownloadPlan): Promise<void> {
  const count = chunkCountOf(attr.size, attr.chunkSize);
  const window: FrameQueue[] = [];
  let next = 0;
  let done = 0;
  const fill = (): void => {
    while (window.length < plan.parallelChunks && next < count) {
      const q = new FrameQueue();
      const index = next++;
      data.readChunk(attr.ino, index, 0, chunkLengthAt(index, attr.size, attr.chunkSize), (d) => q.push(d))
        .then(() => q.end(), (e) => q.end(asDfsError(e)));
      window.push(q);
    }
  };
  try {
    fill();
    while (window.length > 0) {
      for await (const buf of window[0].drain()) {
        plan.hash?.update(buf);
        if (!dest.write(buf)) await drained(dest);
        done += buf.length;
        plan.onProgress?.({ bytesDone: done, bytesTotal: attr.size });
      }
      window.shift();
      fill();
    }
  } finally {
    for (const q of window) q.stopped = true;
  }
}

/** Resolves on 'drain'; rejects when the stream errors or closes first. */
function drained(dest: Writable): Promise<void> {
  if (dest.destroyed) return Promise.reject(asDfsError(dest.errored ?? new DfsError('EIO', 'destination closed')));
  return new Promise((resolve, reject) => {
    const cleanup = (): void => { dest.off('drain', onDrain); dest.off('error', onError); dest.off('close', onClose); };
    const onDrain = (): void => { cleanup(); resolve(); };
    const onError = (e: unknown): void => { cleanup(); reject(asDfsError(e)); };
    const onClose = (): void => { cleanup(); reject(new DfsError('EIO', 'destination closed')); };
    dest.on('drain', onDrain);
    dest.on('error', onError);
    dest.on('close', onClose);
  });
}
