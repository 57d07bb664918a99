/**
 * Files dropped on the canvas in a real Chromium: an output that carries its graph (the
 * Encoder's embedded tag) opens that graph; a plain video is uploaded (a free name, never
 * over a file) and becomes a Decoder node reading it at the drop point, one undo step.
 * The outputs gallery: the videos in outputs/, playable, downloadable, "Open graph".
 * The file browser behind a Decoder's path: thumbnails and durations made on the server.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { ensureClientBuilt, launchBrowser } from './browser.js';
import { startE2eServer, type E2eServer } from './e2e-fixture.js';
import { openValidGraph } from './editor-page.js';
import { tempDir } from '../media/media-helpers.js';
import { cli, transcodeGraph } from '../safety/safety-helpers.js';

const CLIP = 'samples/tears_of_steel_clip01_640x360.mp4';

/** Drops `file` on the canvas at (x, y) as the browser does for a file dragged from the desktop. */
async function dropFile(page: Page, file: string, name: string, at: { x: number; y: number }): Promise<void> {
  const b64 = readFileSync(file).toString('base64');
  await page.evaluate(`(() => {
    const bytes = Uint8Array.from(atob(${JSON.stringify(b64)}), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], ${JSON.stringify(name)}, { type: 'video/mp4' }));
    document.querySelector('.ff-canvas').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, clientX: ${at.x}, clientY: ${at.y}, bubbles: true, cancelable: true }));
  })()`);
}

