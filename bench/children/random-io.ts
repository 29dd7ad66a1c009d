/**
 * Child process of the random-IO workload (it may touch the mount; the bench process never
 * does): `node random-io.js FILE read|write SECONDS [BLOCK_BYTES]` does BLOCK_BYTES (4 KiB)
 * reads or writes at random block-aligned offsets of FILE, one at a time (queue depth 1), for
 * SECONDS. Writes end with fsync + close, which are inside the timed interval, so buffered
 * writes are paid for. Prints {"ops": …, "elapsedMs": …} on stdout.
 */
import { openSync, readSync, writeSync, fsyncSync, closeSync, fstatSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

function main(): void {
  const [file, mode, secondsArg, blockArg] = process.argv.slice(2);
  const seconds = Number(secondsArg);
  const block = Number(blockArg ?? 4096);
  if (!file || (mode !== 'read' && mode !== 'write') || !(seconds > 0) || !(block > 0)) {
    process.stderr.write('usage: random-io.js FILE read|write SECONDS [BLOCK_BYTES]\n');
    process.exit(2);
  }
  const fd = openSync(file, mode === 'read' ? 'r' : 'r+');
  const blocks = Math.floor(fstatSync(fd).size / block);
  if (blocks < 1) throw new Error(`${file} is smaller than one block`);
  const buf = mode === 'read' ? Buffer.alloc(block) : randomBytes(block);
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(seconds * 1e9));
  let ops = 0;
  while (process.hrtime.bigint() < deadline) {
    const offset = Math.floor(Math.random() * blocks) * block;
    const n = mode === 'read' ? readSync(fd, buf, 0, block, offset) : writeSync(fd, buf, 0, block, offset);
    if (n !== block) throw new Error(`short ${mode} at ${offset}: ${n} bytes`);
    ops++;
  }
  if (mode === 'write') fsyncSync(fd);
  closeSync(fd);
  const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  process.stdout.write(`${JSON.stringify({ ops, elapsedMs })}\n`);
}

main();
