/**
 * The master's calls to chunkservers (Grant, Replicate) behind a small interface, so lease
 * logic is testable with a fake. Clients are cached per address.
 */
import * as grpc from '@grpc/grpc-js';
import { callUnary, chunkserverClient, type ChunkserverClient } from '../common/rpc';
import { chunkserverCallsOf, closeCallsClient } from '../common/meta-calls';
import type { GrantRequest } from '../generated/dfs/GrantRequest';
import type { ReplicateTask } from '../generated/dfs/ReplicateTask';

export interface ChunkserverLink {
  grant(address: string, req: GrantRequest): Promise<void>;
  replicate(address: string, task: ReplicateTask): Promise<void>;
  /** Whether a connection to `address` is established within `timeoutMs`. */
  reachable(address: string, timeoutMs: number): Promise<boolean>;
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

  /**
   * A connection of its own (a local subchannel pool: the cached client's channel may still be
   * in the back-off of an earlier outage of that address): READY is reachable; a first attempt
   * that failed (refused, no route) or no connection within `timeoutMs` (a black hole) is not.
   */
  reachable(address: string, timeoutMs: number): Promise<boolean> {
    let probe: grpc.Client;
    try {
      probe = new grpc.Client(address, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 });
    } catch {
      return Promise.resolve(false); // an address grpc cannot parse
    }
    const channel = probe.getChannel();
    const deadline = Date.now() + timeoutMs;
    return new Promise<boolean>((resolve) => {
      let tried = false;
      const check = (): void => {
        const state = channel.getConnectivityState(true);
        if (state === grpc.connectivityState.READY) return resolve(true);
        if (state === grpc.connectivityState.SHUTDOWN || (tried && state === grpc.connectivityState.TRANSIENT_FAILURE)) return resolve(false);
        if (state === grpc.connectivityState.CONNECTING) tried = true;
        channel.watchConnectivityState(state, deadline, (e) => (e ? resolve(false) : check()));
      };
      check();
    }).finally(() => probe.close());
  }

  close(): void {
    for (const c of this.clients.values()) closeCallsClient(c);
    this.clients.clear();
  }
}
