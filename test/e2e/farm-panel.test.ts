/**
 * The run panel of a farm run (`framefuse serve --farm`) in a real Chromium, with a real
 * redis-server and a worker process: the segments first wait in the queue (no worker yet),
 * then a worker takes them, and the panel shows each segment done by that worker, the
 * frames across the farm, and the output.
 *
 *   editor --Run--> server --(3 segment jobs)--> Redis <-- worker "panel-w1"
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { startServer, type RunningServer } from '../../server/create-server.js';
import { testRegistry } from '../helpers.js';
import { ffmpeg } from '../media/media-helpers.js';
import { transcodeGraph } from '../safety/safety-helpers.js';
import { startRedis, startWorker, stopAll, type TestRedis } from '../farm/farm-helpers.js';
import { ensureClientBuilt, launchBrowser } from './browser.js';
import { openEditor } from './editor-page.js';

describe('farm progress in the run panel (Chromium)', { timeout: 90_000 }, () => {
  let redis: TestRedis;
  let server: RunningServer;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  const dataDir = mkdtempSync(join(tmpdir(), 'framefuse-e2e-farm-'));
  const pageErrors: string[] = [];

  before(async () => {
    ensureClientBuilt();
    for (const folder of ['graphs', 'uploads', 'outputs']) mkdirSync(join(dataDir, folder), { recursive: true });
    ffmpeg(['-i', 'samples/tears_of_steel_clip01_640x360.mp4', '-t', '3', '-vf', 'scale=320:180', '-g', '24', '-keyint_min', '24', '-sc_threshold', '0', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', join(dataDir, 'uploads', 'clip.mp4')]);
    writeFileSync(join(dataDir, 'graphs', 'farm.json'), JSON.stringify({ ...transcodeGraph('uploads/clip.mp4', 'outputs/farm.mp4'), name: 'farm' }));
    redis = await startRedis();
    server = await startServer({ port: 0, dataDir, registry: await testRegistry(), progressIntervalMs: 200, farm: { url: redis.url(0), segmentSeconds: 1 } });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await stopAll();
    rmSync(dataDir, { recursive: true, force: true });
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  });

  test('segments queued, then each done by the worker; frames across the farm; the output listed', async () => {
    const page = await openEditor(browser.context, server, 'farm.json', pageErrors);
    await page.locator('[data-testid=validity]', { hasText: 'valid' }).waitFor();
    await page.click('[data-testid=run]');
    await page.click('[data-testid=run-tab]');
    // No worker yet: three segments wait in the queue.
    const segments = page.locator('[data-testid=farm-segment]');
    await page.locator('[data-testid=farm-segment][data-state=waiting]').nth(2).waitFor({ timeout: 20_000 });
    assert.equal(await segments.count(), 3);
    assert.match((await page.locator('[data-testid=farm-counts]').textContent()) ?? '', /0 done, 0 active, 3 queued/);

    await startWorker(redis.url(0), 'panel-w1');
    await page.locator('[data-testid=run-status]', { hasText: 'finished' }).waitFor({ timeout: 60_000 });
    const cells = await segments.allTextContents();
    assert.deepEqual(cells, ['#1 done by panel-w1', '#2 done by panel-w1', '#3 done by panel-w1']);
    assert.match((await page.locator('[data-testid=farm-frames]').textContent()) ?? '', /^72 \/ 72 frames on the farm/);
    assert.match((await page.locator('[data-testid=output-name]').textContent()) ?? '', /outputs\/farm\.mp4/);
    await page.close();
  });
});
