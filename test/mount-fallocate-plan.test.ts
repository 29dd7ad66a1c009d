/** fallocate(2) decisions (src/mount/fallocate-plan.ts): a table of modes, ranges and sizes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planFallocate, type FallocatePlan } from '../src/mount/fallocate-plan';
import { isDfsError } from '../src/common/errors';

const MAX = 1 << 30;
const KEEP = 0x01;
const PUNCH = 0x02;
const ZERO = 0x10;

const CASES: Array<{ name: string; mode: number; offset: number; length: number; size: number; want: FallocatePlan | string }> = [
  { name: 'mode 0 past the end grows', mode: 0, offset: 0, length: 100, size: 10, want: { reserveBytes: 100, zeroFrom: 0, zeroTo: 0, growToBytes: 100 } },
  { name: 'mode 0 inside changes nothing', mode: 0, offset: 0, length: 5, size: 10, want: { reserveBytes: 5, zeroFrom: 0, zeroTo: 0, growToBytes: undefined } },
  { name: 'KEEP_SIZE never grows', mode: KEEP, offset: 5, length: 100, size: 10, want: { reserveBytes: 100, zeroFrom: 0, zeroTo: 0, growToBytes: undefined } },
  { name: 'punch inside', mode: PUNCH | KEEP, offset: 2, length: 3, size: 10, want: { reserveBytes: 0, zeroFrom: 2, zeroTo: 5, growToBytes: undefined } },
  { name: 'punch across the end stops at it', mode: PUNCH | KEEP, offset: 8, length: 100, size: 10, want: { reserveBytes: 0, zeroFrom: 8, zeroTo: 10, growToBytes: undefined } },
  { name: 'punch past the end does nothing', mode: PUNCH | KEEP, offset: 20, length: 5, size: 10, want: { reserveBytes: 0, zeroFrom: 10, zeroTo: 10, growToBytes: undefined } },
  { name: 'zero range across the end zeroes to it and grows', mode: ZERO, offset: 8, length: 100, size: 10, want: { reserveBytes: 100, zeroFrom: 8, zeroTo: 10, growToBytes: 108 } },
  { name: 'zero range with KEEP_SIZE', mode: ZERO | KEEP, offset: 8, length: 100, size: 10, want: { reserveBytes: 100, zeroFrom: 8, zeroTo: 10, growToBytes: undefined } },
  { name: 'punch without KEEP_SIZE', mode: PUNCH, offset: 0, length: 1, size: 10, want: 'ENOTSUP' },
  { name: 'punch with zero range', mode: PUNCH | ZERO | KEEP, offset: 0, length: 1, size: 10, want: 'ENOTSUP' },
  { name: 'collapse range', mode: 0x08, offset: 0, length: 4096, size: 8192, want: 'ENOTSUP' },
  { name: 'insert range', mode: 0x20, offset: 0, length: 4096, size: 8192, want: 'ENOTSUP' },
  { name: 'an empty range', mode: 0, offset: 0, length: 0, size: 10, want: 'EINVAL' },
  { name: 'a negative offset (before the mode)', mode: 0x20, offset: -1, length: 1, size: 10, want: 'EINVAL' },
  { name: 'past the largest file', mode: KEEP, offset: MAX - 1, length: 2, size: 10, want: 'EFBIG' },
  { name: 'up to the largest file', mode: 0, offset: MAX - 1, length: 1, size: 10, want: { reserveBytes: 1, zeroFrom: 0, zeroTo: 0, growToBytes: MAX } },
];

for (const c of CASES) {
  test(`fallocate plan: ${c.name}`, () => {
    if (typeof c.want === 'string') {
      assert.throws(() => planFallocate(c.mode, c.offset, c.length, c.size, MAX), (e) => isDfsError(e, c.want as never));
    } else {
      assert.deepEqual(planFallocate(c.mode, c.offset, c.length, c.size, MAX), c.want);
    }
  });
}
