/**
 * The missing-models dialog in a real Chromium: a graph whose Swapper names two models the
 * server lacks; the bar over the canvas opens the dialog listing both with size and
 * license; "Download all" pulls both through the server's pull machinery (from a local
 * HTTP server here: no network), each checked against its sha256, and the dialog then
 * says every model is here.
 *
 *   editor --Download all--> POST /api/models/:id/pull (x2) --> local HTTP --> models/
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { startServer, type RunningServer } from '../../server/create-server.js';
import { testRegistry } from '../helpers.js';
import { ensureClientBuilt, launchBrowser } from './browser.js';
import { openEditor } from './editor-page.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('missing models dialog (Chromium)', { timeout: 90_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'framefuse-e2e-models-'));
  const modelsDir = join(dataDir, 'models');
  const bodies = { test_swapper: Buffer.alloc(300_000, 7), test_embedder: Buffer.alloc(120_000, 9) };
  let files: Server;
  let server: RunningServer;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  const pageErrors: string[] = [];

  before(async () => {
    ensureClientBuilt();
    files = createServer((req, res) => {
      const body = bodies[(req.url ?? '').slice(1).replace('.onnx', '') as keyof typeof bodies];
      if (!body) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-length': String(body.length) }).end(body);
    });
    await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    mkdirSync(modelsDir, { recursive: true });
    const entry = (id: keyof typeof bodies, task: string, license: string) => ({
      id,
      title: id,
      task,
      file: `${id}.onnx`,
      urls: [`${base}/${id}.onnx`],
      sha256: sha256(bodies[id]),
      size: bodies[id].length,
      license,
      source: base,
      inputs: [{ name: 'x', shape: [1, 3, 8, 8] }],
      outputs: [{ name: 'y', shape: [1, 3, 8, 8] }],
    });
    writeFileSync(join(modelsDir, 'manifest.json'), JSON.stringify({ version: 1, models: [entry('test_swapper', 'face-swap', 'MIT'), entry('test_embedder', 'face-embedding', 'Apache-2.0')] }));
    mkdirSync(join(dataDir, 'graphs'), { recursive: true });
    writeFileSync(
      join(dataDir, 'graphs', 'swap.json'),
      JSON.stringify({ schemaVersion: 1, name: 'swap', nodes: [{ id: 'swapper', type: 'Swapper', version: 1, params: { model: 'test_swapper', embedder: 'test_embedder' }, position: { x: 0, y: 0 } }], edges: [], metadata: {} }),
    );
    server = await startServer({ port: 0, dataDir, modelsDir, registry: await testRegistry() });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    files?.close();
    rmSync(dataDir, { recursive: true, force: true });
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  });

  test('lists every missing model with size and license; Download all pulls them, hash-checked', async () => {
    const page = await openEditor(browser.context, server, 'swap.json', pageErrors);
    await page.locator('[data-testid=missing-models-bar]', { hasText: '2 models' }).waitFor({ timeout: 15_000 });
    await page.click('[data-testid=missing-models-open]');
    const rows = page.locator('[data-testid=missing-model]');
    await rows.nth(1).waitFor();
    assert.deepEqual(await rows.evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { id: string } }).dataset.id)), ['test_swapper', 'test_embedder']);
    assert.equal(await page.locator('[data-id=test_swapper] [data-testid=missing-size]').textContent(), '293 KiB');
    assert.equal(await page.locator('[data-id=test_embedder] [data-testid=missing-license]').textContent(), 'Apache-2.0');
    await page.click('[data-testid=missing-download-all]');
    await page.locator('[data-testid=missing-none]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid=missing-models-bar]').waitFor({ state: 'detached' });
    for (const [id, body] of Object.entries(bodies)) assert.equal(sha256(readFileSync(join(modelsDir, `${id}.onnx`))), sha256(body), `${id} downloaded whole`);
    await page.close();
  });
});