describe('editor files in Chromium: drop, gallery, browser', { timeout: 90_000 }, () => {
  let e2e: E2eServer;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  const pageErrors: string[] = [];
  const dir = tempDir('framefuse-drop-');
  let carrying: string;

  before(async () => {
    ensureClientBuilt();
    carrying = join(dir, 'made.mp4');
    const document = { ...transcodeGraph(CLIP, carrying), name: 'carried-graph' };
    document.nodes[0]!.params = { path: CLIP, end: 10 };
    writeFileSync(join(dir, 'made.json'), JSON.stringify(document));
    const made = cli(['run', join(dir, 'made.json'), '--quiet', '--provider', 'cpu']);
    assert.equal(made.code, 0, made.stderr);
    e2e = await startE2eServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await e2e?.stop();
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  });

  test('an output that carries its graph opens that graph', async () => {
    const page = await openValidGraph(browser.context, e2e.server, 'e2e.json', pageErrors);
    await dropFile(page, carrying, 'made.mp4', { x: 500, y: 300 });
    await page.getByText('Opened the graph made.mp4 was made with').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid=node-encoder]').waitFor();
    await page.locator('[data-testid=node-decoder]').waitFor();
    assert.equal(await page.locator('.ff-node').count(), 2, 'the carried graph: a Decoder and an Encoder');
    await page.close();
  });

  test('a plain video is uploaded under a free name and a Decoder reading it lands at the drop point, as one undo step', async () => {
    writeFileSync(join(e2e.dataDir, 'uploads', 'clip.mp4'), 'an earlier upload, kept');
    const page = await openValidGraph(browser.context, e2e.server, 'e2e.json', pageErrors);
    const before = await page.locator('.ff-node').count();
    await dropFile(page, CLIP, 'clip.mp4', { x: 620, y: 420 });
    const added = page.locator('[data-testid^=node-decoder]');
    await added.waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('.ff-node').count(), before + 1);
    assert.equal(readFileSync(join(e2e.dataDir, 'uploads', 'clip.mp4'), 'utf8'), 'an earlier upload, kept');
    assert.ok(existsSync(join(e2e.dataDir, 'uploads', 'clip-1.mp4')), 'the drop took the next free name');
    await added.click();
    await page.locator('.ff-inspector input[value="uploads/clip-1.mp4"], [value="uploads/clip-1.mp4"]').first().waitFor({ timeout: 5000 });
    const box = (await added.boundingBox())!;
    assert.ok(Math.abs(box.x - (620 - 100)) < 60 && Math.abs(box.y - (420 - 20)) < 60, `dropped at the pointer: ${JSON.stringify(box)}`);
    await page.click('[data-testid=undo]');
    await added.waitFor({ state: 'detached' });
    assert.equal(await page.locator('.ff-node').count(), before, 'one undo takes the node and its path away');
    await page.close();
  });

  test('outputs gallery: each video plays and downloads; "Open graph" opens the graph it carries, and says when it has none', async () => {
    mkdirSync(join(e2e.dataDir, 'outputs'), { recursive: true });
    copyFileSync(carrying, join(e2e.dataDir, 'outputs', 'made.mp4'));
    copyFileSync(CLIP, join(e2e.dataDir, 'outputs', 'plain.mp4'));
    const page = await openValidGraph(browser.context, e2e.server, 'e2e.json', pageErrors);
    await page.click('[data-testid=outputs-tab]');
    const made = page.locator('[data-testid=gallery-item][data-path="made.mp4"]');
    await made.waitFor();
    await page.locator('[data-testid=gallery-item][data-path="plain.mp4"]').waitFor();
    // The video loads its metadata (duration) through the range-serving outputs route.
    await page.waitForFunction(`(document.querySelector('[data-path="made.mp4"] video')?.duration ?? 0) > 0.3`, undefined, { timeout: 10_000 });
    const href = await made.locator('[data-testid=gallery-download]').getAttribute('href');
    assert.match(href ?? '', /\/api\/outputs\/made\.mp4\?download/);
    const download = await fetch(`${e2e.server.url}${href!}`);
    assert.equal(download.status, 200);
    assert.match(download.headers.get('content-disposition') ?? '', /^attachment; filename='?made\.mp4'?$/);

    await page.locator('[data-testid=gallery-item][data-path="plain.mp4"] [data-testid=gallery-open-graph]').click();
    await page.getByText('plain.mp4 carries no graph').waitFor();
    await made.locator('[data-testid=gallery-open-graph]').click();
    await page.getByText('Opened the graph made.mp4 was made with').waitFor();
    await page.locator('[data-testid=node-encoder]').waitFor();
    assert.equal(await page.locator('.ff-node').count(), 2);
    await page.close();
  });

  test('file browser: a Decoder\'s Browse… shows the videos of uploads/ and samples/ with server-made poster frames and durations; picking one sets the path', async () => {
    mkdirSync(join(e2e.dataDir, 'samples'), { recursive: true });
    copyFileSync(CLIP, join(e2e.dataDir, 'samples', 'clip.mp4'));
    copyFileSync('samples/astronaut.png', join(e2e.dataDir, 'uploads', 'astronaut.png'));
    writeFileSync(join(e2e.dataDir, 'graphs', 'decode.json'), JSON.stringify({ ...transcodeGraph('uploads/none.mp4', 'outputs/x.mp4'), name: 'decode' }));
    const page = await browser.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${e2e.server.url}/?graph=decode.json&token=${e2e.server.token}`);
    await page.locator('[data-testid=node-decoder]').click();
    await page.locator('[data-testid$="-browse"]').first().click();
    const tile = page.locator('[data-testid=file-tile][data-path="samples/clip.mp4"]');
    await tile.waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('[data-testid=file-tile][data-path="uploads/astronaut.png"]').count(), 0, 'a Decoder is offered videos only');
    assert.match((await tile.locator('[data-testid=file-duration]').textContent()) ?? '', /^0:\d\d$/);
    // The poster frame is a real JPEG the server made with ffmpeg, and it is cached.
    await page.waitForFunction(`(document.querySelector('[data-path="samples/clip.mp4"] img')?.naturalWidth ?? 0) === 160`, undefined, { timeout: 15_000 });
    assert.equal(readdirSync(join(e2e.dataDir, '.thumbnails')).filter((n) => n.endsWith('.jpg')).length >= 1, true);
    const outside = await fetch(`${e2e.server.url}/api/files/thumbnail?path=${encodeURIComponent('graphs/decode.json')}`, { headers: { authorization: `Bearer ${e2e.server.token}` } });
    assert.equal(outside.status, 403, 'a file outside uploads/, samples/ and outputs/ is refused');
    const escape = await fetch(`${e2e.server.url}/api/files/thumbnail?path=${encodeURIComponent('../etc/passwd')}`, { headers: { authorization: `Bearer ${e2e.server.token}` } });
    assert.ok(escape.status >= 400 && escape.status < 500, `a path out of the data folder is refused (${escape.status})`);
    await tile.click();
    await page.locator('[data-testid=file-browser]').waitFor({ state: 'detached' });
    await page.locator('input[value="samples/clip.mp4"]').waitFor();
    await page.close();
  });
});
