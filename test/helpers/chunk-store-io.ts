/** Writes and reads through a FileChunkStore the way the write pipeline and ReadChunk do, for store tests. */
import type { FileChunkStore } from '../../src/chunkserver/chunk-store';

/** Writes `data` at `offset` in pieces of `pieceBytes` (default 100,000), then commits (with `setLength`; `sync` default true). */
export async function writeAt(store: FileChunkStore, handle: number, version: number, offset: number, data: Buffer,
  opts: { setLength?: number; pieceBytes?: number; sync?: boolean } = {}): Promise<number> {
  const w = await store.openWriter(handle, version, offset, data.length);
  const piece = opts.pieceBytes ?? 100_000;
  for (let i = 0; i < data.length; i += piece) await w.write(data.subarray(i, i + piece));
  return w.commit(opts.setLength, opts.sync ?? true);
}

/** Reads `length` bytes (default: to the end) at `offset`, in pieces of `pieceBytes`. */
export async function readAll(store: FileChunkStore, handle: number, version: number, offset = 0, length = 1 << 30, pieceBytes = 300_000): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of store.read(handle, version, offset, length, pieceBytes)) parts.push(Buffer.from(p));
  return Buffer.concat(parts);
}
