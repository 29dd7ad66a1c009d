/**
 * The frames of one upload chunk while it is in flight: filled by the source reader, consumed
 * (possibly several times, once per write attempt) by the chunk writer. Frames are views of the
 * source's buffers and are kept until the chunk is acknowledged, so a retry can resend them;
 * the uploader keeps at most `parallelChunks` slots alive, which bounds memory to
 * parallelChunks × chunkSize.
 */
import { DfsError } from '../common/errors';

export class ChunkSlot {
  private readonly list: Buffer[] = [];
  private bytes = 0;
  /** Bytes handed to a writer so far (the furthest any attempt got). */
  private consumedBytes = 0;
  private ended = false;
  private failure: DfsError | undefined;
  private wake: (() => void) | undefined;
  private changed: Promise<void>;

  /** `expectedLength`: the chunk's final length when known in advance (source size known). */
  constructor(readonly index: number, readonly expectedLength: number | undefined) {
    this.changed = this.nextChange();
  }

  get length(): number {
    return this.bytes;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  push(frame: Buffer): void {
    if (this.ended) throw new Error('push after end');
    this.list.push(frame);
    this.bytes += frame.length;
    this.notify();
  }

  end(): void {
    this.ended = true;
    this.notify();
  }

  /** Fails every current and future reader with `err`. */
  abort(err: DfsError): void {
    this.failure ??= err;
    this.notify();
  }

  /** Resolves with the final length once the slot is ended. */
  async finalLength(): Promise<number> {
    while (!this.ended) {
      this.throwIfFailed();
      await this.changed;
    }
    this.throwIfFailed();
    return this.bytes;
  }

  /**
   * Waits until at most `aheadBytes` pushed bytes are not yet handed to a writer (or the slot
   * failed): the source is read as fast as the chunk is sent, not as fast as the disk reads.
   * Only for a slot whose length is known (a writer of an unknown length waits for the end).
   */
  async room(aheadBytes: number): Promise<void> {
    while (this.bytes - this.consumedBytes > aheadBytes && !this.failure) await this.changed;
    this.throwIfFailed();
  }

  /** Every frame from the first, waiting for the ones not pushed yet. */
  async *frames(): AsyncGenerator<Buffer> {
    let handed = 0;
    for (let i = 0; ; i++) {
      while (i >= this.list.length && !this.ended && !this.failure) await this.changed;
      this.throwIfFailed();
      if (i >= this.list.length) return;
      handed += this.list[i].length;
      if (handed > this.consumedBytes) {
        this.consumedBytes = handed;
        this.notify();
      }
      yield this.list[i];
    }
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  private notify(): void {
    const wake = this.wake;
    this.changed = this.nextChange();
    wake?.();
  }

  private nextChange(): Promise<void> {
    return new Promise<void>((resolve) => { this.wake = resolve; });
  }
}
