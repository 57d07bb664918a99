/**
 * Editing in a real Chromium: add a node from the palette, connect it, see a wrong
 * connection refused with its reason, drop a connection on empty canvas and pick a
 * compatible node, undo and redo (one action one step), the command palette, double-click
 * search, copy and paste (at the cursor), ?graph=<missing>, model pickers by family, drop-to-open, Save as naming,
 * shift-drag and the minimap. Runs are in editor-runs.test.ts (the two files run in
 * parallel). Screenshots go to dist/e2e-artifacts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS_DIR, ROOT, ensureClientBuilt, launchBrowser } from './browser.js';
import { E2E_GRAPH, startE2eServer, type E2eServer } from './e2e-fixture.js';
import { drag, emptyCanvasPoint, expectEdges, handle, moveNode, openEditor, openValidGraph, settledBox } from './editor-page.js';

describe('editor in Chromium', { timeout: 90_000 }, () => {
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

  test('add from the palette, connect, refuse a wrong connection, quick-add on a dropped connection, undo/redo', async () => {
    const page = await open();
    assert.equal(await page.locator('.ff-node').count(), 4);
    await expectEdges(page, 3);
    // The plan is drawn: one shaded stage per stage.
    assert.equal(await page.locator('.ff-stage').count(), 4);

    // Add: search the palette, double-click the match.
    await page.fill('.ff-search', 'chcksm');
    assert.deepEqual(await page.locator('.ff-palette-item').allInnerTexts(), ['Checksum sink']);
    await page.locator('.ff-palette-item').first().dblclick();
    const added = page.locator('[data-testid=node-testChecksum]');
    await added.waitFor();
    // Unconnected, it is outlined as a problem, with the message on hover.
    await page.locator('[data-testid=node-testChecksum].has-error').waitFor();
    assert.match((await added.getAttribute('title')) ?? '', /frames/);
    await page.locator('[data-testid=validity]', { hasText: 'problem' }).waitFor();
    await moveNode(page, 'testChecksum', { x: 700, y: 560 });

    // Connect src.frames -> testChecksum.frames.
    await drag(page, handle('src', 'source', 'frames'), handle('testChecksum', 'target', 'frames'));
    await expectEdges(page, 4);
    await page.locator('[data-testid=node-testChecksum]:not(.has-error)').waitFor();
    await page.locator('[data-testid=validity]', { hasText: 'valid' }).waitFor();

    // Refused: Frames into an Image input, with the reason on screen.
    await page.fill('.ff-search', 'stamp');
    await page.locator('.ff-palette-item').first().dblclick();
    await page.locator('[data-testid=node-testStamp]').waitFor();
    await moveNode(page, 'testStamp', { x: 300, y: 620 });
    await drag(page, handle('src', 'source', 'frames'), handle('testStamp', 'target', 'image'));
    await page.locator('.ff-toast.error', { hasText: 'Frames cannot go into Image' }).waitFor();
    await expectEdges(page, 4, 'the wrong connection was not made');

    // A connection dropped on empty canvas opens the search, filtered to nodes that take Frames.
    // Fit the view first (F): with the inspector open, t's output may lie under it.
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('f');
    const pane = (await page.locator('.react-flow__pane').boundingBox())!;
    await drag(page, handle('sink', 'source', 'frames').replace('sink', 't'), await emptyCanvasPoint(page, { x: pane.x + pane.width - 120, y: pane.y + 60 }));
    await page.locator('.ff-quickadd').waitFor();
    const offered = await page.locator('.ff-quickadd li').allInnerTexts();
    assert.ok(offered.some((t) => t.startsWith('Encoder')), offered.join('|'));
    assert.ok(!offered.some((t) => t.startsWith('Constant image') || t.startsWith('Synthetic frames')), 'only nodes with a Frames input');
    await page.keyboard.type('host');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=node-testTransform]').waitFor();
    await expectEdges(page, 5, 'the new node is connected to the dragged port');

    // Undo takes the quick-added node (and its edge) back; redo restores it.
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('Control+z');
    await page.locator('[data-testid=node-testTransform]').waitFor({ state: 'detached' });
    await expectEdges(page, 4);
    await page.keyboard.press('Control+Shift+z');
    await page.locator('[data-testid=node-testTransform]').waitFor();
    await expectEdges(page, 5);
    assert.equal(await page.locator('[data-testid=dirty]').count(), 1, 'edits mark the graph unsaved');
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'editor-editing.png') });
    await page.close();
  });

  test('one user action is one undo step: delete a node with its connections, drag two nodes; Ctrl+Shift+P lists commands', async () => {
    const page = await open();
    await expectEdges(page, 3);
    // Delete t (two connections): one undo brings back the node and both edges, one redo takes them again.
    await page.locator('[data-testid=node-t] .ff-node-header').click();
    await page.keyboard.press('Delete');
    await page.locator('[data-testid=node-t]').waitFor({ state: 'detached' });
    await expectEdges(page, 1);
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('Control+z');
    await page.locator('[data-testid=node-t]').waitFor();
    await expectEdges(page, 3, 'one undo restores the node and its connections');
    assert.equal(await page.locator('[data-testid=undo]').isDisabled(), true, 'nothing else to undo');
    await page.keyboard.press('Control+Shift+z');
    await page.locator('[data-testid=node-t]').waitFor({ state: 'detached' });
    await expectEdges(page, 1, 'one redo removes them again');
    await page.keyboard.press('Control+z');
    await page.locator('[data-testid=node-t]').waitFor();
    await expectEdges(page, 3);

    // Drag two selected nodes: one undo puts both back where they were.
    const box = async (id: string) => (await page.locator(`[data-testid=node-${id}]`).boundingBox())!;
    const before = { sink: await box('sink'), t: await box('t') };
    await page.locator('[data-testid=node-sink] .ff-node-header').click();
    await page.locator('[data-testid=node-t] .ff-node-header').click({ modifiers: ['Control'] });
    const header = (await page.locator('[data-testid=node-sink] .ff-node-header').boundingBox())!;
    await drag(page, '[data-testid=node-sink] .ff-node-header', { x: header.x + header.width / 2 - 120, y: header.y + header.height / 2 + 150 });
    for (const id of ['sink', 't'] as const) assert.ok(Math.abs((await box(id)).y - before[id].y) > 100, `${id} moved`);
    assert.equal(await page.locator('[data-testid=dirty]').count(), 1);
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('Control+z');
    for (const id of ['sink', 't'] as const) {
      await page.waitForFunction(`Math.abs(document.querySelector('[data-testid=node-${id}]').getBoundingClientRect().y - ${before[id].y}) < 2`, undefined, { timeout: 5000 });
    }
    assert.equal(await page.locator('[data-testid=dirty]').count(), 0, 'undone back to the saved graph: nothing unsaved');

    // The command palette lists actions with their shortcuts and runs the chosen one.
    await page.keyboard.press('Control+Shift+P');
    await page.locator('[data-testid=command-palette]').waitFor();
    assert.ok((await page.locator('[data-testid=command-palette] li').allInnerTexts()).some((t) => t.includes('Save') && t.includes('Ctrl+S')));
    await page.keyboard.type('fit');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=command-palette]').waitFor({ state: 'detached' });
    await page.close();
  });

  test('copy and paste: fresh ids, the edges among the copied nodes, each paste one undo step and at the cursor; cut', async () => {
    const page = await open();
    await expectEdges(page, 3);
    await page.locator('[data-testid=node-t] .ff-node-header').click();
    await page.locator('[data-testid=node-sink] .ff-node-header').click({ modifiers: ['Control'] });
    await page.keyboard.press('Control+c');
    // With the pointer on the canvas, the copied nodes' top-left lands at the pointer.
    const pane = (await page.locator('.react-flow__pane').boundingBox())!;
    const cursors = [{ x: pane.x + 200, y: pane.y + pane.height - 260 }, { x: pane.x + 520, y: pane.y + pane.height - 160 }];
    await page.mouse.move(cursors[0]!.x, cursors[0]!.y);
    await page.keyboard.press('Control+v');
    await page.locator('[data-testid=node-testTransform]').waitFor();
    await page.mouse.move(cursors[1]!.x, cursors[1]!.y);
    await page.keyboard.press('Control+v');
    await page.locator('[data-testid=node-testTransform2]').waitFor();
    assert.equal(await page.locator('.ff-node').count(), 8);
    await expectEdges(page, 5, 't -> sink is pasted with them');
    const box = async (id: string) => (await page.locator(`[data-testid=node-${id}]`).boundingBox())!;
    const [first, second] = [await box('testTransform'), await box('testTransform2')];
    assert.ok(Math.abs(first.x - cursors[0]!.x) < 3 && Math.abs(first.y - cursors[0]!.y) < 3, `the first paste is at the cursor (${first.x},${first.y})`);
    assert.ok(Math.abs(second.x - cursors[1]!.x) < 3 && Math.abs(second.y - cursors[1]!.y) < 3, `the second paste is at the new cursor (${second.x},${second.y})`);
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('Control+z');
    await page.locator('[data-testid=node-testTransform2]').waitFor({ state: 'detached' });
    assert.equal(await page.locator('.ff-node').count(), 6, 'one undo takes one paste back');
    // Cut: the node goes, with its edge.
    await page.locator('[data-testid=node-testTransform] .ff-node-header').click();
    await page.keyboard.press('Control+x');
    await page.locator('[data-testid=node-testTransform]').waitFor({ state: 'detached' });
    await expectEdges(page, 3);
    await page.close();
  });

  test('a double-click on empty canvas opens the node search there and the node lands at the cursor; ?graph=<missing> is an empty graph with nothing unsaved', async () => {
    const page = await open();
    const pane = (await page.locator('.react-flow__pane').boundingBox())!;
    const at = await emptyCanvasPoint(page, { x: pane.x + pane.width - 300, y: pane.y + pane.height - 120 }); // left of the minimap
    await page.mouse.dblclick(at.x, at.y);
    await page.locator('.ff-quickadd').waitFor();
    await page.keyboard.type('chcksm');
    await page.keyboard.press('Enter');
    const box = (await page.locator('[data-testid=node-testChecksum]').boundingBox())!;
    assert.ok(Math.abs(box.x - at.x) < 60 && Math.abs(box.y - at.y) < 60, `the node is at the cursor (${box.x},${box.y} vs ${at.x},${at.y})`);
    await page.close();

    const missing = await openEditor(browser.context, e2e.server, 'nope.json', pageErrors);
    await missing.locator('.ff-toast.error', { hasText: 'no graph named nope.json' }).waitFor();
    assert.equal(await missing.locator('[data-testid=dirty]').count(), 0, 'an empty graph has nothing unsaved');
    assert.equal((await missing.locator('[data-testid=doc-name]').innerText()).trim(), 'untitled');
    assert.doesNotMatch(missing.url(), /graph=/);
    await missing.close();
  });

  test('model pickers offer the models of their family; the built-in ESRGAN model is "converted on first use", not missing', async () => {
    writeFileSync(join(e2e.dataDir, 'graphs', 'upscale.json'), readFileSync(join(ROOT, 'graphs', 'upscale.json')));
    const page = await openEditor(browser.context, e2e.server, 'upscale.json', pageErrors);
    // Click the node once the canvas stopped moving (a loaded machine fits the view late).
    const header = '[data-testid=node-enhancer] .ff-node-header';
    await page.locator(header).waitFor();
    const box = await settledBox(page, header);
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.locator('[data-testid=inspector]').waitFor();
    const options = async (id: string) => (await page.locator(`#${id} option`).evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value))).filter((v) => v !== '');
    const frame = await options('param-enhancer-frameModel');
    assert.ok(frame.includes('esrgan_x2') && frame.includes('real_esrgan_x4'), frame.join(','));
    assert.ok(frame.every((id) => /esrgan/.test(id)), `upscalers only: ${frame.join(',')}`);
    assert.deepEqual((await options('param-enhancer-faceModel')).sort(), ['codeformer', 'gfpgan_1.4']);
    const esrganPresent = existsSync(join(ROOT, 'models', 'esrgan_x2.onnx'));
    if (!esrganPresent) await page.locator('[data-testid=model-prepared-on-use]').waitFor();
    assert.equal(await page.locator('text=restore it from the repository').count(), 0);
    await page.close();
  });

  test('drop a graph JSON to open it; Save as names a new graph after its file; shift-drag selects no page text; the minimap hides', async () => {
    const page = await open();
    // Drop a graph file on the canvas: it opens (unsaved, no file yet).
    const dropped = { ...E2E_GRAPH, name: 'dropped', nodes: E2E_GRAPH.nodes.slice(0, 2), edges: E2E_GRAPH.edges.slice(0, 1) };
    const transfer = await page.evaluateHandle(
      `(() => { const t = new DataTransfer(); t.items.add(new File([${JSON.stringify(JSON.stringify(dropped))}], 'dropped.json', { type: 'application/json' })); return t; })()`,
    );
    await page.locator('.ff-canvas').dispatchEvent('drop', { dataTransfer: transfer });
    await page.locator('[data-testid=node-enc]').waitFor({ state: 'detached' });
    assert.equal(await page.locator('.ff-node').count(), 2);

    // New graph, one node, Save as "mine": the document is named "mine", not "untitled".
    page.once('dialog', (d) => void d.accept()); // "Discard unsaved changes?": the dropped graph has no file
    await page.click('button:has-text("New")');
    await page.locator('.ff-empty-hint').waitFor();
    await page.fill('.ff-search', 'chcksm');
    await page.locator('.ff-palette-item').first().dblclick();
    await page.keyboard.press('Control+Shift+S');
    await page.fill('[aria-label="Graph file name"]', 'mine');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=doc-name]', { hasText: 'mine.json' }).waitFor();
    assert.equal(JSON.parse(readFileSync(join(e2e.dataDir, 'graphs', 'mine.json'), 'utf8')).name, 'mine');

    // Shift-drag from the canvas over the side panel: a selection box, no page text selected.
    const pane = (await page.locator('.react-flow__pane').boundingBox())!;
    const side = (await page.locator('.ff-side').boundingBox())!;
    await page.keyboard.down('Shift');
    await page.mouse.move(pane.x + 40, pane.y + 40);
    await page.mouse.down();
    await page.mouse.move(side.x + side.width - 10, side.y + side.height - 10, { steps: 10 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    assert.equal(await page.evaluate('window.getSelection().toString()'), '');

    // The minimap can be hidden (and the choice is remembered).
    await page.locator('.react-flow__minimap').waitFor();
    await page.click('[data-testid=toggle-minimap]');
    await page.locator('.react-flow__minimap').waitFor({ state: 'detached' });
    await page.click('[data-testid=toggle-minimap]');
    await page.locator('.react-flow__minimap').waitFor();
    await page.close();
  });

});
