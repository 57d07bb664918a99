/**
 * Runs from the editor in a real Chromium: a reload during a run reattaches; the queue and
 * history tab (cancel, re-open a run's graph); a failed run's short toast; a run to 100%
 * with live progress and preview, the output playing, a second run that keeps the taken
 * name and says so, "replace" as an explicit edit, then save and reload unchanged.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS_DIR, ensureClientBuilt, launchBrowser } from './browser.js';
import { E2E_GRAPH, startE2eServer, type E2eServer } from './e2e-fixture.js';
import { openValidGraph } from './editor-page.js';

describe('editor runs in Chromium', { timeout: 90_000 }, () => {
  let e2e: E2eServer;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  const pageErrors: string[] = [];

  before(async () => {
    ensureClientBuilt();
    e2e = await startE2eServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await e2e?.stop();
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  });

  /** A graph of the e2e graph's four nodes (e2e.json or a variant), drawn and valid. */
  const open = (graph = 'e2e.json'): Promise<Page> => openValidGraph(browser.context, e2e.server, graph, pageErrors);

  test('a reload during a run reattaches: node states, Cancel, run panel; the next run does not wait for a phantom', async () => {
    // The e2e graph made slow: about 6 s of frames.
    const slow = { ...E2E_GRAPH, name: 'slow', nodes: E2E_GRAPH.nodes.map((n) => (n.id === 'src' ? { ...n, params: { ...n.params, frames: 400 } } : n.id === 'enc' ? { ...n, params: { ...n.params, path: 'outputs/slow.mp4' } } : n)) };
    writeFileSync(join(e2e.dataDir, 'graphs', 'slow.json'), JSON.stringify(slow));
    const page = await open('slow.json');
    await page.click('[data-testid=run]');
    await page.locator('.ff-node .ff-state.running').first().waitFor();

    await page.reload();
    await page.locator('.ff-node').nth(3).waitFor();
    await page.locator('[data-testid=cancel]').waitFor({ timeout: 5000 });
    await page.locator('.ff-node .ff-state.running').first().waitFor();
    await page.click('[data-testid=run-tab]');
    await page.locator('[data-testid=run-status]', { hasText: 'running' }).waitFor();
    await page.click('[data-testid=cancel]');
    await page.locator('[data-testid=run-status]', { hasText: 'cancelled' }).waitFor({ timeout: 10_000 });
    await page.locator('[data-testid=run]').waitFor();

    // The next run starts at once: nothing is ahead of it.
    await page.click('[data-testid=run]');
    await page.locator('[data-testid=run-status]', { hasText: 'running' }).waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('[data-testid=run-queued]').count(), 0);
    await page.click('[data-testid=cancel]');
    await page.locator('[data-testid=run-status]', { hasText: 'cancelled' }).waitFor({ timeout: 10_000 });
    await page.close();
  });

  test('queue and history: every run with its state; cancel a running one there; re-open the graph a run used', async () => {
    const page = await open('slow.json');
    await page.click('[data-testid=run]');
    await page.click('[data-testid=history-tab]');
    const running = page.locator('[data-testid=history-run][data-status=running]');
    await running.waitFor({ timeout: 10_000 });
    assert.ok((await page.locator('[data-testid=history-run]').count()) >= 3, 'earlier runs are listed too');
    await running.locator('[data-testid=history-cancel]').click();
    await page.locator('[data-testid=history-run][data-status=running]').waitFor({ state: 'detached', timeout: 10_000 });
    assert.equal(await page.locator('[data-testid=history-run]').first().getAttribute('data-status'), 'cancelled', 'the newest run was cancelled');
    // Re-open the graph of the newest run, after opening another graph.
    await page.goto(`${e2e.server.url}/?graph=e2e.json&token=${e2e.server.token}`);
    await page.locator('[data-testid=validity]', { hasText: 'valid' }).waitFor();
    await page.click('[data-testid=history-tab]');
    await page.locator('[data-testid=history-open]').first().click();
    await page.locator('.ff-toast.ok', { hasText: 'Opened the graph of the run' }).waitFor();
    await page.click('.ff-tabs button >> nth=0');
    await page.locator('.ff-inspector h2', { hasText: 'slow' }).waitFor();
    await page.close();
  });

  test('a failed run: one short toast, the error and its fix once, in the run panel', async () => {
    const failing = { ...E2E_GRAPH, name: 'fail', nodes: E2E_GRAPH.nodes.map((n) => (n.id === 't' ? { ...n, params: { failAt: 5 } } : n.id === 'enc' ? { ...n, params: { ...n.params, path: 'outputs/fail.mp4' } } : n)) };
    writeFileSync(join(e2e.dataDir, 'graphs', 'fail.json'), JSON.stringify(failing));
    const page = await open('fail.json');
    await page.click('[data-testid=run]');
    await page.locator('[data-testid=run-status]', { hasText: 'failed' }).waitFor({ timeout: 30_000 });
    const toast = await page.locator('.ff-toast.error').first().innerText();
    assert.match(toast, /^Run failed in t: .*injected failure at frame 5.*\(details in the Run panel\)$/);
    assert.ok(!toast.includes('\n') && toast.length < 180, toast);
    const panel = await page.locator('.ff-run-error').innerText();
    assert.match(panel, /injected failure at frame 5/);
    const fix = await page.locator('.ff-run-error .ff-hint').allInnerTexts();
    for (const f of fix) assert.equal(panel.split(f).length - 1, 1, `the fix text appears once: ${f}`);
    await page.close();
  });

  test('run to 100% with live progress and preview, play the output, save and reload unchanged', async () => {
    const page = await open();
    // Run.
    await page.click('[data-testid=run]');
    await page.locator('[data-testid=run-status]', { hasText: 'running' }).waitFor();
    await page.locator('[data-testid=run-preview]').waitFor();
    await page.locator('.ff-node .ff-state.running').first().waitFor();
    await page.locator('[data-testid=run-progress]', { hasText: '100%' }).waitFor({ timeout: 30_000 });
    await page.locator('[data-testid=run-status]', { hasText: 'finished' }).waitFor();
    // The output plays in the page (served with range requests).
    // (A string, evaluated in the page: the tests compile without the DOM types.)
    await page.waitForFunction(
      `(() => { const v = document.querySelector('[data-testid=output-video]'); return v !== null && v.readyState >= 1 && v.duration > 1.5 && v.videoWidth === 160; })()`,
      undefined,
      { timeout: 15_000 },
    );
    assert.equal(await page.locator('.ff-node .ff-state.done').count(), 4);
    assert.equal(await page.locator('.ff-chart-row').count(), 4, 'the per-stage time chart');
    await page.waitForTimeout(300); // let the video paint a frame
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'editor-finished-run.png') });

    // Run again: outputs/e2e.mp4 is taken, so the run writes e2e-1.mp4 and says so; "replace" is an explicit edit of the encoder.
    assert.equal((await page.locator('[data-testid=output-name]').innerText()).includes('outputs/e2e.mp4'), true);
    await page.click('[data-testid=run]');
    await page.locator('[data-testid=output-renamed]', { hasText: 'e2e-1.mp4' }).waitFor({ timeout: 30_000 });
    assert.match(await page.locator('[data-testid=output-name]').innerText(), /outputs\/e2e-1\.mp4/);
    await page.click('[data-testid=overwrite-next]');
    await page.locator('[data-testid=dirty]').waitFor();
    await page.click('[data-testid=run]');
    await page.locator('[data-testid=run-status]', { hasText: 'finished' }).waitFor({ timeout: 30_000 });
    await page.locator('[data-testid=output-renamed]').waitFor({ state: 'detached' });
    assert.match(await page.locator('[data-testid=output-name]').innerText(), /outputs\/e2e\.mp4/);
    assert.ok(existsSync(join(e2e.dataDir, 'outputs', 'e2e-1.mp4')), 'the numbered output is kept');
    await page.keyboard.press('Control+z'); // back to the saved graph (no overwrite)
    await page.locator('[data-testid=dirty]').waitFor({ state: 'detached' });

    // Edit a parameter through the generated form, then save.
    await page.locator('[data-testid=node-src] .ff-node-header').click();
    await page.locator('[data-testid=inspector]').waitFor();
    await page.fill('#param-src-seed', '42');
    await page.locator('[data-testid=dirty]').waitFor();
    await page.click('[data-testid=save]');
    await page.locator('[data-testid=dirty]').waitFor({ state: 'detached' });
    const saved = JSON.parse(readFileSync(join(e2e.dataDir, 'graphs', 'e2e.json'), 'utf8'));
    assert.equal(saved.nodes[0].params.seed, 42);
    assert.equal(saved.nodes.length, 4);

    // Reload: the same graph, not dirty; exporting it gives the saved file back.
    await page.reload();
    await page.locator('.ff-node').nth(3).waitFor();
    assert.equal(await page.locator('[data-testid=dirty]').count(), 0);
    const download = page.waitForEvent('download');
    await page.click('button:has-text("Export")');
    const file = await (await download).path();
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), saved);
    await page.close();
  });
});
