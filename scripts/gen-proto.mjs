// Generates src/generated/ from proto/*.proto: the TypeScript types (proto-loader-gen-types) and
// dfs.json, the schema as a protobufjs JSON descriptor, which the processes load at start-up
// (src/common/rpc.ts) instead of parsing dfs.proto (~20 ms less per process start).
// `node scripts/gen-proto.mjs --check` fails when the committed files are stale.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, mkdirSync, cpSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';
import protobuf from 'protobufjs';

const root = new URL('..', import.meta.url).pathname;
const outDir = join(root, 'src/generated');
const check = process.argv.includes('--check');

/** Options shared with the runtime loader in src/common/proto.ts. */
export const LOADER_FLAGS = ['--longs=Number', '--enums=String', '--defaults', '--oneofs', '--grpcLib=@grpc/grpc-js'];

const tmp = mkdtempSync(join(tmpdir(), 'dfs-gen-'));
try {
  execFileSync(join(root, 'node_modules/.bin/proto-loader-gen-types'),
    ['dfs.proto', ...LOADER_FLAGS, '--includeComments', '-O', tmp, `--includeDirs=${join(root, 'proto')}`],
    { stdio: ['ignore', 'ignore', 'inherit'] });
  // parsed as @grpc/proto-loader's loadSync parses it (field names camelCased), so that its
  // fromJSON builds the same definitions
  const schema = new protobuf.Root().loadSync(join(root, 'proto/dfs.proto'), { keepCase: false });
  writeFileSync(join(tmp, 'dfs.json'), `${JSON.stringify(schema.toJSON(), null, 1)}\n`);
  const files = (dir) => readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
  // the generator names the .proto by its absolute path: a checkout elsewhere would rewrite
  // every committed file (and show them modified), so it is named from the repository instead
  for (const f of files(tmp).filter((p) => p.endsWith('.ts'))) {
    writeFileSync(f, readFileSync(f, 'utf8').replace(/^\/\/ Original file: .*\/proto\//m, '// Original file: proto/'));
  }
  if (check) {
    const stale = files(tmp).filter((f) => {
      const mine = join(outDir, relative(tmp, f));
      try { return readFileSync(mine, 'utf8') !== readFileSync(f, 'utf8'); } catch { return true; }
    });
    if (stale.length > 0) {
      console.error(`src/generated is stale (${stale.length} files differ): run npm run gen`);
      process.exit(1);
    }
  } else {
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    cpSync(tmp, outDir, { recursive: true });
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
