/**
 * Fault injection, real OS processes (issue 4 Acceptance 6): decommission of a chunkserver
 * holding data (it ends needed by no chunk, and can be killed without any chunk going under
 * its goal), recommission, then the balancer after an empty server joins. Ends with every file
 * read back against its SHA-256 and fsck healthy.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { FaultCluster, MiB } from './helpers/fault-cluster';

const clusters: FaultCluster[] = [];
after(async () => { for (const c of clusters) await c.stop(); });

const THRESHOLD_PCT = 10;

test('Faults 6: decommission a server holding data → zero needed replicas, files intact; balancer after an empty server joins → within the threshold', async () => {
  const c = await FaultCluster.start(4, { 'chunkserver.capacityBytes': 48 * MiB });
  clusters.push(c);
  await c.writeFiles('/s6', 20, 2 * MiB);
  await c.waitHealthy();
  assert.ok((await c.chunkFiles('cs3')).size > 0, 'cs3 holds data');

  let r = await c.dfs('decommission', 'cs3');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout.toString(), /cs3 .*DECOMMISSIONING/);
  await c.until('cs3 DECOMMISSIONED', async () => (await c.nodes()).some((n) => n.serverId === 'cs3' && n.state === 'DECOMMISSIONED'), 60_000);
  r = await c.dfs('nodes');
  assert.match(r.stdout.toString(), /cs3 .*DECOMMISSIONED/);
  const healthy = await c.waitHealthy();
  // the drained server's copies are no replicas: the average is the goal, not above it
  assert.equal(Number(healthy.replicas), 3 * Number(healthy.chunks), `fsck counts ${healthy.replicas} replicas of ${healthy.chunks} chunks`);
  assert.deepEqual(await c.verifyAll(), []);

  // It holds no replica any chunk needs: killing it leaves every chunk at its goal.
  await c.kill('cs3');
  let f = await c.fsck();
  assert.equal(f.underReplicated + f.missing + f.corrupt, 0, JSON.stringify(f.problems));
  assert.deepEqual(await c.verifyAll(), []);

  // It stays drained across its restart; recommission puts it back, and the surplus is trimmed.
  const restartedAt = Date.now();
  c.startChunkserver('cs3');
  // DECOMMISSIONED is shown while it is still down too: wait for a heartbeat of the new process
  await c.until('cs3 back as DECOMMISSIONED', async () => (await c.nodes()).some((n) => n.serverId === 'cs3' && n.state === 'DECOMMISSIONED'
    && Number(n.lastHeartbeatUnixMs) >= restartedAt), 20_000);
  r = await c.dfs('recommission', 'cs3');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout.toString(), /cs3 .*ALIVE/);
  await c.waitHealthy();

  // An empty server joins; the balancer evens utilisation out without a chunk dropping below its goal.
  c.startChunkserver('cs4');
  await c.waitForAlive(5);
  r = await c.dfs('balance', '--threshold', String(THRESHOLD_PCT), '--timeout', '90');
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout.toString(), /balanced/, `stdout: ${r.stdout}\nstderr: ${r.stderr}`);
  const nodes = (await c.nodes()).filter((n) => n.state === 'ALIVE');
  const mean = nodes.reduce((a, n) => a + n.usedBytes, 0) / nodes.reduce((a, n) => a + n.capacityBytes, 0) * 100;
  for (const n of nodes) assert.ok(Math.abs((n.usedBytes / n.capacityBytes) * 100 - mean) <= THRESHOLD_PCT, `${n.serverId} within ${THRESHOLD_PCT}% of ${mean.toFixed(1)}%`);
  assert.ok((await c.chunkFiles('cs4')).size > 0, 'the new server received replicas');
  f = await c.waitHealthy();
  assert.equal(f.missing + f.corrupt, 0);
  assert.deepEqual(await c.verifyAll(), []);
  r = await c.dfs('safemode');
  assert.match(r.stdout.toString(), /Safe mode is OFF/);
});
