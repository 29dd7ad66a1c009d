/**
 * The dashboard in headless Chromium (Debian's /usr/bin/chromium through playwright-core)
 * against an in-process cluster: summary counts, the chunkserver table, a stopped server's
 * row turning DEAD, and the namespace browser showing a file's chunks and replicas. Saves a
 * screenshot to test-artifacts/dashboard.png (docs/dashboard.png, shown in the README, is a copy of one).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { TestCluster } from './helpers/cluster';

/** The page's DOM inside waitForFunction callbacks (this project compiles without lib.dom). */
declare const document: { querySelector(s: string): { textContent: string | null } | null; querySelectorAll(s: string): { length: number } };

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(__dirname, '../..');
const CHUNK_BYTES = 256 * 1024;
const FILE_BYTES = 600 * 1024; // 3 chunks

let cluster: TestCluster;
let profile: string;
let browser: BrowserContext;
let page: Page;

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} missing: run scripts/setup.sh (installs Debian's chromium)`);
  cluster = await TestCluster.start({ chunkservers: 3, config: { 'master.httpListen': '127.0.0.1:0' } });
  profile = await mkdtemp(join(tmpdir(), 'dfs-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 1000 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  page = browser.pages()[0] ?? await browser.newPage();
});

after(async () => {
  await browser?.close().catch(() => {});
  await cluster?.stop();
  if (profile) await rm(profile, { recursive: true, force: true });
});

async function text(selector: string): Promise<string> {
  return (await page.locator(selector).first().textContent())?.trim() ?? '';
}

test('Dashboard: summary, node table, namespace browser with chunk replicas, a stopped chunkserver turns DEAD', async () => {
  const client = cluster.client();
  await client.mkdir('/docs');
  const data = randomBytes(FILE_BYTES);
  await client.put(Readable.from([data]), '/docs/report.bin', { chunkSizeBytes: CHUNK_BYTES, sizeHint: data.length });
  await client.put(Readable.from([randomBytes(1000)]), '/notes.txt');
  const fs = await client.statFs();
  const located = await client.locate('/docs/report.bin');
  assert.equal(located.length, 3);

  await page.goto(`http://${cluster.httpAddress}/?refresh=300`);
  // Summary: the numbers the master's own API reports.
  await page.waitForFunction((files) => document.querySelector('#summary [data-key=files] .value')?.textContent === String(files), fs.files, { timeout: 15_000 });
  assert.equal(await text('#summary [data-key=chunks] .value'), String(fs.chunks));
  assert.equal(await text('#summary [data-key=liveServers] .value'), '3 / 3');
  assert.equal(await text('#summary [data-key=missing] .value'), '0');

  // Node table: every chunkserver, alive, with its address.
  await page.waitForSelector('#nodes tr[data-server]', { timeout: 10_000 });
  for (let i = 0; i < 3; i++) {
    const row = page.locator(`#nodes tr[data-server=cs${i}]`);
    assert.equal(await row.getAttribute('data-state'), 'ALIVE');
    assert.match((await row.textContent()) ?? '', new RegExp(cluster.chunkservers[i]!.address.replace(/\./g, '\\.')));
  }
  assert.equal(await page.locator('#nodes tr[data-server]').count(), 3);

  // Namespace browser: open /docs, select the file, see its chunks and replicas.
  await page.locator('#listing li[data-name=docs] a').click();
  await page.waitForSelector('#listing li[data-name="report.bin"]', { timeout: 10_000 });
  await page.locator('#listing li[data-name="report.bin"] a').click();
  await page.waitForFunction(() => document.querySelectorAll('#file tr[data-chunk]').length === 3, undefined, { timeout: 10_000 });
  for (const c of located) {
    const shown = ((await page.locator(`#file tr[data-chunk="${c.index}"]`).getAttribute('data-replicas')) ?? '').split(' ').sort();
    assert.deepEqual(shown, c.replicas.map((r) => r.serverId).sort(), `replicas of chunk ${c.index}`);
  }
  await mkdir(join(ROOT, 'docs'), { recursive: true });
  await mkdir(join(ROOT, 'test-artifacts'), { recursive: true });
  await page.screenshot({ path: join(ROOT, 'test-artifacts/dashboard.png'), fullPage: true });

  // A stopped chunkserver's row turns DEAD (deadAfterMs is 1.5 s in the test config).
  await cluster.stopChunkserver(2);
  await page.waitForSelector('#nodes tr[data-server=cs2][data-state=DEAD]', { timeout: 15_000 });
  assert.equal(await page.locator('#nodes tr[data-server=cs0]').getAttribute('data-state'), 'ALIVE');
  await page.waitForFunction(() => document.querySelector('#summary [data-key=deadServers] .value')?.textContent === '1', undefined, { timeout: 10_000 });
});
