/**
 * Child process of the small-files workload (it may touch the mount; the bench process never
 * does): `node small-files.js DIR COUNT BYTES` creates DIR/f0 … DIR/f{COUNT-1} of BYTES random
 * bytes each with writeFileSync (open, write, close) and prints {"elapsedMs": …} on stdout,
 * timed inside the process so node's start-up is not counted.
 */
import { writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

function main(): void {
  const [dir, countArg, bytesArg] = process.argv.slice(2);
  const count = Number(countArg);
  const bytes = Number(bytesArg);
  if (!dir || !(count > 0) || !(bytes >= 0)) {
    process.stderr.write('usage: small-files.js DIR COUNT BYTES\n');
    process.exit(2);
  }
  const data = randomBytes(bytes);
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) writeFileSync(join(dir, `f${i}`), data);
  const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  process.stdout.write(`${JSON.stringify({ elapsedMs })}\n`);
}

main();
