/**
 * gRPC clients of other chunkservers, one per address (a channel multiplexes every call to
 * that server). Bounded: the oldest client is closed when more than `clientsMax` addresses
 * are in use.
 */
import { chunkserverClient, type ChunkserverClient } from '../common/rpc';

export class ClientPool {
  private readonly clients = new Map<string, ChunkserverClient>();

  constructor(private readonly clientsMax = 256) {}

  get(address: string): ChunkserverClient {
    let client = this.clients.get(address);
    if (client) {
      // keep recently used clients at the end (LRU order)
      this.clients.delete(address);
      this.clients.set(address, client);
      return client;
    }
    client = chunkserverClient(address);
    this.clients.set(address, client);
    if (this.clients.size > this.clientsMax) {
      const [oldest, c] = this.clients.entries().next().value as [string, ChunkserverClient];
      this.clients.delete(oldest);
      c.close();
    }
    return client;
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}
