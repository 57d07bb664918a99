/**
 * Live mode end to end in Chromium: the browser's fake camera (fed a y4m of the sample's
 * close-ups, made here by ffmpeg) drives a graph Camera(browser) -> Detector -> Anonymizer
 * (fill, magenta) -> LiveView. Pressing Run opens the camera; processed frames arrive in the
 * LiveView with the faces covered (magenta pixels in what the page shows, none in the
 * source), latency is shown; Cancel stops the camera and the server's run; a page closed
 * mid-stream leaves nothing running on the server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT, ensureClientBuilt, launchBrowser } from './browser.js';
import { startServer } from '../../server/create-server.js';
import { testRegistry, graph } from '../helpers.js';
import { runToCompletion } from '../../src/media/ffmpeg-process.js';
import { getTools } from '../../src/media/ffmpeg-tools.js';

const liveDoc = graph(
  [['camera', 'Camera', { source: 'browser', width: 640, height: 480 }], ['detector', 'Detector'], ['anon', 'Anonymizer', { mode: 'fill', color: '#ff00ff', feather: 0 }], ['view', 'LiveView']],
  ['camera.frames -> detector.frames', 'camera.frames -> anon.frames', 'detector.faces -> anon.faces', 'anon.frames -> view.frames'],
  'live',
);
liveDoc.nodes.forEach((n, i) => Object.assign(n, { position: { x: i * 260, y: 0 } }));

/** Pixels of the LiveView's current image that are clearly magenta. */
function magentaPixels(page: Page): Promise<number> {
  return page.evaluate(() => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const document = (globalThis as any).document;
    const img = document.querySelector('[data-testid=live-image]');
    // The element can be there before its first picture has loaded (or while the next one does).
    if (!img || !img.complete || img.naturalWidth === 0) return 0;
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i]! > 200 && d[i + 1]! < 60 && d[i + 2]! > 200) n++;
    return n;
  });
}

test('the browser camera runs live in the editor: faces covered in the LiveView, latency shown, cancel and close free the server', { timeout: 240_000 }, async () => {
  ensureClientBuilt();
  const work = mkdtempSync(join(tmpdir(), 'ff-live-e2e-'));
  const y4m = join(work, 'faces.y4m');
  // Two seconds of the sample's close-ups (frames 96..), 640x480, as Chromium's fake camera reads them.
  const made = await runToCompletion(getTools().ffmpeg.path, ['-y', '-ss', '3.84', '-i', join(ROOT, 'samples/tears_of_steel_clip01_640x360.mp4'), '-t', '2', '-vf', 'scale=640:480', '-pix_fmt', 'yuv420p', y4m]);
  assert.equal(made.exit.code, 0, made.stderr.join('\n'));
  mkdirSync(join(work, 'data', 'graphs'), { recursive: true });
  writeFileSync(join(work, 'data', 'graphs', 'live.json'), JSON.stringify(liveDoc));
  const server = await startServer({ port: 0, dataDir: join(work, 'data'), registry: await testRegistry(), progressIntervalMs: 200 });
  const browser = await launchBrowser(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`]);
  try {
    await browser.context.grantPermissions(['camera'], { origin: server.url });
    const errors: string[] = [];
    const page = await browser.context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/?graph=live.json&token=${server.token}`);
    await page.locator('[data-testid=validity]', { hasText: 'valid' }).waitFor({ timeout: 60_000 });
    await page.locator('[data-testid=run]').click();
    await page.locator('[data-testid=live-camera]', { hasText: 'camera on' }).waitFor({ timeout: 60_000 });
    await page.locator('[data-testid=live-image]').waitFor({ timeout: 60_000 });
    // Faces covered: wait for a frame with a clearly magenta region (a face at this size covers thousands of pixels).
    let covered = 0;
    for (let i = 0; i < 100 && covered < 500; i++) {
      covered = await magentaPixels(page);
      if (covered < 500) await page.waitForTimeout(100);
    }
    assert.ok(covered >= 500, `no face covered in the LiveView (${covered} magenta pixels)`);
    await page.locator('[data-testid=live-page-latency]', { hasText: /p95 \d+ ms/ }).waitFor({ timeout: 30_000 });
    await page.locator('[data-testid=live-server-latency]', { hasText: /p95 \d+ ms/ }).waitFor({ timeout: 30_000 });
    const pageLatency = await page.locator('[data-testid=live-page-latency]').innerText();
    process.stdout.write(`# live e2e: ${pageLatency}; server ${await page.locator('[data-testid=live-server-latency]').innerText()}\n`);

    // Cancel: the run ends, the LiveView goes, the camera's tracks stop, the server holds nothing.
    await page.locator('[data-testid=cancel]').click();
    await page.locator('[data-testid=live-view]').waitFor({ state: 'detached', timeout: 30_000 });
    const deadline = Date.now() + 15_000;
    while (server.context.live.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(server.context.live.size, 0, 'the live session is freed');
    assert.equal(server.context.runs.list()[0]!.status, 'cancelled');

    // Run again, then close the page mid-stream: the server cancels the run.
    await page.locator('[data-testid=run]').click();
    await page.locator('[data-testid=live-image]').waitFor({ timeout: 60_000 });
    await page.close();
    const closedBy = Date.now() + 30_000;
    while ((server.context.live.size > 0 || server.context.runs.list().some((r) => r.status === 'running')) && Date.now() < closedBy) await new Promise((r) => setTimeout(r, 100));
    assert.equal(server.context.live.size, 0, `nothing live left after the page went (runs: ${server.context.runs.list().map((r) => r.status).join(', ')})`);
    assert.ok(!server.context.runs.list().some((r) => r.status === 'running' || r.status === 'queued'), 'no run left running');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
    rmSync(work, { recursive: true, force: true });
  }
});
