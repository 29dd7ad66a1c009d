/**
 * The master's HTTP surface on an in-process cluster: /metrics in Prometheus text (counters
 * rise after a put and a get, on the master and on the chunkservers), the JSON API, and the
 * /fs gateway (PUT then ranged GET, HEAD, 416, DELETE; a 1 GiB PUT with bounded memory).
 * Plus pure table tests of the Range parser, the throughput ring and the log line format.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { TestCluster } from './helpers/cluster';
import { parseRange } from '../src/master/http/byte-range';
import { ThroughputHistory } from '../src/master/http/throughput';
import { STATUS_MEMO_MS } from '../src/master/http/cluster-status';
import { formatPrettyLine } from '../src/common/logger';
import { sleep } from '../src/common/clock';

const MiB = 1024 * 1024;

interface Reply { status: number; headers: http.IncomingHttpHeaders; body: Buffer }

/** One HTTP request; `body` may be a Buffer or a stream. */
function request(address: string, method: string, path: string, opts: { body?: Buffer | Readable; headers?: Record<string, string | number> } = {}): Promise<Reply> {
  const [host, port] = address.split(':');
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port: Number(port), method, path, headers: opts.headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (opts.body instanceof Readable) opts.body.pipe(req);
    else req.end(opts.body);
  });
}

/** Sum of every sample of `name` whose labels include all of `labels`. */
function metric(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  let seen = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{([^}]*)\})?\s+(\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) { sum += Number(m[4]); seen = true; }
  }
  assert.ok(seen || Object.keys(labels).length > 0, `metric ${name} not exported`);
  return sum;
}

