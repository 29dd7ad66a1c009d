/**
 * The chunkserver's Prometheus metrics (served on `chunkserver.httpListen` at /metrics):
 * RPCs by method, bytes served by ReadChunk, bytes written to chunk files (client writes,
 * chain forwards and re-replication copies), replicas found bad by a checksum, and gauges of
 * the store read at scrape time (among them data held vs bytes stored after compression).
 * Observation only: the wrappers never change a result.
 */
import { Counter, Gauge } from 'prom-client';
import { createRpcMetrics, instrumentHandlers, type RpcMetrics } from '../common/metrics';
import { proto } from '../common/rpc';
import type { ChunkserverHandlers } from '../generated/dfs/Chunkserver';
import type { ChunkStore, ChunkWriter } from './chunk-store';

export class ChunkserverMetrics {
  readonly rpc: RpcMetrics;
  readonly bytesRead: Counter;
  readonly bytesWritten: Counter;
  readonly checksumErrors: Counter;

  constructor(serverId: string, store: () => ChunkStore | undefined) {
    this.rpc = createRpcMetrics('dfs_chunkserver', { server: serverId });
    const registers = [this.rpc.registry];
    this.bytesRead = new Counter({ name: 'dfs_chunkserver_bytes_read_total', help: 'Chunk bytes sent by ReadChunk', registers });
    this.bytesWritten = new Counter({ name: 'dfs_chunkserver_bytes_written_total', help: 'Bytes written into chunk files', registers });
    this.checksumErrors = new Counter({ name: 'dfs_chunkserver_checksum_errors_total', help: 'Replicas marked bad after a checksum mismatch', registers });
    const gauge = (name: string, help: string, read: (s: ChunkStore) => number): void => {
      new Gauge({ name, help, registers, collect() { const s = store(); if (s) this.set(read(s)); } });
    };
    gauge('dfs_chunkserver_chunks', 'Replicas stored', (s) => s.count());
    gauge('dfs_chunkserver_used_bytes', 'Bytes of data held in chunks (uncompressed)', (s) => s.usedBytes());
    gauge('dfs_chunkserver_stored_bytes', 'Bytes the chunk blocks take on disk after compression', (s) => s.storedBytes());
    gauge('dfs_chunkserver_active_writes', 'Chunk writes in progress', (s) => s.activeWrites());
    gauge('dfs_chunkserver_unsynced_chunks', 'Chunks with writes committed without fsync, not yet durable', (s) => s.unsyncedCount());
    gauge('dfs_chunkserver_bad_replicas', 'Replicas currently marked bad', (s) => s.badReplicas().length);
  }

  /** The service handlers, counted and timed; ReadChunk frames add to bytes read. */
  handlers(h: ChunkserverHandlers): ChunkserverHandlers {
    const counted: ChunkserverHandlers = {
      ...h,
      ReadChunk: (call) => {
        const write = call.write.bind(call);
        call.write = ((frame: { data?: Buffer }, ...rest: unknown[]) => {
          this.bytesRead.inc(frame?.data?.length ?? 0);
          return (write as (...a: unknown[]) => boolean)(frame, ...rest);
        }) as typeof call.write;
        h.ReadChunk(call);
      },
      ReadSmall: (call, callback) => h.ReadSmall(call, (err, reply, ...rest) => {
        if (!err) this.bytesRead.inc(reply?.data?.length ?? 0);
        callback(err, reply, ...rest);
      }),
    };
    return instrumentHandlers(proto().dfs.Chunkserver.service, counted, this.rpc);
  }

  /** The store with every byte written through a writer or an install counted. */
  store(inner: ChunkStore): ChunkStore {
    const bytesWritten = this.bytesWritten;
    const countWriter = (w: ChunkWriter): ChunkWriter => new Proxy(w, {
      get(target, prop, receiver) {
        if (prop === 'write') return async (data: Buffer) => { await target.write(data); bytesWritten.inc(data.length); };
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    async function* countSource(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
      for await (const piece of source) {
        bytesWritten.inc(piece.length);
        yield piece;
      }
    }
    return new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop === 'openWriter') {
          return async (...args: Parameters<ChunkStore['openWriter']>) => countWriter(await target.openWriter(...args));
        }
        if (prop === 'install') {
          return (handle: number, version: number, source: AsyncIterable<Buffer>) => target.install(handle, version, countSource(source));
        }
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }
}
