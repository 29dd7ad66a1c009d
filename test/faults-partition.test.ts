/**
 * Fault injection, real OS processes (issue 4 Acceptance 8): a network partition between one
 * chunkserver and the master, while clients still reach that chunkserver. Each chunkserver
 * talks to the master through its own TCP proxy that the test can black-hole (connections
 * stay open, no byte passes) and heal. Checked: no split brain — the master makes another
 * server primary only after the cut-off primary's lease expired, the cut-off primary refuses a
 * write with LEASE_EXPIRED once its lease ended, and after healing its stale replica is
 * removed and every byte reads back as acknowledged.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { FaultCluster, MiB, sha256 } from './helpers/fault-cluster';
import { DfsClient } from '../src/client/dfs-client';
import { masterCall } from '../src/client/master-call';
import { writeChunkOnce, writeSmallOnce } from '../src/client/chunk-io';
import { failedServerOf } from '../src/client/retry-policy';
import { masterClient, chunkserverClient } from '../src/common/rpc';
import { DataLinks } from '../src/common/data-link';
import { asDfsError } from '../src/common/errors';

/** A TCP forwarder to `target` whose traffic can be black-holed (paused both ways) and healed. */
class Proxy {
  private readonly pairs = new Set<[net.Socket, net.Socket]>();
  private cut = false;
  private constructor(private readonly server: net.Server, readonly address: string) {}

