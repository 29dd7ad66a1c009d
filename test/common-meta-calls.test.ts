/**
 * Unary Master calls multiplexed on the Calls stream (src/common/meta-calls.ts), against a real
 * grpc-js server on 127.0.0.1 whose handlers are test doubles.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as grpc from '@grpc/grpc-js';
import { MetaCalls, serveMetaCalls } from '../src/common/meta-calls';
import { bindServer, masterClient, proto, SERVER_OPTIONS, stopServer, unary } from '../src/common/rpc';
import { DfsError } from '../src/common/errors';
import type { MasterClient } from '../src/common/rpc';

interface Served { server: grpc.Server; address: string; streams: Set<{ end(): void }>; stop(): Promise<void> }

/** A Master service with only Calls, serving `handlers` (by method name). */
async function serve(handlers: Record<string, unknown>): Promise<Served> {
  const server = new grpc.Server(SERVER_OPTIONS);
  const streams = new Set<{ end(): void }>();
  server.addService(proto().dfs.Master.service, { Calls: (call: Parameters<typeof serveMetaCalls>[0]) => serveMetaCalls(call, handlers, streams) } as grpc.UntypedServiceImplementation);
  const port = await bindServer(server, '127.0.0.1:0');
  return {
    server, address: `127.0.0.1:${port}`, streams,
    async stop() { for (const s of streams) s.end(); await stopServer(server, 200); },
  };
}

/** An Attr that names the path it answers (in symlinkTarget, an Attr field). */
function attr(path: string): Record<string, unknown> {
  return { symlinkTarget: path, ino: path.length, type: 'SYMLINK' };
}

async function withClient(handlers: Record<string, unknown>, body: (calls: MetaCalls, srv: Served, client: MasterClient) => Promise<void>, idleMs?: number): Promise<void> {
  const srv = await serve(handlers);
  const client = masterClient(srv.address);
  const calls = new MetaCalls(client, idleMs);
  try {
    await body(calls, srv, client);
  } finally {
    calls.close();
    client.close();
    await srv.stop();
  }
}

test('calls in flight together come back to their callers, whatever the order of the results', async () => {
  const delays: Record<string, number> = { '/a': 60, '/b': 0, '/c': 30 };
  await withClient({
    Stat: unary(async (req: { path: string }) => {
      await new Promise((r) => setTimeout(r, delays[req.path] ?? 0));
      return attr(req.path);
    }),
  }, async (calls) => {
    const order: string[] = [];
    const replies = await Promise.all(['/a', '/b', '/c'].map(async (path) => {
      const r = await calls.call<{ symlinkTarget: string; ino: number }>('Stat', { path }, 5_000);
      order.push(path);
      return r;
    }));
    assert.deepEqual(replies.map((r) => [r.symlinkTarget, r.ino]), [['/a', 2], ['/b', 2], ['/c', 2]]);
    assert.deepEqual(order, ['/b', '/c', '/a'], 'each result resolved as it arrived');
  });
});

test('a DfsError on the master arrives with its code and message; a plain throw as INTERNAL', async () => {
  await withClient({
    Stat: unary(async (req: { path: string }) => {
      if (req.path === '/boom') throw new Error('kaput');
      throw new DfsError('ENOENT', `no such file: ${req.path}`);
    }),
  }, async (calls) => {
    await assert.rejects(calls.call('Stat', { path: '/x' }, 5_000), (e: DfsError) => e.code === 'ENOENT' && /no such file: \/x/.test(e.message));
    await assert.rejects(calls.call('Stat', { path: '/boom' }, 5_000), (e: DfsError) => e instanceof DfsError && /kaput/.test(e.message));
  });
});

test('methods outside the stream are refused: by the client (EINVAL) and by the server (UNIMPLEMENTED)', async () => {
  await withClient({ Stat: unary(async () => attr('/')) }, async (calls, _srv, client) => {
    await assert.rejects(calls.call('Lock', {}, 1_000), (e: DfsError) => e.code === 'EINVAL');
    await assert.rejects(calls.call('Heartbeat', {}, 1_000), (e: DfsError) => e.code === 'EINVAL');
    await assert.rejects(calls.call('Mkdir', { path: '/d' }, 1_000), /Mkdir is not callable/, 'a method the server does not serve');
    // a raw MetaCall naming a method that is not streamed
    const raw = client.Calls();
    raw.on('error', () => {}); // the cancel below
    const got = new Promise<{ status: number; details: string }>((resolve) => raw.once('data', resolve));
    raw.write({ id: 7, method: 'Lock', request: Buffer.alloc(0) });
    const r = await got;
    assert.equal(r.status, grpc.status.UNIMPLEMENTED);
    raw.end();
    raw.cancel();
  });
});

test('a call past its deadline fails with ETIMEDOUT; the stream goes on serving others', async () => {
  await withClient({
    Stat: unary(async (req: { path: string }) => {
      if (req.path === '/slow') await new Promise((r) => setTimeout(r, 500));
      return attr(req.path);
    }),
  }, async (calls) => {
    const slow = calls.call('Stat', { path: '/slow' }, 50);
    await assert.rejects(slow, (e: DfsError) => e.code === 'ETIMEDOUT');
    assert.equal((await calls.call<{ symlinkTarget: string }>('Stat', { path: '/fast' }, 5_000)).symlinkTarget, '/fast');
  });
});

