/**
 * What the editor's browser tests do to a page: open a graph, drag between handles, wait
 * for React Flow's edges. Shared by editor.test.ts and editor-runs.test.ts.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS_DIR } from './browser.js';

/** Where the editor is served and who may open it. */
export interface EditorServer {
  url: string;
  token: string;
}

/** Opens the editor on `?graph=<graph>` in a new page; the page's uncaught errors go to `pageErrors`. */
export async function openEditor(context: BrowserContext, server: EditorServer, graph: string, pageErrors: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${server.url}/?graph=${graph}&token=${server.token}`);
  return page;
}

/** Opens a graph of the e2e graph's four nodes (`e2e.json` or a variant) and waits until it is drawn and valid. */
export async function openValidGraph(context: BrowserContext, server: EditorServer, graph: string, pageErrors: string[]): Promise<Page> {
  const page = await openEditor(context, server, graph, pageErrors);
  await page.locator('.ff-node').nth(3).waitFor();
  await page.locator('[data-testid=validity]', { hasText: 'valid' }).waitFor();
  return page;
}

type Box = { x: number; y: number; width: number; height: number };

/**
 * Where an element is once it stopped moving: two reads 100 ms apart agree (5 s at most).
 * A loaded machine draws the canvas late (fit to view, a node just added), and a drag that
 * starts from a box read mid-move misses its target.
 */
export async function settledBox(page: Page, selector: string): Promise<Box> {
  let last = await page.locator(selector).boundingBox();
  for (let i = 0; i < 50; i++) {
    await page.waitForTimeout(100);
    const now = await page.locator(selector).boundingBox();
    if (now && last && Math.abs(now.x - last.x) < 0.5 && Math.abs(now.y - last.y) < 0.5 && Math.abs(now.width - last.width) < 0.5) return now;
    last = now;
  }
  assert.ok(last, `${selector} is on the page`);
  return last;
}

/**
 * A point of the canvas with nothing drawn on it (the pane itself is under it), once the view
 * has settled: the first of `near`'s neighbours, scanning left and up from it in 40 px steps.
 * Where the graph lies depends on the fit to the window, so tests do not guess empty spots.
 */
export async function emptyCanvasPoint(page: Page, near: { x: number; y: number }): Promise<{ x: number; y: number }> {
  await settledBox(page, '.ff-node >> nth=0');
  for (let dy = 0; dy <= 400; dy += 40) {
    for (let dx = 0; dx <= 600; dx += 40) {
      const p = { x: near.x - dx, y: near.y - dy };
      const free = await page.evaluate(`(() => { const e = document.elementFromPoint(${p.x}, ${p.y}); return !!e && e.classList.contains('react-flow__pane'); })()`);
      if (free) return p;
    }
  }
  assert.fail(`no empty canvas near ${near.x},${near.y}`);
}

/** Drags from one handle to another (or to a point) with real mouse events. */
export async function drag(page: Page, from: string, to: string | { x: number; y: number }): Promise<void> {
  const a = await settledBox(page, from);
  const b = typeof to === 'string' ? await settledBox(page, to) : { ...to, width: 0, height: 0 };
  // The press must land on `from` itself, not on something drawn over it (a panel, a node).
  const hit = await page.evaluate(`(() => { const e = document.elementFromPoint(${a.x + a.width / 2}, ${a.y + a.height / 2}); const want = document.querySelector(${JSON.stringify(from)}); return !!e && !!want && (e === want || want.contains(e)); })()`);
  if (!hit) await page.screenshot({ path: join(ARTIFACTS_DIR, `drag-covered-${Date.now()}.png`) }).catch(() => undefined);
  assert.ok(hit, `the drag's start ${from} is covered by something else on the page`);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

/**
 * Moves a node by its header to a point of the canvas pane (pane coordinates), with real mouse
 * steps, and checks it got there: a node just added may still be settling, and a drag that
 * starts mid-move is lost, so a lost drag is tried again (three times at most).
 */
export async function moveNode(page: Page, node: string, to: { x: number; y: number }): Promise<void> {
  const header = `[data-testid=node-${node}] .ff-node-header`;
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  const target = { x: pane.x + to.x, y: pane.y + to.y };
  for (let attempt = 0; attempt < 3; attempt++) {
    const a = await settledBox(page, header);
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await page.mouse.down();
    await page.mouse.move((a.x + a.width / 2 + target.x) / 2, (a.y + a.height / 2 + target.y) / 2, { steps: 5 });
    await page.mouse.move(target.x, target.y, { steps: 8 });
    await page.waitForTimeout(50);
    await page.mouse.up();
    const b = await settledBox(page, header);
    if (Math.abs(b.x + b.width / 2 - target.x) < 20 && Math.abs(b.y + b.height / 2 - target.y) < 20) return;
  }
  assert.fail(`${node} could not be moved to ${to.x},${to.y} of the canvas`);
}

/** The selector of a node's handle for `port`. */
export const handle = (node: string, side: 'source' | 'target', port: string) => `[data-testid=node-${node}] .react-flow__handle.${side}[data-handleid=${port}]`;

/** React Flow draws an edge a frame or two after its nodes: wait (5 s at most) for `n` edges, then check. */
export async function expectEdges(page: Page, n: number, message?: string): Promise<void> {
  // A string, evaluated in the page: the tests compile without the DOM types.
  await page.waitForFunction(`document.querySelectorAll('.react-flow__edge').length === ${n}`, undefined, { timeout: 5000 }).catch(() => undefined);
  const count = await page.locator('.react-flow__edge').count();
  // What the page looked like, for the one reading the failure.
  if (count !== n) await page.screenshot({ path: join(ARTIFACTS_DIR, `edges-${n}-got-${count}-${Date.now()}.png`) }).catch(() => undefined);
  assert.equal(count, n, message);
}