  static async start(target: string): Promise<Proxy> {
    const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
    let proxy!: Proxy;
    const server = net.createServer((inbound) => {
      const outbound = net.connect(port, host);
      const pair: [net.Socket, net.Socket] = [inbound, outbound];
      proxy.pairs.add(pair);
      const close = (): void => { inbound.destroy(); outbound.destroy(); proxy.pairs.delete(pair); };
      inbound.on('error', close).on('close', close);
      outbound.on('error', close).on('close', close);
      inbound.pipe(outbound);
      outbound.pipe(inbound);
      if (proxy.cut) { inbound.pause(); outbound.pause(); }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = new Proxy(server, `127.0.0.1:${(server.address() as net.AddressInfo).port}`);
    return proxy;
  }

  /** No byte passes any more, on open connections and new ones alike. */
  partition(): void {
    this.cut = true;
    for (const [a, b] of this.pairs) { a.pause(); b.pause(); }
  }

  heal(): void {
    this.cut = false;
    for (const [a, b] of this.pairs) { a.resume(); b.resume(); }
  }

  async close(): Promise<void> {
    for (const [a, b] of this.pairs) { a.destroy(); b.destroy(); }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const LEASE_MS = 6_000;
const clusters: FaultCluster[] = [];
const proxies: Proxy[] = [];
const closers: (() => void)[] = [];
after(async () => {
  for (const f of closers) f();
  for (const c of clusters) await c.stop();
  for (const p of proxies) await p.close();
});

test('Faults 8: primary partitioned from the master, reachable by clients → no new primary before its lease ends, LEASE_EXPIRED after, data consistent', async () => {
  const c = await FaultCluster.start(0, { 'cluster.leaseDurationMs': LEASE_MS, 'cluster.deadAfterMs': 2_000 });
  clusters.push(c);
  const byId = new Map<string, Proxy>();
  for (const id of ['cs0', 'cs1', 'cs2']) {
    const p = await Proxy.start(c.masterAddress);
    proxies.push(p);
    byId.set(id, p);
    c.startChunkserver(id, [], p.address);
  }
  await c.waitForAlive(3);
  const data = randomBytes(MiB);
  await c.putBytes('/p.bin', data);
  const client = new DfsClient({ masterAddress: c.masterAddress, config: c.config });
  const master = masterClient(c.masterAddress);
  closers.push(() => client.close(), () => master.close());
  const ino = Number((await client.stat('/p.bin')).ino);

  // A lease, and an acknowledged write through it while it is valid.
  const requestedMs = Date.now();
  const lease = await masterCall(master, 'GetLease', { ino, index: 0, excludeServerIds: [], leaseRefused: false }, 5_000);
  const grantedBeforeMs = Date.now();
  const [primary, ...chain] = lease.chunk!.replicas;
  const links = new DataLinks();
  const cs = links.get(primary.address);
  closers.push(() => links.close());
  const patch1 = Buffer.from('written under the first lease');
  const header = (offset: number, length: number, withChain: boolean) => ({
    handle: lease.chunk!.handle, version: lease.chunk!.version, offset, length, chain: withChain ? chain : [], fromPrimary: false,
  });
  await writeChunkOnce(cs, header(0, patch1.length, true), [patch1], 10_000);
  patch1.copy(data, 0);

  // Cut the primary off from the master (clients still reach it). The master declares it dead.
  byId.get(primary.serverId)!.partition();
  await c.waitDead(primary.serverId);

  // A second writer needs a new primary: it must not get one before the first lease ended.
  const patch2 = Buffer.from('written under the second lease');
  await client.writeRange(ino, 4096, patch2);
  const secondDoneMs = Date.now();
  await client.commitWrite(ino, data.length); // in-place writes: the upload's SHA-256 no longer applies
  patch2.copy(data, 4096);
  // The master's expiry of the first lease lies in [requestedMs, grantedBeforeMs] + its remaining duration.
  const remainingMs = lease.leaseDurationMs;
  assert.ok(remainingMs > 0 && remainingMs <= LEASE_MS);
  assert.ok(secondDoneMs >= requestedMs + remainingMs,
    `the second write completed ${secondDoneMs - requestedMs} ms after the first lease was handed out, before its ${remainingMs} ms could have ended`);

  // The cut-off primary's own lease has ended by now: it refuses the old lease's writes.
  while (Date.now() < grantedBeforeMs + remainingMs + 50) await new Promise((r) => setTimeout(r, 50));
  const refused = await writeChunkOnce(cs, header(8192, 5, false), [Buffer.from('stale')], 10_000).then(() => undefined, (e) => asDfsError(e));
  assert.equal(refused?.code, 'LEASE_EXPIRED', `the old primary refused: ${refused?.message}`);

  // Heal: the old primary comes back with a stale version; it is dropped and re-replicated.
  byId.get(primary.serverId)!.heal();
  await c.waitForAlive(3);
  c.files.set('/p.bin', sha256(data));
  await c.waitHealthy();
  assert.deepEqual(await c.verifyAll(), []);
});

test('Faults 8: a hung chunkserver (SIGSTOP) in a write chain is named by the replica before it; the write goes on without it, no lease to wait out', async () => {
  // A lease far longer than the test: blaming the (healthy) primary would leave the write waiting
  // for that lease to end. The master still counts the hung server alive (deadAfterMs).
  const DATA_TIMEOUT_MS = 3_000;
  const c = await FaultCluster.start(3, { 'client.dataTimeoutMs': DATA_TIMEOUT_MS, 'cluster.leaseDurationMs': 600_000, 'cluster.deadAfterMs': 120_000 });
  clusters.push(c);
  const data = randomBytes(MiB);
  await c.putBytes('/h.bin', data);
  const client = new DfsClient({ masterAddress: c.masterAddress, config: c.config });
  const master = masterClient(c.masterAddress);
  closers.push(() => client.close(), () => master.close());
  const ino = Number((await client.stat('/h.bin')).ino);
  const lease = await masterCall(master, 'GetLease', { ino, index: 0, excludeServerIds: [], leaseRefused: false }, 5_000);
  const replicas = lease.chunk!.replicas;
  const [primary, ...chain] = replicas;
  const hung = replicas[replicas.length - 1];
  c.servers.get(hung.serverId)!.child.kill('SIGSTOP'); // after() kills it with SIGKILL, which a stopped process takes

  const links = new DataLinks();
  const calls = chunkserverClient(primary.address);
  closers.push(() => links.close(), () => calls.close());
  const header = (length: number) => ({ handle: lease.chunk!.handle, version: lease.chunk!.version, offset: 0, length, chain, fromPrimary: false });
  const failedOf = async (write: Promise<unknown>): Promise<string | undefined> => {
    const err = await write.then(() => undefined, (e) => asDfsError(e));
    assert.ok(err, 'a write down a chain with a hung replica fails');
    return failedServerOf(err, replicas);
  };
  // WriteChunk (streamed) and WriteSmall (one message): the failure names the hung tail, not the
  // head. (A failed write may leave its bytes on the replicas that got them: the file's own.)
  assert.equal(await failedOf(writeChunkOnce(links.get(primary.address), header(MiB), [data], DATA_TIMEOUT_MS)), hung.serverId);
  assert.equal(await failedOf(writeSmallOnce(calls, header(4096), [data.subarray(0, 4096)], DATA_TIMEOUT_MS)), hung.serverId);

  // The client library: the hung server is excluded, the others take the write at a new version.
  const patch = randomBytes(256 * 1024 + 1);
  await client.writeRange(ino, 4096, patch);
  await client.commitWrite(ino, data.length);
  patch.copy(data, 4096);
  assert.ok((await client.readRange(ino, 0, data.length)).equals(data));
});

test('Faults 8: a hung chunkserver (SIGSTOP) first in a chunk\'s replica order: reads go to the next replica after client.readHedgeMs (hedged), not after dataTimeoutMs', { timeout: 90_000 }, async () => {
  // dataTimeoutMs far beyond the test's timeout: only the hedge can finish these reads in time
  const c = await FaultCluster.start(3, {
    'client.dataTimeoutMs': 600_000, 'client.readHedgeMs': 300, 'cluster.leaseDurationMs': 600_000, 'cluster.deadAfterMs': 120_000,
  });
  clusters.push(c);
  const data = randomBytes(2 * MiB + 12345);
  await c.putBytes('/r.bin', data);
  const master = masterClient(c.masterAddress);
  closers.push(() => master.close());
  const reader = new DfsClient({ masterAddress: c.masterAddress, config: c.config });
  closers.push(() => reader.close());
  const ino = Number((await reader.stat('/r.bin')).ino);
  // The lease's primary comes first in the replica order the master gives readers.
  const lease = await masterCall(master, 'GetLease', { ino, index: 0, excludeServerIds: [], leaseRefused: false }, 5_000);
  const hung = lease.chunk!.replicas[0];
  const located = await masterCall(master, 'GetChunks', { ino, firstIndex: 0, count: 1 }, 5_000);
  assert.equal(located.chunks[0].replicas[0].serverId, hung.serverId);
  c.servers.get(hung.serverId)!.child.kill('SIGSTOP');

  assert.ok((await reader.readRange(ino, 0, MiB)).equals(data.subarray(0, MiB)), 'a whole chunk (ReadChunk)');
  assert.ok((await reader.readRange(ino, 5000, 8192)).equals(data.subarray(5000, 5000 + 8192)), 'a small read (ReadSmall)');
  assert.ok((await reader.readRange(ino, 0, data.length)).equals(data), 'the whole file');
});
