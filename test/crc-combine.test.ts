// CRC32C combining (src/common/crc32c.ts) and the single-pass frame check of the chunkserver
// (src/chunkserver/verified-crcs.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { crc32c, crc32cCombine } from '../src/common/crc32c';
import { checkFrameCrc, frameCrcOf, rememberReadCrc, takeVerifiedCrc } from '../src/chunkserver/verified-crcs';
import { BLOCK_BYTES } from '../src/chunkserver/chunk-meta';

test('crc32cCombine: the CRC of A then B from the CRCs of A and B and the length of B', () => {
  for (const [a, b] of [[0, 0], [1, 1], [0, 9], [7, 0], [BLOCK_BYTES, BLOCK_BYTES], [1000, 1 << 20], [123_457, 3 * BLOCK_BYTES + 5]]) {
    const A = randomBytes(a);
    const B = randomBytes(b);
    assert.equal(crc32cCombine(crc32c(A), crc32c(B), b), crc32c(Buffer.concat([A, B])), `${a} + ${b} bytes`);
  }
});

test('checkFrameCrc: accepts exactly the right CRC at any chunk offset; keeps the whole blocks\' CRCs once', () => {
  const frame = randomBytes(4 * BLOCK_BYTES + 100);
  for (const chunkOffset of [0, 1, BLOCK_BYTES - 1, BLOCK_BYTES, 5 * BLOCK_BYTES + 12_345]) {
    const data = Buffer.from(frame); // memory of its own for each case
    assert.equal(checkFrameCrc(data, chunkOffset, crc32c(data) ^ 1), false, `a wrong CRC is refused at ${chunkOffset}`);
    assert.equal(checkFrameCrc(data, chunkOffset, crc32c(data)), true, `the right CRC is accepted at ${chunkOffset}`);
    // the blocks a writer cuts at this chunk offset: whole ones aligned to the chunk's 64 KiB grid
    const head = (BLOCK_BYTES - (chunkOffset % BLOCK_BYTES)) % BLOCK_BYTES;
    let found = 0;
    for (let i = head; i + BLOCK_BYTES <= data.length; i += BLOCK_BYTES) {
      const block = data.subarray(i, i + BLOCK_BYTES);
      assert.equal(takeVerifiedCrc(block), crc32c(block), `block at +${i} (chunk offset ${chunkOffset})`);
      assert.equal(takeVerifiedCrc(block), undefined, 'taken once');
      found++;
    }
    assert.equal(found, Math.floor((data.length - head) / BLOCK_BYTES));
    // a view off the grid, or the same bytes elsewhere in memory, is not known
    assert.equal(takeVerifiedCrc(data.subarray(head + 1, head + 1 + BLOCK_BYTES)), undefined);
    assert.equal(takeVerifiedCrc(Buffer.from(data.subarray(head, head + BLOCK_BYTES))), undefined);
  }
  const refused = Buffer.from(frame);
  checkFrameCrc(refused, 0, 0);
  assert.equal(takeVerifiedCrc(refused.subarray(0, BLOCK_BYTES)), undefined, 'nothing is kept of a refused frame');
});

test('frameCrcOf: a read of whole blocks (or up to the chunk end) gets its CRC from the blocks\' CRCs', () => {
  const lengthBytes = 3 * BLOCK_BYTES + 1000;
  const chunk = randomBytes(lengthBytes);
  const crcs = [0, 1, 2, 3].map((b) => crc32c(chunk.subarray(b * BLOCK_BYTES, Math.min(lengthBytes, (b + 1) * BLOCK_BYTES))));
  for (const [from, to] of [[0, BLOCK_BYTES], [BLOCK_BYTES, lengthBytes], [0, lengthBytes], [2 * BLOCK_BYTES, 3 * BLOCK_BYTES]]) {
    const data = chunk.subarray(from, to);
    rememberReadCrc(data, from, to, crcs, lengthBytes);
    assert.equal(frameCrcOf(data), crc32c(data), `[${from}, ${to})`);
  }
  // the remembered value is what is used (here a deliberately wrong block CRC), only where it applies
  const data = chunk.subarray(0, BLOCK_BYTES);
  rememberReadCrc(data, 0, BLOCK_BYTES, [12345], lengthBytes);
  assert.equal(frameCrcOf(data), 12345);
  const unaligned = chunk.subarray(10, BLOCK_BYTES);
  rememberReadCrc(unaligned, 10, BLOCK_BYTES, [12345], lengthBytes);
  assert.equal(frameCrcOf(unaligned), crc32c(unaligned), 'a read not starting on a block is computed');
  const shortOfEnd = chunk.subarray(0, BLOCK_BYTES + 5);
  rememberReadCrc(shortOfEnd, 0, BLOCK_BYTES + 5, [12345, 12345], lengthBytes);
  assert.equal(frameCrcOf(shortOfEnd), crc32c(shortOfEnd), 'a read ending inside a block (not the last) is computed');
});
