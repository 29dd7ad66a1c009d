/**
 * The master's calls to chunkservers (Grant, Replicate) behind a small interface, so lease
 * logic is testable with a fake. Clients are cached per address.
 */
import { callUnary, chunkserverClient, type ChunkserverClient } from '../common/rpc';
import { chunkserverCallsOf, closeCallsClient } from '../common/meta-calls';
import type { GrantRequest } from '../generated/dfs/GrantRequest';
import type { ReplicateTask } from '../generated/dfs/ReplicateTask';

export interface ChunkserverLink {
  grant(address: string, req: GrantRequest): Promise<void>;
  replicate(address: string, task: ReplicateTask): Promise<void>;
  close(): void;
}

export class GrpcChunkserverLink implements ChunkserverLink {
  private readonly clients = new Map<string, ChunkserverClient>();

  constructor(private readonly grantTimeoutMs: number, private readonly replicateTimeoutMs: number) {}

  private client(address: string): ChunkserverClient {
    let c = this.clients.get(address);
    if (!c) this.clients.set(address, (c = chunkserverClient(address)));
    return c;
  }

  async grant(address: string, req: GrantRequest): Promise<void> {
    // on the server's Calls stream: 3 Grants per new chunk, so per small file written
    await chunkserverCallsOf(this.client(address)).call('Grant', req, this.grantTimeoutMs);
  }

  async replicate(address: string, task: ReplicateTask): Promise<void> {
    const c = this.client(address);
    await callUnary(c, c.Replicate as never, { task }, this.replicateTimeoutMs);
  }

  close(): void {
    for (const c of this.clients.values()) closeCallsClient(c);
    this.clients.clear();
  }
}
