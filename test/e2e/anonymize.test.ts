/**
 * The product's main job as a user meets it on a fresh machine: `framefuse start` (the
 * repository as data folder, graphs/ as graphs folder), the editor opened on
 * graphs/anonymize.json in Chromium, the 5 nodes and the plan's stage groups drawn around
 * them, the run shortened to 24 frames of close-ups and its output sent to a temporary folder through
 * the parameter form, Run, live preview, 100% with every node done, the output video
 * playing in the page, and the time per stage with the detector's stage. The graph file is
 * never saved; the output folder, the server (and its ffmpeg) and the browser are removed
 * whatever happens.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { BrowserContext, Locator } from 'playwright-core';
import { ARTIFACTS_DIR, ROOT, ensureClientBuilt, launchBrowser } from './browser.js';
import { startCli, type CliServer } from './cli-server.js';
import type { PlanStage } from '../../src/model/plan.js';


// 24 frames from the close-ups (frames 96..119), so the detector and the blur have faces to work on.
const START = 96;
const FRAMES = 24;
const NODES = ['decoder', 'batcher', 'detector', 'anonymizer', 'encoder'];

async function box(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const b = await locator.boundingBox();
  assert.ok(b, 'element is laid out');
  return b;
}

test('anonymize.json from `framefuse start`: shorten in the form, run, preview, play the output, time per stage', { timeout: 90_000 }, async () => {
  ensureClientBuilt();
  const graphBefore = readFileSync(join(ROOT, 'graphs', 'anonymize.json'), 'utf8');
  const outDir = `out/e2e-${randomBytes(4).toString('hex')}`;
  const outPath = `${outDir}/anonymized.mp4`;
  const pageErrors: string[] = [];
  let server: CliServer | undefined;
  let browser: { context: BrowserContext; close: () => Promise<void> } | undefined;
  try {
    server = await startCli();
    const url = new URL(server.url);
    assert.equal(url.searchParams.get('graph'), 'anonymize.json', 'framefuse start opens the main job');
    const token = url.searchParams.get('token');
    assert.ok(token && token.length >= 20, 'the printed URL carries the per-start token');
    const auth = { authorization: `Bearer ${token}` };
    assert.equal((await fetch(`${server.origin}/api/graphs/anonymize.json`)).status, 401, 'without the token the API answers nothing');
    // The plan the server makes of the file, to compare with what the canvas draws.
    const { document } = (await (await fetch(`${server.origin}/api/graphs/anonymize.json`, { headers: auth })).json()) as { document: unknown };
    const planAnswer = await fetch(`${server.origin}/api/plan`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ graph: document }) });
    assert.equal(planAnswer.status, 200);
    const stages = ((await planAnswer.json()) as { plan: { stages: PlanStage[] } }).plan.stages;
    const detectorStage = stages.find((s) => s.nodes.includes('detector'));
    assert.ok(detectorStage, 'the detector has a stage');

    browser = await launchBrowser();
    const page = await browser.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`);
    });
    await page.goto(server.url);
    await page.locator('.ff-node').nth(4).waitFor();
    await page.locator('[data-testid=validity]', { hasText: 'valid' }).waitFor();
    assert.equal(await page.locator('.ff-node').count(), 5);
    assert.deepEqual((await page.locator('.ff-node').evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id')))).sort(), [...NODES].sort());
    assert.equal(await page.locator('.react-flow__edge').count(), 6);
    assert.equal(await page.locator('[data-testid=doc-name]').innerText().then((t) => t.includes('anonymize')), true);

    // The plan's stages, drawn behind their nodes: one box per stage, labelled, around its members.
    await page.locator('.ff-stage').nth(stages.length - 1).waitFor();
    assert.equal(await page.locator('.ff-stage').count(), stages.length);
    for (const stage of stages) {
      const group = page.locator(`.react-flow__node[data-id="stage:${stage.id}"]`);
      const label = await group.locator('.ff-stage-label').innerText();
      assert.match(label, new RegExp(`^${stage.id}\\b`), label);
      assert.match(label.toLowerCase(), new RegExp(stage.kind), label);
      if (stage.batchSize > 1) assert.match(label.toLowerCase(), new RegExp(`batch ${stage.batchSize}`), label);
      if (stage.replicas > 1) assert.match(label, new RegExp(`x${stage.replicas}`, 'i'), `${label}: the copies are shown`);
      const outer = await box(group);
      for (const id of stage.nodes) {
        const inner = await box(page.locator(`[data-testid=node-${id}]`));
        assert.ok(inner.x >= outer.x - 1 && inner.y >= outer.y - 1 && inner.x + inner.width <= outer.x + outer.width + 1 && inner.y + inner.height <= outer.y + outer.height + 1, `node ${id} lies inside its stage ${stage.id}`);
      }
    }
    assert.equal(await page.locator(`.react-flow__node[data-id="stage:${detectorStage.id}"] .ff-stage.kind-accelerator`).count(), 1, 'the detector stage is drawn as an accelerator stage');

    // Shorten the run through the Decoder's form, and write the output into a temporary folder.
    await page.locator('[data-testid=node-decoder] .ff-node-header').click();
    await page.locator('[data-testid=inspector]').waitFor();
    await page.fill('#param-decoder-start', String(START));
    await page.fill('#param-decoder-end', String(START + FRAMES));
    // The node's own widget shows the value the inspector set.
    await page.waitForFunction(`document.querySelector('#widget-decoder-end')?.value === '${START + FRAMES}'`);
    await page.locator('[data-testid=node-encoder] .ff-node-header').click();
    await page.fill('#param-encoder-path', outPath);
    await page.locator('[data-testid=dirty]').waitFor();
    await page.locator('[data-testid=validity]', { hasText: 'valid' }).waitFor();

    // Note every live preview frame the page shows (the run is short, and the output replaces
    // the preview when it ends), and any moment the Batcher looks idle while the detector it
    // feeds is running.
    await page.evaluate(`(() => {
      window.__previews = [];
      window.__idleBatcher = [];
      const state = (id) => document.querySelector('[data-testid=node-' + id + '] .ff-state')?.textContent;
      const states = () => {
        if (state('detector') === 'running' && state('batcher') === 'waiting') window.__idleBatcher.push(Date.now());
      };
      const seen = new Set();
      const look = () => {
        const img = document.querySelector('[data-testid=run-preview]');
        if (!img || seen.has(img.src)) return;
        seen.add(img.src);
        const entry = { src: img.src, width: 0, height: 0 };
        window.__previews.push(entry);
        const read = () => { entry.width = img.naturalWidth; entry.height = img.naturalHeight; };
        if (img.complete) read(); else img.addEventListener('load', read, { once: true });
      };
      new MutationObserver(() => { look(); states(); }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['src'] });
    })()`);

    const started = Date.now();
    await page.click('[data-testid=run]');
    await page.locator('[data-testid=run-status]').waitFor();
    await page.locator('[data-testid=run-status]', { hasText: /finished|failed|cancelled/ }).waitFor({ timeout: 45_000 });
    const status = await page.locator('[data-testid=run-status]').textContent();
    assert.equal(status, 'finished', `the run ended ${status}: ${await page.locator('.ff-run-error').allInnerTexts()}`);
    await page.locator('[data-testid=run-progress]', { hasText: '100%' }).waitFor();
    const runMs = Date.now() - started;
    assert.match(await page.locator('.ff-run-stats').innerText(), new RegExp(`^${FRAMES} / ${FRAMES} frames`), 'frames done / total');
    for (const id of NODES) {
      assert.equal(await page.locator(`[data-testid=node-${id}] .ff-state`).textContent(), 'done', `node ${id} shows done`);
    }
    assert.equal(await page.locator(`[data-testid=node-encoder] .ff-frames`).innerText(), `${FRAMES} fr`);

    // A preview frame was shown during the run: a JPEG, the frame downscaled to 480 wide.
    const previews = (await page.evaluate('window.__previews')) as { src: string; width: number; height: number }[];
    assert.ok(previews.length >= 1, 'a live preview appeared during the run');
    assert.ok(previews.some((p) => p.width === 480 && p.height === 270), `preview sizes: ${JSON.stringify(previews.map((p) => [p.width, p.height]))}`);
    assert.deepEqual(await page.evaluate('window.__idleBatcher'), [], 'the Batcher shows waiting while the detector it feeds runs');

    // The output plays in the page: 24 frames at 24 fps, 640x360.
    await page.waitForFunction(`(() => { const v = document.querySelector('[data-testid=output-video]'); return v !== null && v.readyState >= 2 && v.videoWidth > 0; })()`, undefined, { timeout: 15_000 });
    const video = (await page.evaluate(`(() => { const v = document.querySelector('[data-testid=output-video]'); return { duration: v.duration, width: v.videoWidth, height: v.videoHeight, src: v.currentSrc }; })()`)) as { duration: number; width: number; height: number; src: string };
    assert.equal(video.width, 640);
    assert.equal(video.height, 360);
    assert.ok(Math.abs(video.duration - FRAMES / 24) < 0.1, `duration ${video.duration}`);
    assert.match(await page.locator('.ff-download').innerText(), new RegExp(outPath.replace(/\//g, '\\/')));
    assert.ok(statSync(join(ROOT, outPath)).size > 10_000, 'the output file was written where the form said');

    // Where the time went: one bar per stage, the detector's among them.
    assert.equal(await page.locator('.ff-chart-row').count(), stages.length);
    const detectorRow = page.locator('.ff-chart-row', { hasText: 'detector' });
    assert.equal(await detectorRow.count(), 1);
    assert.match(await detectorRow.locator('.ff-chart-label').innerText(), new RegExp(`^${detectorStage.id}\\b`));
    assert.match(await detectorRow.locator('.ff-chart-value').innerText(), /^\d+\.\d\d s$/);
    const barWidth = (await box(detectorRow.locator('.ff-chart-bar > div'))).width;
    assert.ok(barWidth > 0, 'the detector stage was busy');

    await page.waitForFunction(`(() => { const v = document.querySelector('[data-testid=output-video]'); return v.currentTime > 0.2; })()`, undefined, { timeout: 5_000 }).catch(() => undefined);
    // The README's picture, at a laptop's 1280x720 as the editor opens there (palette folded).
    await page.setViewportSize({ width: 1280, height: 720 });
    if (await page.locator('.ff-palette').isVisible()) await page.click('[data-testid=toggle-palette]');
    await page.locator('.react-flow__pane').click({ position: { x: 40, y: 300 } });
    await page.keyboard.press('f');
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'editor-anonymize.png') });
    assert.ok(runMs < 30_000, `the 24-frame run took ${runMs} ms`);
    await page.close();
  } finally {
    await browser?.close();
    await server?.stop();
    rmSync(join(ROOT, outDir), { recursive: true, force: true });
  }
  assert.equal(readFileSync(join(ROOT, 'graphs', 'anonymize.json'), 'utf8'), graphBefore, 'the graph file was not changed');
  assert.ok(!existsSync(join(ROOT, outDir)));
  assert.deepEqual(pageErrors, [], 'no errors in the page');
});