describe('Ops HTTP on an in-process cluster', () => {
  let cluster: TestCluster;

  before(async () => {
    cluster = await TestCluster.start({ chunkservers: 3, config: { 'cluster.chunkSizeBytes': 4 * MiB } });
  });
  after(async () => { await cluster?.stop(); });

  const scrape = async (address: string): Promise<string> => {
    const r = await request(address, 'GET', '/metrics');
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /text\/plain/);
    return r.body.toString();
  };
  const chunkserverSum = async (name: string): Promise<number> => {
    let sum = 0;
    for (const cs of cluster.chunkservers) sum += metric(await scrape(cs!.httpAddress!), name);
    return sum;
  };

  test('Metrics: process metrics carry the role prefix once (dfs_master_process_cpu_..., not ..._process_process_...)', async () => {
    const text = await scrape(cluster.httpAddress);
    assert.match(text, /^dfs_master_process_cpu_user_seconds_total /m);
    assert.match(text, /^dfs_master_nodejs_eventloop_lag_seconds /m);
    assert.doesNotMatch(text, /_process_process_/);
    assert.match(await scrape(cluster.chunkservers[0]!.httpAddress!), /^dfs_chunkserver_process_resident_memory_bytes/m);
  });

  test('Metrics: RPC, byte and chunk counters rise after a put and a get', async () => {
    const before = await scrape(cluster.httpAddress);
    const csWrittenBefore = await chunkserverSum('dfs_chunkserver_bytes_written_total');
    const csReadBefore = await chunkserverSum('dfs_chunkserver_bytes_read_total');
    const data = randomBytes(5 * MiB + 123);
    const client = cluster.client();
    await client.put(Readable.from([data]), '/metrics.bin', { sizeHint: data.length });
    const sink: Buffer[] = [];
    const { Writable } = await import('node:stream');
    await client.get('/metrics.bin', new Writable({ write(c, _e, cb) { sink.push(c); cb(); } }));
    assert.ok(Buffer.concat(sink).equals(data));

    const after = await scrape(cluster.httpAddress);
    const rose = (name: string, labels: Record<string, string> = {}): number => metric(after, name, labels) - metric(before, name, labels);
    assert.ok(rose('dfs_master_rpc_total', { method: 'GetLease' }) >= 2, 'GetLease calls counted');
    assert.ok(rose('dfs_master_rpc_total', { method: 'GetChunks' }) >= 1, 'GetChunks calls counted');
    assert.ok(rose('dfs_master_rpc_duration_seconds_count', { method: 'CommitUpload' }) === 1, 'CommitUpload timed once');
    assert.equal(rose('dfs_master_committed_bytes_total'), data.length);
    assert.ok(metric(after, 'dfs_master_chunks') >= 2);
    assert.equal(metric(after, 'dfs_master_chunkservers', { state: 'ALIVE' }), 3);
    assert.ok(metric(after, 'dfs_master_chunkserver_heartbeat_age_seconds', { server: 'cs0' }) < 60);
    assert.ok((await chunkserverSum('dfs_chunkserver_bytes_written_total')) - csWrittenBefore >= data.length * 3, 'every replica counted its bytes');
    assert.ok((await chunkserverSum('dfs_chunkserver_bytes_read_total')) - csReadBefore >= data.length, 'the get was served');
    assert.ok((await chunkserverSum('dfs_chunkserver_chunks')) >= 6);
  });

  test('API: summary, nodes, ls and file agree with the master', async () => {
    const client = cluster.client();
    await client.mkdir('/api');
    await client.put(Readable.from([randomBytes(9 * MiB)]), '/api/a.bin');
    // the summary's counts may be up to STATUS_MEMO_MS old (an earlier test's scrape): bounded wait
    const fs = await client.statFs();
    let summary: { files: number; chunks: number; liveServers: number } | undefined;
    for (const deadline = Date.now() + 5_000; ;) {
      summary = JSON.parse((await request(cluster.httpAddress, 'GET', '/api/summary')).body.toString());
      if (summary!.files === fs.files || Date.now() > deadline) break;
      await sleep(STATUS_MEMO_MS / 4);
    }
    assert.equal(summary!.files, fs.files);
    assert.equal(summary!.chunks, fs.chunks);
    assert.equal(summary!.liveServers, 3);
    const nodes = JSON.parse((await request(cluster.httpAddress, 'GET', '/api/nodes')).body.toString()).nodes;
    assert.deepEqual(nodes.map((n: { serverId: string }) => n.serverId), ['cs0', 'cs1', 'cs2']);
    const ls = JSON.parse((await request(cluster.httpAddress, 'GET', '/api/ls?path=/api')).body.toString());
    assert.deepEqual(ls.entries.map((e: { name: string }) => e.name), ['a.bin']);
    const file = JSON.parse((await request(cluster.httpAddress, 'GET', '/api/file?path=/api/a.bin')).body.toString());
    assert.equal(file.chunks.length, 3);
    for (const c of file.chunks) assert.equal(c.replicas.length, 3);
    const missing = await request(cluster.httpAddress, 'GET', '/api/file?path=/nope');
    assert.equal(missing.status, 404);
    assert.equal(JSON.parse(missing.body.toString()).error, 'ENOENT');
  });

  test('Gateway: PUT then ranged GET returns the right bytes; HEAD, 416 and DELETE', async () => {
    const data = randomBytes(9 * MiB + 77);
    const put = await request(cluster.httpAddress, 'PUT', '/fs/gw/deep/file%201.bin', { body: data, headers: { 'content-length': data.length } });
    assert.equal(put.status, 201, put.body.toString());
    assert.equal(JSON.parse(put.body.toString()).size, data.length);
    for (const [start, end] of [[0, 0], [100, 4 * MiB + 99], [4 * MiB - 5, 8 * MiB + 5], [data.length - 10, data.length - 1]]) {
      const r = await request(cluster.httpAddress, 'GET', '/fs/gw/deep/file%201.bin', { headers: { range: `bytes=${start}-${end}` } });
      assert.equal(r.status, 206);
      assert.equal(r.headers['content-range'], `bytes ${start}-${end}/${data.length}`);
      assert.ok(r.body.equals(data.subarray(start, end + 1)), `bytes ${start}-${end}`);
    }
    const suffix = await request(cluster.httpAddress, 'GET', '/fs/gw/deep/file%201.bin', { headers: { range: 'bytes=-1000' } });
    assert.ok(suffix.body.equals(data.subarray(data.length - 1000)));
    const whole = await request(cluster.httpAddress, 'GET', '/fs/gw/deep/file%201.bin');
    assert.equal(whole.status, 200);
    assert.ok(whole.body.equals(data));
    const head = await request(cluster.httpAddress, 'HEAD', '/fs/gw/deep/file%201.bin');
    assert.equal(Number(head.headers['content-length']), data.length);
    assert.equal(head.headers['accept-ranges'], 'bytes');
    const beyond = await request(cluster.httpAddress, 'GET', '/fs/gw/deep/file%201.bin', { headers: { range: `bytes=${data.length}-` } });
    assert.equal(beyond.status, 416);
    assert.equal(JSON.parse(beyond.body.toString()).error, 'RANGE_NOT_SATISFIABLE', 'errors have a JSON body');
    const patch = await request(cluster.httpAddress, 'PATCH', '/fs/gw/deep/file%201.bin');
    assert.equal(patch.status, 405);
    assert.equal(patch.headers.allow, 'GET, HEAD, PUT, DELETE');
    assert.equal(JSON.parse(patch.body.toString()).error, 'METHOD_NOT_ALLOWED');
    const slash = await request(cluster.httpAddress, 'GET', '/fs/gw/deep/file%201.bin/');
    assert.equal(slash.status, 409, 'a file named as a folder (trailing slash) is ENOTDIR');
    assert.equal(JSON.parse(slash.body.toString()).error, 'ENOTDIR');
    const maybe = await request(cluster.httpAddress, 'PUT', '/fs/gw/maybe.bin?overwrite=maybe', { body: Buffer.from('x'), headers: { 'content-length': 1 } });
    assert.equal(maybe.status, 400);
    assert.match(JSON.parse(maybe.body.toString()).message, /bad overwrite: maybe \(expected true or false\)/);
    // under a file: ENOTDIR (the parent folder cannot be made), bad layout: 400 with the limit
    const under = await request(cluster.httpAddress, 'PUT', '/fs/gw/deep/file%201.bin/x', { body: Buffer.from('x'), headers: { 'content-length': 1 } });
    assert.equal(under.status, 409);
    assert.equal(JSON.parse(under.body.toString()).error, 'ENOTDIR');
    for (const [query, expected] of [
      ['chunkSize=1000', 'bad chunkSize: 1000 (expected at least 64K)'], ['chunkSize=0', 'bad chunkSize: 0 (expected at least 64K)'],
      ['chunkSize=1M', 'bad chunkSize: 1M (expected a positive integer)'], ['replication=0', 'bad replication: 0 (expected a positive integer)'],
      ['replication=33', 'bad replication: 33 (expected at most 32)'],
    ]) {
      const bad = await request(cluster.httpAddress, 'PUT', `/fs/gw/tiny.bin?${query}`, { body: Buffer.from('x'), headers: { 'content-length': 1 } });
      assert.equal(bad.status, 400, query);
      assert.deepEqual(JSON.parse(bad.body.toString()), { error: 'EINVAL', message: expected });
    }
    assert.equal((await request(cluster.httpAddress, 'GET', '/fs/gw/tiny.bin')).status, 404, 'no file from a refused PUT');
    assert.equal((await request(cluster.httpAddress, 'DELETE', '/fs/gw/deep/file%201.bin')).status, 204);
    assert.equal((await request(cluster.httpAddress, 'GET', '/fs/gw/deep/file%201.bin')).status, 404);
  });

  test('Gateway: DELETE of a folder is rmdir: an empty one goes, a non-empty one is 409 ENOTEMPTY unless recursive=true', async () => {
    const put = await request(cluster.httpAddress, 'PUT', '/fs/gw-del/full/a.bin', { body: Buffer.from('x'), headers: { 'content-length': 1 } });
    assert.equal(put.status, 201);
    for (const path of ['/fs/gw-del/full', '/fs/gw-del/full/']) {
      const full = await request(cluster.httpAddress, 'DELETE', path);
      assert.equal(full.status, 409, path);
      assert.deepEqual(JSON.parse(full.body.toString()), { error: 'ENOTEMPTY', message: 'directory not empty: /gw-del/full' });
    }
    const client = cluster.client();
    try {
      await client.mkdir('/gw-del/empty');
      assert.equal((await request(cluster.httpAddress, 'DELETE', '/fs/gw-del/empty')).status, 204);
      await assert.rejects(client.stat('/gw-del/empty'), { code: 'ENOENT' });
    } finally {
      client.close();
    }
    assert.equal((await request(cluster.httpAddress, 'DELETE', '/fs/gw-del/full/a.bin/')).status, 409, 'a file named as a folder is ENOTDIR');
    assert.equal((await request(cluster.httpAddress, 'DELETE', '/fs/gw-del?recursive=true')).status, 204);
    assert.equal((await request(cluster.httpAddress, 'GET', '/fs/gw-del/full/a.bin')).status, 404);
  });

  test('Gateway: a client leaving in the middle of downloads costs nothing; a file whose chunk no live server holds is a JSON 503, not an empty reply; the master keeps serving', async () => {
    const data = randomBytes(12 * MiB);
    const client = cluster.client();
    await client.put(Readable.from([data]), '/gw-leave.bin', { sizeHint: data.length });
    for (let i = 0; i < 6; i++) {
      // read a little, then hang up (the master's download meets a closed response)
      await new Promise<void>((resolve) => {
        const [host, port] = cluster.httpAddress.split(':');
        const req = http.get({ host, port: Number(port), path: '/fs/gw-leave.bin', headers: i % 2 === 0 ? {} : { range: `bytes=0-${10 * MiB}` } }, (res) => {
          res.once('data', () => { req.destroy(); resolve(); });
        });
        req.on('error', () => resolve());
      });
    }
    await client.put(Readable.from([data.subarray(0, 5 * MiB)]), '/gw-lost.bin', { sizeHint: 5 * MiB, replication: 1 });
    const [chunk] = await client.locate('/gw-lost.bin');
    const holder = Number(chunk.replicas[0].serverId.replace(/^cs/, ''));
    await cluster.stopChunkserver(holder);
    // once the master counts it dead, no live server holds the chunk
    for (const deadline = Date.now() + 20_000; (await client.nodes()).find((n) => n.serverId === `cs${holder}`)?.state !== 'DEAD';) {
      assert.ok(Date.now() < deadline, `cs${holder} never declared dead`);
      await sleep(100);
    }
    try {
      for (const headers of [{}, { range: 'bytes=100-200' }] as Record<string, string>[]) {
        const r = await request(cluster.httpAddress, 'GET', '/fs/gw-lost.bin', { headers });
        assert.equal(r.status, 503, `${JSON.stringify(headers)}: status ${r.status}, ${r.body.length} bytes, replicas ${JSON.stringify(chunk.replicas)}`);
        assert.equal(JSON.parse(r.body.toString()).error, 'UNAVAILABLE');
      }
      const again = await request(cluster.httpAddress, 'GET', '/fs/gw-leave.bin');
      assert.equal(again.status, 200, 'the master still serves');
      assert.ok(again.body.equals(data));
    } finally {
      await cluster.startChunkserver(holder);
      await cluster.waitForServers(3);
    }
  });

  test('Gateway: a 1 GiB PUT streams with bounded memory', async (t) => {
    const totalBytes = 1024 * MiB;
    const pieceBytes = MiB;
    const piece = randomBytes(pieceBytes);
    let sent = 0;
    const body = new Readable({
      read() {
        if (sent >= totalBytes) { this.push(null); return; }
        sent += pieceBytes;
        this.push(piece);
      },
    });
    global.gc?.();
    const baseRss = process.memoryUsage().rss;
    let peakRss = baseRss;
    const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 50);
    try {
      const r = await request(cluster.httpAddress, 'PUT', '/fs/big.bin?replication=1', { body, headers: { 'content-length': totalBytes } });
      assert.equal(r.status, 201, r.body.toString());
    } finally {
      clearInterval(sampler);
    }
    t.diagnostic(`RSS grew by ${Math.round((peakRss - baseRss) / MiB)} MiB during the 1 GiB PUT`);
    const attr = await cluster.client().stat('/big.bin');
    assert.equal(attr.size, totalBytes);
    // The body never sits in memory: growth stays far below the 1 GiB sent (client bound: parallelChunks × 4 MiB chunks).
    assert.ok(peakRss - baseRss < 384 * MiB, `RSS grew by ${Math.round((peakRss - baseRss) / MiB)} MiB`);
    await cluster.client().delete('/big.bin');
  });
});

