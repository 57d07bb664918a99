/**
 * What the editor's browser tests do to a page: open a graph, drag between handles, wait
 * for React Flow's edges. Shared by editor.test.ts and editor-runs.test.ts.
 */
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';

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

/** Drags from one handle to another (or to a point) with real mouse events. */
export async function drag(page: Page, from: string, to: string | { x: number; y: number }): Promise<void> {
  const a = (await page.locator(from).boundingBox())!;
  const b = typeof to === 'string' ? (await page.locator(to).boundingBox())! : { ...to, width: 0, height: 0 };
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

/** The selector of a node's handle for `port`. */
export const handle = (node: string, side: 'source' | 'target', port: string) => `[data-testid=node-${node}] .react-flow__handle.${side}[data-handleid=${port}]`;

/** React Flow draws an edge a frame or two after its nodes: wait (5 s at most) for `n` edges, then check. */
export async function expectEdges(page: Page, n: number, message?: string): Promise<void> {
  // A string, evaluated in the page: the tests compile without the DOM types.
  await page.waitForFunction(`document.querySelectorAll('.react-flow__edge').length === ${n}`, undefined, { timeout: 5000 }).catch(() => undefined);
  assert.equal(await page.locator('.react-flow__edge').count(), n, message);
}
