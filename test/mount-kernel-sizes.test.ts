/**
 * KernelSizes (src/mount/kernel-sizes.ts) on a fake clock: when an open fails with ESTALE so the
 * kernel looks the file up again, and that the kernel's one retry is let through.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KernelSizes } from '../src/mount/kernel-sizes';

const WINDOW_MS = 1000;

function sizes(): { ks: KernelSizes; advance: (ms: number) => void } {
  let nowMs = 0;
  return { ks: new KernelSizes(WINDOW_MS, () => nowMs), advance: (ms) => { nowMs += ms; } };
}

test('KernelSizes: an open that finds another size than the kernel was told fails once; the same process\'s retry goes through', () => {
  const { ks, advance } = sizes();
  ks.saw('/f', 5);
  assert.equal(ks.staleOnOpen('/f', 5, 7), false, 'same size');
  assert.equal(ks.staleOnOpen('/f', 9, 7), true, 'grown since the kernel saw it');
  assert.equal(ks.staleOnOpen('/f', 9, 7), false, 'the kernel\'s retry');
  ks.saw('/f', 5);
  advance(WINDOW_MS);
  assert.equal(ks.staleOnOpen('/f', 9, 7), false, 'what the kernel was told has expired');
});

test('KernelSizes: after an ESTALE of its own (a released hidden node), the retry of that process goes through whatever path it reaches, once', () => {
  const { ks, advance } = sizes();
  ks.saw('/target', 4);
  ks.failedStale(7);
  assert.equal(ks.staleOnOpen('/target', 6, 8), true, 'another process is not let through');
  ks.saw('/target', 4);
  assert.equal(ks.staleOnOpen('/target', 6, 7), false, 'the retry: no second ESTALE');
  ks.saw('/target', 4);
  assert.equal(ks.staleOnOpen('/target', 6, 7), true, 'only once');
  ks.saw('/target', 4);
  ks.failedStale(7);
  advance(WINDOW_MS);
  ks.saw('/target', 4);
  assert.equal(ks.staleOnOpen('/target', 6, 7), true, 'not after the window');
});
