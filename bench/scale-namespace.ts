/**
 * Writes the namespace of the master-at-scale benchmark into a master's LMDB folder before the
 * master starts (like a master restarted over an existing namespace): files under /scale whose
 * chunks are exactly the handles of the layout (scale-layout.ts), every chunk at version 1, so
 * the simulated servers' full reports name chunks the master knows.
 *
 * Uses the master's own Namespace and MetaStore (the same records a real master writes), in
 * transactions of FILES_PER_TX files. Files hold `chunksPerFile` chunks each (64 MiB chunks,
 * so sizes are realistic for `dfs ls`); the last chunk, when it has fewer replicas than the
 * layout's replication, goes into a file of its own whose goal is that smaller count.
 */
import { MetaStore } from '../src/master/meta-store';
import { Namespace, Effects } from '../src/master/namespace';
import { systemClock } from '../src/common/clock';
import { chunkTotal, replicasOf, type ScaleLayout } from './scale-layout';

const FILES_PER_TX = 100;
const FILES_PER_DIR = 1000;
export const SCALE_ROOT = '/scale';

export interface NamespaceStats { files: number; chunks: number; elapsedMs: number }

/** Records the layout's chunks in a fresh metaDir. */
export async function writeScaleNamespace(metaDir: string, layout: ScaleLayout, chunksPerFile: number, chunkSizeBytes: number): Promise<NamespaceStats> {
  const started = process.hrtime.bigint();
  const store = new MetaStore(metaDir);
  try {
    const ns = new Namespace({ store, clock: systemClock, defaults: { chunkSizeBytes, replication: layout.replication }, isOpen: () => false });
    await store.tx(() => { ns.ensureRoot(); ns.mkdir(SCALE_ROOT, 0o755, 0, 0, true); });
    const total = chunkTotal(layout);
    // The full-replica chunks in files of chunksPerFile; a short last chunk alone in its own file.
    const fullReplicaChunks = replicasOf(layout, total) < layout.replication ? total - 1 : total;
    const files: { first: number; count: number; replication: number }[] = [];
    for (let h = 1; h <= fullReplicaChunks; h += chunksPerFile) {
      files.push({ first: h, count: Math.min(chunksPerFile, fullReplicaChunks - h + 1), replication: layout.replication });
    }
    if (fullReplicaChunks < total) files.push({ first: total, count: 1, replication: replicasOf(layout, total) });
    for (let f = 0; f < files.length; f += FILES_PER_TX) {
      const batch = files.slice(f, f + FILES_PER_TX);
      await store.tx(() => {
        for (let i = 0; i < batch.length; i++) {
          const n = f + i;
          const dir = `${SCALE_ROOT}/d${String(Math.floor(n / FILES_PER_DIR)).padStart(5, '0')}`;
          if (n % FILES_PER_DIR === 0) ns.mkdir(dir, 0o755, 0, 0, true);
          const { first, count, replication } = batch[i];
          const attr = ns.create(`${dir}/f${String(n % FILES_PER_DIR).padStart(4, '0')}`, {
            mode: 0o644, uid: 0, gid: 0, chunkSize: chunkSizeBytes, replication, exclusive: true, truncate: false,
          }, new Effects());
          const ino = Number(attr.ino);
          for (let k = 0; k < count; k++) ns.recordNewChunk(ino, k, first + k, 1);
          ns.commitWrite(ino, count * chunkSizeBytes, undefined);
        }
      });
    }
    await store.tx(() => { store.meta.put('nextHandle', total + 1); });
    return { files: files.length, chunks: total, elapsedMs: Number(process.hrtime.bigint() - started) / 1e6 };
  } finally {
    await store.close();
  }
}