test('Range header: single ranges, suffixes, open ends, unsatisfiable and ignored forms', () => {
  const cases: [string | undefined, number, ReturnType<typeof parseRange>][] = [
    [undefined, 100, { kind: 'none' }],
    ['bytes=0-9', 100, { kind: 'range', start: 0, end: 9 }],
    ['bytes=90-', 100, { kind: 'range', start: 90, end: 99 }],
    ['bytes=90-500', 100, { kind: 'range', start: 90, end: 99 }],
    ['bytes=-10', 100, { kind: 'range', start: 90, end: 99 }],
    ['bytes=-500', 100, { kind: 'range', start: 0, end: 99 }],
    ['bytes=100-', 100, { kind: 'unsatisfiable' }],
    ['bytes=-0', 100, { kind: 'unsatisfiable' }],
    ['bytes=0-0', 0, { kind: 'unsatisfiable' }],
    ['bytes=5-2', 100, { kind: 'none' }],
    ['bytes=0-1,5-6', 100, { kind: 'none' }],
    ['items=0-1', 100, { kind: 'none' }],
  ];
  for (const [header, size, want] of cases) assert.deepEqual(parseRange(header, size), want, `${header} of ${size}`);
});

test('Throughput ring: per-second rates, bounded, counter resets count as zero', () => {
  const h = new ThroughputHistory(3);
  const c = (n: number) => ({ readOps: n, writeOps: 2 * n, readBytes: 0, writeBytes: 1000 * n });
  h.record(0, c(0));
  h.record(1000, c(5));
  h.record(3000, c(9));
  assert.deepEqual(h.samples().map((s) => [s.atUnixMs, s.readOps, s.writeOps, s.writeBytes]), [[1000, 5, 10, 5000], [3000, 2, 4, 2000]]);
  h.record(4000, c(1));
  assert.equal(h.samples()[2].readOps, 0);
  h.record(5000, c(2));
  assert.equal(h.samples().length, 3);
  assert.equal(h.samples()[0].atUnixMs, 3000);
});

test('Log lines: JSON becomes "time LEVEL component: message key=value", quoting values with blanks', () => {
  const line = JSON.stringify({ level: 40, time: Date.UTC(2024, 0, 2, 3, 4, 5, 6), pid: 1, component: 'heartbeat', master: '127.0.0.1:7000', err: 'connect refused', msg: 'master unreachable' });
  const out = formatPrettyLine(line);
  assert.match(out, /^\d\d:\d\d:\d\d\.006 WARN  heartbeat: master unreachable master=127\.0\.0\.1:7000 err="connect refused"\n$/);
  assert.equal(formatPrettyLine('not json'), 'not json\n');
});
