// CRC32C combining (src/common/crc32c.ts) and the single-pass frame check of the chunkserver
// (src/chunkserver/verified-crcs.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { crc32c, crc32cCombine } from '../src/common/crc32c';
import { checkFrameCrc, takeVerifiedCrc } from '../src/chunkserver/verified-crcs';
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
