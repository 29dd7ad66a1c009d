/**
 * The inventory digest's Bloom filter (pure): no false negatives, and the measured
 * false-positive rate and size that docs/ARCHITECTURE.md quotes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildBloom, expectedFalsePositiveRate, mayContain, BLOOM_BYTES_MAX } from '../src/common/bloom';
import { mayHold, missingFromDigest } from '../src/master/inventory-drift';

test('Bloom digest: every added handle is reported as maybe-present (no false negatives)', () => {
  const handles = Array.from({ length: 5_000 }, (_, i) => 1 + i * 3);
  handles.push(2 ** 40 + 7, Number.MAX_SAFE_INTEGER);
  const d = buildBloom(handles, handles.length);
  for (const h of handles) assert.equal(mayContain(d, h), true, `handle ${h}`);
  assert.equal(d.count, handles.length);
});

test('Bloom digest: measured false-positive rate ≈ 1 % at 10 bits per handle, size n·10/8 bytes', () => {
  for (const n of [1_000, 100_000]) {
    const d = buildBloom(Array.from({ length: n }, (_, i) => i + 1), n);
    assert.equal(d.bits.length, Math.ceil((n * 10) / 8));
    let fp = 0;
    const probes = 200_000;
    for (let i = 0; i < probes; i++) if (mayContain(d, 10_000_000 + i * 7)) fp++;
    const rate = fp / probes;
    const expected = expectedFalsePositiveRate(n, d.bits.length);
    assert.ok(rate < 0.02, `n=${n}: measured ${rate}, expected ${expected}`);
    assert.ok(Math.abs(rate - expected) < 0.005, `n=${n}: measured ${rate} close to ${expected}`);
  }
});

test('Bloom digest: bounded size; an empty digest answers maybe', () => {
  assert.equal(buildBloom([], 0).bits.length, 8);
  assert.equal(buildBloom([], 10_000_000).bits.length, BLOOM_BYTES_MAX);
  assert.equal(mayContain({ bits: new Uint8Array(0), hashes: 7, count: 0 }, 5), true);
});

test('Inventory drift: handles the digest certainly lacks are found, in bounded rotating windows', () => {
  const held = [1, 2, 3, 4, 5, 6, 7, 8];
  const d = buildBloom(held.filter((h) => h !== 5), 7); // the disk lost chunk 5
  let r = missingFromDigest(held, d, 0);
  assert.deepEqual(r.missing, [5]);
  r = missingFromDigest(held, d, 0, 3); // window 1,2,3
  assert.deepEqual(r, { missing: [], next: 3 });
  r = missingFromDigest(held, d, r.next, 3); // window 4,5,6
  assert.deepEqual(r, { missing: [5], next: 6 });
  assert.deepEqual(missingFromDigest([], d, 9), { missing: [], next: 0 });
});

test('Inventory hint: the servers whose digest may hold a handle', () => {
  const digests = new Map([['a', buildBloom([10, 11], 2)], ['b', buildBloom([11, 12], 2)], ['empty', buildBloom([], 0)]]);
  assert.deepEqual(mayHold(digests, 11), ['a', 'b']);
  assert.deepEqual(mayHold(digests, 10), ['a']);
  assert.deepEqual(mayHold(digests, 12), ['b']);
});