test('when the master ends the stream, calls in flight fail with UNAVAILABLE and the next call opens a new stream', async () => {
  let release: () => void = () => {};
  await withClient({
    Stat: unary(async (req: { path: string }) => {
      if (req.path === '/held') await new Promise<void>((r) => { release = r; });
      return attr(req.path);
    }),
  }, async (calls, srv) => {
    const held = calls.call('Stat', { path: '/held' }, 5_000);
    while (srv.streams.size === 0) await new Promise((r) => setTimeout(r, 5));
    for (const s of srv.streams) s.end();
    await assert.rejects(held, (e: DfsError) => e.code === 'UNAVAILABLE');
    release();
    assert.equal((await calls.call<{ symlinkTarget: string }>('Stat', { path: '/again' }, 5_000)).symlinkTarget, '/again');
  });
});

test('a client that waits for its server sends Open, CommitWrite, a plain Create and an exclusive Create with its token in flight on a broken stream again; an exclusive Create without one fails', async () => {
  const seen: string[] = [];
  const held = new Set<string>();
  /** Answers a call the second time it arrives (the first stays unanswered: its stream breaks). */
  const secondTime = (name: string, reply: (req: { path?: string }) => unknown) => unary(async (req: { path?: string; exclusive?: boolean }) => {
    const key = `${name} ${req.path ?? ''}${req.exclusive ? ' excl' : ''}`;
    seen.push(key);
    if (!held.has(key)) {
      held.add(key);
      await new Promise(() => {});
    }
    return reply(req);
  });
  await withClient({
    Open: secondTime('Open', (req) => attr(req.path!)),
    Create: secondTime('Create', (req) => ({ attr: attr(req.path!) })),
    CommitWrite: secondTime('CommitWrite', () => attr('/committed')),
    Mkdir: secondTime('Mkdir', (req) => attr(req.path!)),
  }, async (calls, srv) => {
    calls.waitForReady = true;
    const open = calls.call<{ symlinkTarget: string }>('Open', { path: '/f' }, 5_000);
    const create = calls.call<{ attr: { symlinkTarget: string } }>('Create', { path: '/c' }, 5_000);
    const commit = calls.call<{ symlinkTarget: string }>('CommitWrite', { ino: 7, minSize: 10 }, 5_000);
    const exclusive = calls.call('Create', { path: '/x', exclusive: true }, 5_000);
    const tokened = calls.call<{ attr: { symlinkTarget: string } }>('Create', { path: '/t', exclusive: true, createToken: 77 }, 5_000);
    const mkdir = calls.call<{ symlinkTarget: string }>('Mkdir', { path: '/m', createToken: 78 }, 5_000);
    const bareMkdir = calls.call('Mkdir', { path: '/n' }, 5_000).then(() => undefined, (e: DfsError) => e);
    while (seen.length < 7) await new Promise((r) => setTimeout(r, 5));
    for (const s of srv.streams) s.end();
    await assert.rejects(exclusive, (e: DfsError) => e.code === 'UNAVAILABLE', 'EEXIST the second time: not sent twice');
    assert.equal((await open).symlinkTarget, '/f');
    assert.equal((await create).attr.symlinkTarget, '/c');
    assert.equal((await commit).symlinkTarget, '/committed');
    assert.equal(seen.filter((k) => k === 'Create /x excl').length, 1);
    assert.equal((await tokened).attr.symlinkTarget, '/t', 'sent again: the master finds the file its token made');
    assert.equal(seen.filter((k) => k === 'Create /t excl').length, 2);
    assert.equal((await mkdir).symlinkTarget, '/m', 'a mkdir with its token is sent again');
    assert.equal((await bareMkdir)?.code, 'UNAVAILABLE', 'a mkdir without one is not');
  });
});

test('close() fails the calls in flight with CANCELLED and refuses later ones', async () => {
  await withClient({ Stat: unary(() => new Promise(() => {})) }, async (calls) => {
    const pending = calls.call('Stat', { path: '/never' }, 5_000);
    await new Promise((r) => setTimeout(r, 50));
    calls.close();
    await assert.rejects(pending, (e: DfsError) => e.code === 'CANCELLED');
    await assert.rejects(calls.call('Stat', { path: '/x' }, 1_000), (e: DfsError) => e.code === 'CANCELLED');
  });
});

test('an idle stream is ended, so a process that never closes its client still exits', async () => {
  const srv = await serve({ Stat: unary(async (req: { path: string }) => attr(req.path)) });
  try {
    // the child makes one call and never closes anything
    const code = `
      const { MetaCalls } = require(${JSON.stringify(require.resolve('../src/common/meta-calls'))});
      const { masterClient } = require(${JSON.stringify(require.resolve('../src/common/rpc'))});
      new MetaCalls(masterClient(${JSON.stringify(srv.address)}), 300).call('Stat', { path: '/p' }, 5000)
        .then((r) => console.log('reply ' + r.symlinkTarget), (e) => { console.error(e); process.exitCode = 1; });`;
    const started = Date.now();
    const out = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
      let stdout = '';
      child.stdout.on('data', (d) => { stdout += d; });
      const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('the child did not exit')); }, 15_000);
      child.on('exit', (c) => { clearTimeout(timer); resolve({ code: c, stdout }); });
    });
    assert.equal(out.code, 0);
    assert.equal(out.stdout.trim(), 'reply /p');
    assert.ok(Date.now() - started < 15_000);
  } finally {
    await srv.stop();
  }
});
