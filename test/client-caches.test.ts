import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedCache } from '../src/client/bounded-cache';
import { ChunkSlot } from '../src/client/chunk-slot';
import { ManualClock } from '../src/common/clock';
import { DfsError } from '../src/common/errors';

test('BoundedCache: evicts the least recently used entry beyond the limit', () => {
  const evicted: string[] = [];
  const c = new BoundedCache<string, number>({ maxEntries: 2, onEvict: (k) => evicted.push(k) });
  c.set('a', 1);
  c.set('b', 2);
  assert.equal(c.get('a'), 1, 'touching a makes b the oldest');
  c.set('c', 3);
  assert.deepEqual(evicted, ['b']);
  assert.equal(c.get('b'), undefined);
  assert.equal(c.size, 2);
  c.deleteWhere((k) => k === 'a');
  assert.deepEqual(c.keys(), ['c']);
});

test('BoundedCache: entries expire after the ttl or at their own expiry', () => {
  const clock = new ManualClock();
  const c = new BoundedCache<string, number>({ maxEntries: 10, ttlMs: 100, clock });
  c.set('a', 1);
  c.set('b', 2, clock.nowMs() + 1_000);
  clock.advance(99);
  assert.equal(c.get('a'), 1);
  clock.advance(1);
  assert.equal(c.get('a'), undefined, 'expired at exactly ttl');
  assert.equal(c.get('b'), 2, 'own expiry wins over ttl');
  clock.advance(1_000);
  assert.equal(c.get('b'), undefined);
});

test('ChunkSlot: readers get frames as they are pushed, and can start over for a retry', async () => {
  const slot = new ChunkSlot(0, undefined);
  const seen: string[] = [];
  const reader = (async () => { for await (const f of slot.frames()) seen.push(f.toString()); })();
  slot.push(Buffer.from('a'));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(seen, ['a'], 'the first frame flows before the slot is complete');
  slot.push(Buffer.from('b'));
  const lengthP = slot.finalLength();
  slot.end();
  await reader;
  assert.deepEqual(seen, ['a', 'b']);
  assert.equal(await lengthP, 2);
  const again: string[] = [];
  for await (const f of slot.frames()) again.push(f.toString());
  assert.deepEqual(again, ['a', 'b'], 'a second attempt sees every frame again');
});

test('ChunkSlot: room() holds the source until the writer took all but the allowed bytes; abort releases it', async () => {
  const slot = new ChunkSlot(0, 10);
  for (const c of 'abcd') slot.push(Buffer.from(c));
  let roomy = false;
  const waiting = slot.room(1).then(() => { roomy = true; });
  await new Promise((r) => setImmediate(r));
  assert.equal(roomy, false, '4 bytes pushed, none sent: no room for more');
  const frames = slot.frames();
  await frames.next(); // 'a' handed to the writer
  await frames.next(); // 'b'
  await new Promise((r) => setImmediate(r));
  assert.equal(roomy, false, '2 bytes ahead of the sending');
  await frames.next(); // 'c': 1 byte ahead
  await waiting;
  const again = slot.frames();
  await again.next(); // a retry starting over does not take the room back
  await slot.room(1);
  slot.push(Buffer.from('e'));
  slot.push(Buffer.from('f'));
  const blocked = slot.room(1);
  slot.abort(new DfsError('CANCELLED', 'stop'));
  await assert.rejects(blocked, /stop/);
});

test('ChunkSlot: abort fails waiting readers', async () => {
  const slot = new ChunkSlot(3, 10);
  const reader = (async () => { for await (const _ of slot.frames()) { /* wait */ } })();
  slot.abort(new DfsError('CANCELLED', 'stop'));
  await assert.rejects(reader, (e: unknown) => e instanceof DfsError && e.code === 'CANCELLED');
  await assert.rejects(slot.finalLength(), /stop/);
});
