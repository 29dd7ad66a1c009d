import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  splitRange, clipLength, chunkCountOf, chunkLengthAt, frameSlices, leaseUsableUntilMs, backoffMs,
  expectedChunkLength, BACKOFF_MAX_MS, LEASE_MARGIN_MS,
} from '../src/client/chunk-math';
import { mapLimit, timespecOfMs, msOfTimespec } from '../src/client/util';

const MiB = 1024 * 1024;

test('Chunk math: splitRange cuts a range at chunk boundaries', () => {
  const cases: [number, number, number, [number, number, number, number][]][] = [
    // offset, length, chunk size → [index, chunkOffset, length, rangeOffset]
    [0, 0, 100, []],
    [0, 100, 100, [[0, 0, 100, 0]]],
    [0, 101, 100, [[0, 0, 100, 0], [1, 0, 1, 100]]],
    [50, 100, 100, [[0, 50, 50, 0], [1, 0, 50, 50]]],
    [99, 2, 100, [[0, 99, 1, 0], [1, 0, 1, 1]]],
    [250, 10, 100, [[2, 50, 10, 0]]],
    [100, 300, 100, [[1, 0, 100, 0], [2, 0, 100, 100], [3, 0, 100, 200]]],
    [3 * 64 * MiB - 1, 2, 64 * MiB, [[2, 64 * MiB - 1, 1, 0], [3, 0, 1, 1]]],
  ];
  for (const [offset, length, size, want] of cases) {
    const got = splitRange(offset, length, size).map((p) => [p.index, p.chunkOffset, p.length, p.rangeOffset]);
    assert.deepEqual(got, want, `splitRange(${offset}, ${length}, ${size})`);
  }
});

test('Chunk math: splitRange rejects impossible input', () => {
  assert.throws(() => splitRange(-1, 10, 100));
  assert.throws(() => splitRange(0, 10, 0));
  assert.throws(() => splitRange(0.5, 10, 100));
});

test('Chunk math: clipping to the file size and chunk slot lengths', () => {
  assert.equal(clipLength(0, 10, 5), 5);
  assert.equal(clipLength(5, 10, 5), 0);
  assert.equal(clipLength(7, 10, 5), 0);
  assert.equal(clipLength(2, 2, 100), 2);
  assert.equal(chunkCountOf(0, 100), 0);
  assert.equal(chunkCountOf(1, 100), 1);
  assert.equal(chunkCountOf(100, 100), 1);
  assert.equal(chunkCountOf(101, 100), 2);
  assert.equal(chunkLengthAt(0, 250, 100), 100);
  assert.equal(chunkLengthAt(2, 250, 100), 50);
  assert.equal(chunkLengthAt(3, 250, 100), 0);
  assert.equal(expectedChunkLength(2, 250, 100), 50);
  assert.equal(expectedChunkLength(3, 250, 100), undefined, 'past the hint: unknown, not 0');
  assert.equal(expectedChunkLength(0, undefined, 100), undefined);
});

test('Chunk math: frames are views of the source, never copies', () => {
  const data = Buffer.alloc(10, 7);
  const frames = [...frameSlices(data, 4)];
  assert.deepEqual(frames.map((f) => f.length), [4, 4, 2]);
  data[9] = 1;
  assert.equal(frames[2][1], 1, 'the last frame shares memory with the source');
  assert.equal(frames[0].buffer, data.buffer);
  assert.deepEqual([...frameSlices(Buffer.alloc(0), 4)], []);
});

test('Chunk math: a cached lease is used until 2 s before it ends', () => {
  assert.equal(leaseUsableUntilMs(1_000, 60_000), 61_000 - LEASE_MARGIN_MS);
});

test('Chunk math: backoff grows, is capped and jittered within [50%, 100%]', () => {
  assert.equal(backoffMs(0, () => 1), 100);
  assert.equal(backoffMs(0, () => 0), 50);
  assert.equal(backoffMs(3, () => 1), 800);
  assert.equal(backoffMs(30, () => 1), BACKOFF_MAX_MS);
  for (let a = 0; a < 10; a++) {
    const b = backoffMs(a);
    assert.ok(b > 0 && b <= BACKOFF_MAX_MS, `attempt ${a}: ${b}`);
  }
});

test('Client util: mapLimit bounds concurrency and reports the first error', async () => {
  let running = 0;
  let peak = 0;
  const seen: number[] = [];
  await mapLimit([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
    running++;
    peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, 5));
    seen.push(n);
    running--;
  });
  assert.equal(peak, 3);
  assert.deepEqual(seen.sort(), [1, 2, 3, 4, 5, 6, 7]);
  const started: number[] = [];
  await assert.rejects(mapLimit([1, 2, 3, 4], 1, async (n) => {
    started.push(n);
    if (n === 2) throw new Error('boom');
  }), /boom/);
  assert.deepEqual(started, [1, 2], 'no new call starts after a failure');
});

test('Client util: timespec conversion round-trips milliseconds', () => {
  assert.deepEqual(timespecOfMs(1_500), { sec: 1, nsec: 500_000_000 });
  assert.equal(msOfTimespec(timespecOfMs(1_700_000_123_456)), 1_700_000_123_456);
  assert.equal(msOfTimespec(null), 0);
});
