/**
 * A cluster of real OS processes of the built executable (`dfs master`, `dfs chunkserver`) for
 * the fault-injection suites (test/faults-*.test.ts), with the fault hooks they need: kill -9
 * and restart of any process, corrupting chunk files on disk, and listing the replicas a
 * chunkserver holds on disk. Files are written and read back through the client library in
 * this process (fast); health is judged by the master's fsck (the same RPC `dfs fsck` uses).
 *
 * Everything lives in one mkdtemp folder; `stop()` kills every process by PID and removes it.
 */
import { mkdtemp, rm, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { spawnDfs, runDfs, killAll, writeTestConfig, type Proc, type RunResult } from './procs';
import { loadConfig, type Config } from '../../src/common/config';
import { sleep } from '../../src/common/clock';
import { DfsClient } from '../../src/client/dfs-client';
import { AdminClient, fsckHealthy } from '../../src/client/cli-admin';
import type { FsckReply__Output } from '../../src/generated/dfs/FsckReply';

export const MiB = 1024 * 1024;

/** Settings of every fault scenario: 1 MiB chunks, replication 3, fast heartbeats and GC. */
export const FAULT_CONFIG: Record<string, unknown> = {
  'cluster.chunkSizeBytes': MiB,
  'cluster.replication': 3,
  'cluster.safeModeTimeoutMs': 15_000,
  'cluster.replicationCopiesPerServerMax': 4,
  'client.retries': 8,
  // Scenario 5 waits for an abandoned upload to expire.
  'cluster.uploadTimeoutMs': 5_000,
};

const started: FaultCluster[] = [];

/** Starts a cluster that `stopFaultClusters()` (call it in after()) stops with every other one. */
export async function startFaultCluster(chunkservers: number, overrides: Record<string, unknown> = {}): Promise<FaultCluster> {
  const c = await FaultCluster.start(chunkservers, overrides);
  started.push(c);
  return c;
}

export async function stopFaultClusters(): Promise<void> {
  for (const c of started.splice(0)) await c.stop();
}

export class FaultCluster {
  master!: Proc;
  masterAddress = '';
  readonly servers = new Map<string, Proc>();
  readonly files = new Map<string, string>();
  private client!: DfsClient;
  admin!: AdminClient;
  config!: Config;

  private constructor(readonly dir: string, readonly cfg: string) {}

  static async start(chunkservers: number, overrides: Record<string, unknown> = {}): Promise<FaultCluster> {
    const dir = await mkdtemp(join(tmpdir(), 'dfs-faults-'));
    const cfg = await writeTestConfig(dir, { ...FAULT_CONFIG, ...overrides });
    const c = new FaultCluster(dir, cfg);
    await c.startMaster('127.0.0.1:0');
    for (let i = 0; i < chunkservers; i++) c.startChunkserver(`cs${i}`);
    await c.waitForAlive(chunkservers);
    return c;
  }

  async startMaster(listen: string): Promise<void> {
    this.master = spawnDfs(['master', '--config', this.cfg, '--listen', listen, '--meta-dir', join(this.dir, 'meta')]);
    this.masterAddress = (await this.master.waitFor(/listening on (\S+)/))[1];
    this.client?.close();
    this.admin?.close();
    this.config = loadConfig({ file: this.cfg, env: {}, overrides: { 'master.address': this.masterAddress } });
    this.client = new DfsClient({ masterAddress: this.masterAddress, config: this.config });
    this.admin = new AdminClient(this.masterAddress, this.config.client.rpcTimeoutMs);
  }

  /** kill -9 of the master, then a restart on the same port and folder. */
  async restartMaster(): Promise<void> {
    await this.killMaster();
    await this.startMaster(`127.0.0.1:${this.masterAddress.split(':')[1]}`);
  }

  async killMaster(): Promise<void> {
    this.master.child.kill('SIGKILL');
    await this.master.exited;
  }

  dataDir(id: string): string {
    return join(this.dir, id);
  }

  /** `masterAddress` other than the master's own: through a proxy (scenario 8, partitions). */
  startChunkserver(id: string, extraArgs: string[] = [], masterAddress = this.masterAddress): Proc {
    const p = spawnDfs(['chunkserver', '--config', this.cfg, '--master', masterAddress, '--listen', '127.0.0.1:0',
      '--data-dir', this.dataDir(id), '--id', id, ...extraArgs]);
    this.servers.set(id, p);
    return p;
  }

  /** kill -9 of a chunkserver. */
  async kill(id: string): Promise<void> {
    const p = this.servers.get(id)!;
    p.child.kill('SIGKILL');
    await p.exited;
    this.servers.delete(id);
  }

  /** Waits until the master declared `id` dead. */
  async waitDead(id: string, timeoutMs = 10_000): Promise<void> {
    await this.until(`${id} declared dead`, async () => (await this.nodes()).some((n) => n.serverId === id && n.state === 'DEAD'), timeoutMs);
  }

  dfs(...args: string[]): Promise<RunResult> {
    return runDfs([...args, '--config', this.cfg, '--master', this.masterAddress]);
  }

  async nodes(): Promise<Awaited<ReturnType<DfsClient['nodes']>>> {
    return this.client.nodes();
  }

  async waitForAlive(n: number, timeoutMs = 20_000): Promise<void> {
    await this.until(`${n} chunkservers alive`, async () => (await this.nodes()).filter((s) => s.state === 'ALIVE').length >= n, timeoutMs);
  }

  /** Polls `check` every 200 ms until it is true; fails with `what` after timeoutMs. */
  async until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      try {
        if (await check()) return;
      } catch (e) {
        last = e;
      }
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}${last ? ` (last error: ${String(last)})` : ''}`);
      await sleep(200);
    }
  }

  fsck(path = '/'): Promise<FsckReply__Output> {
    return this.admin.call('Fsck', { path, problemsMax: 50 });
  }

  /** Waits until fsck finds every chunk exactly at its goal, then checks `dfs fsck` (the executable) agrees. */
  async waitHealthy(timeoutMs = 45_000): Promise<FsckReply__Output> {
    let last: FsckReply__Output | undefined;
    await this.until('fsck healthy', async () => {
      last = await this.fsck();
      return fsckHealthy(last) && last.pendingCopies === 0;
    }, timeoutMs).catch((e) => { throw new Error(`${(e as Error).message}\nlast fsck: ${JSON.stringify(last, null, 1)}`); });
    const r = await this.dfs('fsck', '/');
    if (r.code !== 0 || !/is HEALTHY/.test(r.stdout.toString())) throw new Error(`dfs fsck disagrees (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
    return last!;
  }

  /** Writes `count` files of varied sizes (0 … maxBytes) and remembers their SHA-256. */
  async writeFiles(prefix: string, count: number, maxBytes = 2 * MiB + 4096): Promise<void> {
    await this.client.mkdir(prefix, { parents: true });
    for (let i = 0; i < count; i++) {
      const size = i === 0 ? 0 : Math.floor(((i * 7919) % 97) / 97 * maxBytes) + 1;
      await this.putBytes(`${prefix}/f${i}.bin`, randomBytes(size));
    }
  }

  async putBytes(path: string, data: Buffer): Promise<void> {
    await this.client.put(Readable.from([data]), path, { overwrite: true });
    this.files.set(path, sha256(data));
  }

  async deleteFile(path: string): Promise<void> {
    await this.client.delete(path);
    this.files.delete(path);
  }

  /** The inode number of `path`. */
  async inoOf(path: string): Promise<number> {
    return Number((await this.client.stat(path)).ino);
  }

  /**
   * Writes in place as a mount does: through the lease this client holds for the chunk (nothing
   * read or asked first, which would drop it); the file's hash in `files` is not updated.
   */
  async writeAt(ino: number, offset: number, patch: Buffer): Promise<void> {
    await this.client.writeRange(ino, offset, patch);
    await this.client.commitWrite(ino, offset + patch.length);
  }

  /** Overwrites `length` bytes in place at `offset` (a lease: the chunk's version goes up). */
  async writeInPlace(path: string, offset: number, patch: Buffer): Promise<void> {
    const attr = await this.client.stat(path);
    const data = await this.read(path);
    patch.copy(data, offset);
    await this.client.writeRange(attr.ino, offset, patch);
    await this.client.commitWrite(attr.ino, Math.max(attr.size, offset + patch.length));
    this.files.set(path, sha256(data));
  }

  async read(path: string): Promise<Buffer> {
    const parts: Buffer[] = [];
    const sink = new Writable({ write(chunk: Buffer, _enc, cb) { parts.push(chunk); cb(); } });
    await this.client.get(path, sink);
    return Buffer.concat(parts);
  }

  /** Reads every remembered file back and compares its SHA-256; returns the paths that differ. */
  async verifyAll(): Promise<string[]> {
    const bad: string[] = [];
    for (const [path, want] of this.files) {
      const got = sha256(await this.read(path));
      if (got !== want) bad.push(path);
    }
    return bad;
  }

  /** Handles (and versions) the master maps to live files, from every remembered file. */
  async knownHandles(): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    for (const path of this.files.keys()) for (const c of await this.client.locate(path)) out.set(Number(c.handle), Number(c.version));
    return out;
  }

  locate(path: string): ReturnType<DfsClient['locate']> {
    return this.client.locate(path);
  }

  /** Chunk files on a chunkserver's disk: handle → path of the .chunk file. */
  async chunkFiles(id: string): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    const root = join(this.dataDir(id), 'chunks');
    for (const sub of await readdir(root).catch(() => [] as string[])) {
      for (const name of await readdir(join(root, sub)).catch(() => [] as string[])) {
        const m = /^(\d+)\.chunk$/.exec(name);
        if (m) out.set(Number(m[1]), join(root, sub, name));
      }
    }
    return out;
  }

  async stop(): Promise<void> {
    this.client?.close();
    this.admin?.close();
    await killAll();
    await rm(this.dir, { recursive: true, force: true });
  }
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export { readFile };
