/**
 * Bytes held as an ordered list of buffers: the frames of a read as they arrived (views of the
 * received messages), never copied just to join them. The mount copies them once, into the
 * kernel's buffer; joining a 4 MiB read-ahead window first cost a fresh 4 MiB allocation and a
 * page fault per 4 KiB touched (measured: a third of the mount's copying in a 1 GiB `cat`).
 */
export type Parts = readonly Buffer[];

export function partsLength(parts: Parts): number {
  let n = 0;
  for (const p of parts) n += p.length;
  return n;
}

/** Views of bytes [from, to) of `parts` (clipped to their length); nothing is copied. */
export function sliceParts(parts: Parts, from: number, to: number): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (const p of parts) {
    const end = at + p.length;
    if (end > from && at < to) out.push(p.subarray(Math.max(0, from - at), Math.min(p.length, to - at)));
    if (end >= to) break;
    at = end;
  }
  return out;
}

/** Copies `parts` into `target` from `targetStart` (as much as fits); returns the bytes copied. */
export function copyParts(parts: Parts, target: Buffer, targetStart = 0): number {
  let at = targetStart;
  for (const p of parts) {
    if (at >= target.length) break;
    at += p.copy(target, at);
  }
  return at - targetStart;
}

/** The bytes of `parts` in one buffer (a view when there is a single part). */
export function joinParts(parts: Parts): Buffer {
  return parts.length === 1 ? parts[0] : Buffer.concat(parts as Buffer[]);
}
