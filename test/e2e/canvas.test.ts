/**
 * Canvas habits in a real Chromium: the right-click menu (add at the cursor, rename,
 * duplicate, bypass, colour, collapse, group, delete; each one undo step), notes and groups
 * saved in the graph and drawn again after a reload, Alt-drag to clone, a link dropped on a
 * node's body, a link lifted from a connected input, parameters edited on the node, graphs
 * in tabs, tabs with their unsaved changes kept across a reload, and groups resized.
 * Runs beside editor.test.ts and editor-runs.test.ts (its own server and browser).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { ensureClientBuilt, launchBrowser } from './browser.js';
import { startE2eServer, type E2eServer } from './e2e-fixture.js';
import { drag, emptyCanvasPoint, expectEdges, handle, openEditor, openValidGraph, settledBox } from './editor-page.js';
import type { GraphDocument } from '../../src/model/document.js';

describe('canvas habits in Chromium', { timeout: 90_000 }, () => {
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

  const open = (graph = 'e2e.json'): Promise<Page> => openValidGraph(browser.context, e2e.server, graph, pageErrors);
  const menu = async (page: Page, selector: string, position?: { x: number; y: number }) => {
    await page.locator(selector).click({ button: 'right', ...(position ? { position } : {}) });
    await page.locator('[data-testid=context-menu]').waitFor();
  };
  const pick = (page: Page, label: string) => page.locator('[data-testid=context-menu] [role=menuitem]', { hasText: label }).click();
  const undo = (page: Page) => page.keyboard.press('Control+z');
  const saved = (name: string) => JSON.parse(readFileSync(join(e2e.dataDir, 'graphs', name), 'utf8')) as GraphDocument;

  test('the right-click menu: add at the cursor, rename, duplicate, bypass, colour, collapse, group, delete, each one undo step; saved and drawn again after a reload', async () => {
    const page = await open();
    // On empty canvas: "Add node here" opens the search at the pointer.
    const pane = (await page.locator('.react-flow__pane').boundingBox())!;
    const free = await emptyCanvasPoint(page, { x: pane.x + pane.width - 560, y: pane.y + pane.height - 160 }); // clear of the minimap
    const at = { x: free.x - pane.x, y: free.y - pane.y };
    await menu(page, '.react-flow__pane', at);
    await pick(page, 'Add node here');
    await page.locator('.ff-quickadd').waitFor();
    await page.keyboard.type('chcksm');
    await page.keyboard.press('Enter');
    const added = (await page.locator('[data-testid=node-testChecksum]').boundingBox())!;
    assert.ok(Math.abs(added.x - (pane.x + at.x)) < 60 && Math.abs(added.y - (pane.y + at.y)) < 60, 'the node lands where the menu was opened');

    // Rename t to blur: its edges follow; one undo takes the name back.
    await menu(page, '[data-testid=node-t] .ff-node-header');
    await pick(page, 'Rename');
    await page.fill('[aria-label="Node id"]', '1bad');
    await page.locator('.ff-field-error', { hasText: 'starts with a letter' }).waitFor();
    await page.fill('[aria-label="Node id"]', 'blur');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=node-blur]').waitFor();
    await expectEdges(page, 3);
    await undo(page);
    await page.locator('[data-testid=node-t]').waitFor();
    await expectEdges(page, 3, 'the renamed edges come back with the old name');

    // Duplicate: a copy with a fresh id; one undo removes it.
    await menu(page, '[data-testid=node-t] .ff-node-header');
    await pick(page, 'Duplicate');
    await page.locator('[data-testid=node-testTransform]').waitFor();
    await undo(page);
    await page.locator('[data-testid=node-testTransform]').waitFor({ state: 'detached' });

    // Bypass: marked on the canvas; the graph stays valid (Frames in, Frames out).
    await menu(page, '[data-testid=node-t] .ff-node-header');
    await pick(page, 'Bypass');
    await page.locator('[data-testid=node-t].bypassed').waitFor();
    await page.locator('[data-testid=node-t] .ff-badge.bypass').waitFor();
    // Frames in, Frames out: no bypass problem on it.
    assert.equal(await page.locator('[data-testid=node-t].has-error').count(), 0);
    await undo(page);
    await page.locator('[data-testid=node-t]:not(.bypassed)').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=node-t] .ff-node-header').click();
    await page.keyboard.press('Control+b');
    await page.locator('[data-testid=node-t].bypassed').waitFor();
    // The command palette runs the same action, with its shortcut shown.
    await page.keyboard.press('Control+Shift+P');
    await page.keyboard.type('bypass');
    assert.match(await page.locator('[data-testid=command-palette] li').first().innerText(), /Bypass.*Ctrl\+B/s);
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=node-t]:not(.bypassed)').waitFor();
    await page.keyboard.press('Control+b');
    await page.locator('[data-testid=node-t].bypassed').waitFor();

    // Colour and collapse.
    await menu(page, '[data-testid=node-sink] .ff-node-header');
    await page.locator('[aria-label="colour green"]').click();
    assert.match((await page.locator('[data-testid=node-sink]').getAttribute('style')) ?? '', /border-color: rgb\(63, 125, 63\)/);
    await menu(page, '[data-testid=node-enc] .ff-node-header');
    await pick(page, 'Collapse');
    await page.locator('[data-testid=node-enc].collapsed').waitFor();
    assert.ok((await page.locator('[data-testid=node-enc]').boundingBox())!.height < 50, 'a collapsed node is its title bar');
    await expectEdges(page, 3, 'its edges are still drawn');

    // Group the selection (t and sink), then delete the checksum node from the menu.
    await page.locator('[data-testid=node-t] .ff-node-header').click();
    await page.locator('[data-testid=node-sink] .ff-node-header').click({ modifiers: ['Control'] });
    await menu(page, '[data-testid=node-sink] .ff-node-header');
    assert.match(await page.locator('.ff-menu-title').innerText(), /2 nodes/);
    await pick(page, 'Group');
    await page.locator('[data-testid=group-group1]').waitFor();
    await page.locator('[data-testid=group-group1] .ff-group-title').dblclick();
    await page.fill('[aria-label="Group title"]', 'Checks');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=group-group1] .ff-group-title', { hasText: 'Checks' }).waitFor();
    await menu(page, '[data-testid=node-testChecksum] .ff-node-header');
    await pick(page, 'Delete');
    await page.locator('[data-testid=node-testChecksum]').waitFor({ state: 'detached' });

    // A note on empty canvas, typed in place.
    const noteAt = await emptyCanvasPoint(page, { x: pane.x + 320, y: pane.y + pane.height - 120 });
    await menu(page, '.react-flow__pane', { x: noteAt.x - pane.x, y: noteAt.y - pane.y });
    await pick(page, 'Add note here');
    await page.locator('[data-testid=note-note1] textarea').fill('blur the faces before the swap');

    // Saved in the graph JSON, and drawn again after a reload.
    await page.keyboard.press('Control+Shift+S');
    await page.fill('[aria-label="Graph file name"]', 'habits');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=doc-name]', { hasText: 'habits.json' }).waitFor();
    const doc = saved('habits.json');
    const node = (id: string) => doc.nodes.find((n) => n.id === id)!;
    assert.equal(node('t').bypass, true);
    assert.equal(node('enc').collapsed, true);
    assert.equal(node('sink').color, '#3f7d3f');
    assert.deepEqual(doc.groups?.map((g) => g.title), ['Checks']);
    assert.deepEqual(doc.notes?.map((n) => n.text), ['blur the faces before the swap']);
    await page.close();

    const again = await openEditor(browser.context, e2e.server, 'habits.json', pageErrors);
    await again.locator('[data-testid=node-t].bypassed').waitFor();
    await again.locator('[data-testid=node-enc].collapsed').waitFor();
    await again.locator('[data-testid=group-group1] .ff-group-title', { hasText: 'Checks' }).waitFor();
    assert.equal(await again.locator('[data-testid=note-note1] textarea').inputValue(), 'blur the faces before the swap');
    await again.close();
  });

  test('Alt-drag clones; a link dropped on a node body takes its first free compatible port; a link lifted from a connected input is removed', async () => {
    const page = await open();
    // Alt-drag t: a copy where it was dropped, t where it was; one undo removes the copy.
    const t = await settledBox(page, '[data-testid=node-t] .ff-node-header');
    await page.keyboard.down('Alt');
    await page.mouse.move(t.x + 20, t.y + 10);
    await page.mouse.down();
    await page.mouse.move(t.x + 80, t.y + 200, { steps: 8 });
    // React Flow applies a move on the next frame: let the last one land before letting go.
    await page.waitForTimeout(100);
    await page.mouse.move(t.x + 80, t.y + 201);
    await page.waitForTimeout(100);
    await page.mouse.up();
    await page.keyboard.up('Alt');
    await page.locator('[data-testid=node-testTransform]').waitFor();
    // The original goes back to where it was (React Flow draws it there on the next frame or two).
    let after = (await page.locator('[data-testid=node-t] .ff-node-header').boundingBox())!;
    for (let i = 0; i < 20 && !(Math.abs(after.x - t.x) < 2 && Math.abs(after.y - t.y) < 2); i++) {
      await page.waitForTimeout(100);
      after = (await page.locator('[data-testid=node-t] .ff-node-header').boundingBox())!;
    }
    assert.ok(Math.abs(after.x - t.x) < 2 && Math.abs(after.y - t.y) < 2, `the original stays where it was (${after.x},${after.y})`);
    const copy = (await page.locator('[data-testid=node-testTransform] .ff-node-header').boundingBox())!;
    assert.ok(Math.abs(copy.x - (t.x + 60)) < 30 && copy.y > t.y + 120, `the copy is where it was dropped (${copy.x},${copy.y}; t was at ${t.x},${t.y})`);

    // Drop a link from src.frames on the copy's body: it connects to its (free) frames input.
    await drag(page, handle('src', 'source', 'frames'), '[data-testid=node-testTransform] .ff-node-header');
    await expectEdges(page, 4);
    assert.equal(await page.locator('[data-testid="rf__edge-src.frames->testTransform.frames"]').count(), 1, 'src.frames feeds the copy');

    // Drag from the connected input sink.frames and let go on empty canvas: the link is gone, in one undo step.
    const pane = (await page.locator('.react-flow__pane').boundingBox())!;
    await drag(page, handle('sink', 'target', 'frames'), await emptyCanvasPoint(page, { x: pane.x + pane.width - 60, y: pane.y + 40 }));
    await expectEdges(page, 3, 'the lifted link is removed');
    assert.equal(await page.locator('.ff-quickadd').count(), 0, 'no search opens for a lifted link');
    await undo(page);
    await expectEdges(page, 4);
    await page.close();
  });

  test('parameters on the node: a number, an enum and a toggle edit the graph; a file parameter opens the inspector', async () => {
    const page = await open();
    await page.fill('#widget-src-frames', '12');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=dirty]').waitFor();
    await page.locator('[data-testid=node-enc] .ff-node-header').click();
    await page.locator('[data-testid=inspector]').waitFor();
    // The inspector shows the value set on the node (one model, two views).
    await page.locator('[data-testid=node-src] .ff-node-header').click();
    assert.equal(await page.locator('#param-src-frames').inputValue(), '12');
    const enumWidget = page.locator('[data-testid=widgets-enc] select').first();
    const options = await enumWidget.locator('option').allInnerTexts();
    await enumWidget.selectOption({ index: options.length - 1 });
    await page.locator('[data-testid=widgets-enc] .ff-widget-pick').first().click();
    await page.locator('#param-enc-path').waitFor();
    await page.keyboard.press('Control+s');
    await page.locator('[data-testid=dirty]').waitFor({ state: 'detached' });
    const doc = saved('e2e.json');
    assert.equal(doc.nodes.find((n) => n.id === 'src')!.params.frames, 12);
    assert.ok(Object.keys(doc.nodes.find((n) => n.id === 'enc')!.params).length > 2, 'the enum widget set a parameter');
    await page.close();
  });

  test('the graph JSON beside the canvas: checked as typed (line and column), applied as one undo step; a share link carries the graph', async () => {
    const page = await open();
    await page.click('[data-testid=json-tab]');
    const text = page.locator('[aria-label="Graph JSON"]');
    assert.match(await text.inputValue(), /"name": "e2e"/);
    const doc = JSON.parse(await text.inputValue()) as GraphDocument;
    await text.fill('{\n  "schemaVersion": 1,\n  "nodes": [\n}');
    await page.locator('[data-testid=json-status]', { hasText: /line 4, column 1/ }).waitFor();
    assert.equal(await page.locator('[data-testid=json-apply]').isDisabled(), true);
    await text.fill(JSON.stringify({ ...doc, nodes: [{ id: 'x' }] }));
    await page.locator('[data-testid=json-status]', { hasText: /FF_SCHEMA .*type/ }).waitFor();
    // Valid: the sink and its edge removed, the graph renamed; applied, then undone in one step.
    const typed = { ...doc, name: 'typed', nodes: doc.nodes.filter((n) => n.id !== 'sink'), edges: doc.edges.filter((e) => e.to.node !== 'sink') };
    await text.fill(JSON.stringify(typed, null, 2));
    await page.locator('[data-testid=json-status]', { hasText: 'Valid graph JSON' }).waitFor();
    await page.click('[data-testid=json-apply]');
    await page.locator('[data-testid=node-sink]').waitFor({ state: 'detached' });
    await expectEdges(page, 2);
    await page.locator('.react-flow__pane').click({ position: { x: 30, y: 30 } });
    await undo(page);
    await page.locator('[data-testid=node-sink]').waitFor();
    await expectEdges(page, 3);
    assert.match(await text.inputValue(), /"name": "e2e"/, 'the JSON follows the canvas again');

    // The share link: the whole graph in the fragment, opened by another page with no file on the server.
    await page.click('[data-testid=share-link]');
    const link = await page.locator('[aria-label="Share link"]').inputValue();
    assert.match(link, /#graph=[A-Za-z0-9_-]+$/);
    assert.doesNotMatch(link, /token=/, 'the link does not carry the access token');
    await page.close();
    const [base, fragment] = link.split('#');
    const shared = await browser.context.newPage();
    shared.on('pageerror', (e) => pageErrors.push(e.message));
    await shared.goto(`${base}?token=${e2e.server.token}#${fragment}`);
    await shared.locator('.ff-node').nth(3).waitFor();
    assert.equal(await shared.locator('[data-testid=node-sink]').count(), 1);
    assert.equal(new URL(shared.url()).hash, '', 'the fragment is cleared once read');
    await shared.close();
    // A damaged link (a new page: a change of fragment alone does not reload) says so.
    const damaged = await browser.context.newPage();
    damaged.on('pageerror', (e) => pageErrors.push(e.message));
    await damaged.goto(`${base}?token=${e2e.server.token}#graph=${fragment!.slice(6, 40)}`);
    await damaged.locator('.ff-toast.error', { hasText: 'Cannot open the shared graph' }).waitFor();
    await damaged.close();
  });

  test('at 1280x720 the palette starts folded, both panels fold and unfold, and the graph opens at a readable zoom', async () => {
    const page = await browser.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(`${e2e.server.url}/?graph=e2e.json&token=${e2e.server.token}`);
    await page.locator('.ff-node').nth(3).waitFor();
    assert.equal(await page.locator('.ff-palette').isVisible(), false, 'the palette starts folded');
    assert.ok((await page.locator('.ff-canvas').boundingBox())!.width > 850, 'the canvas keeps the room');
    await page.waitForTimeout(300);
    const scale = Number((await page.locator('.react-flow__viewport').getAttribute('style'))!.match(/scale\(([\d.]+)\)/)![1]);
    assert.ok(scale >= 0.6, `the graph opens at a readable zoom (${scale})`);
    await page.click('[data-testid=toggle-palette]');
    await page.locator('.ff-palette').waitFor();
    await page.click('[data-testid=toggle-side]');
    await page.locator('.ff-side').waitFor({ state: 'hidden' });
    await page.click('[data-testid=toggle-side]');
    await page.locator('.ff-side').waitFor();
    await page.close();
  });

  test('graphs open as tabs, each with its own undo history and unsaved mark; a copy in one tab pastes in another', async () => {
    const page = await open();
    // Tab 1: delete the sink (unsaved), copy t.
    await page.locator('[data-testid=node-sink] .ff-node-header').click();
    await page.keyboard.press('Delete');
    await page.locator('[data-testid=node-sink]').waitFor({ state: 'detached' });
    await page.locator('[data-testid=tab-dirty]').waitFor();
    await page.locator('[data-testid=node-t] .ff-node-header').click();
    await page.keyboard.press('Control+c');
    // Tab 2: empty, nothing unsaved; the copy pastes here.
    await page.click('[data-testid=new-tab]');
    await page.locator('.ff-empty-hint').waitFor();
    assert.equal(await page.locator('[data-testid=graph-tab]').count(), 2);
    assert.equal(await page.locator('[data-testid=tab-dirty]').count(), 1, 'only the first tab is unsaved');
    const pane = (await page.locator('.react-flow__pane').boundingBox())!;
    await page.mouse.move(pane.x + 300, pane.y + 200);
    await page.keyboard.press('Control+v');
    await page.locator('[data-testid=node-testTransform]').waitFor();
    assert.equal(await page.locator('[data-testid=tab-dirty]').count(), 2);
    // Undo in tab 2 takes back the paste only; tab 1 keeps its own history.
    await undo(page);
    await page.locator('[data-testid=node-testTransform]').waitFor({ state: 'detached' });
    await undo(page);
    await page.locator('[data-testid=graph-tab]').first().click();
    await page.locator('[data-testid=node-t]').waitFor();
    assert.equal(await page.locator('[data-testid=node-sink]').count(), 0, 'tab 1 still has the sink deleted');
    await page.locator('.react-flow__pane').click({ position: { x: 30, y: 30 } });
    await undo(page);
    await page.locator('[data-testid=node-sink]').waitFor();
    await expectEdges(page, 3, 'one undo in tab 1 brings the sink back with its edge');
    await page.close();
  });

  test('open tabs, and unsaved changes in them, survive a reload of the page', async () => {
    const page = await open();
    // Tab 1: e2e.json with the sink deleted, not saved. Tab 2: a new graph with a node added.
    await page.locator('[data-testid=node-sink] .ff-node-header').click();
    await page.keyboard.press('Delete');
    await page.locator('[data-testid=node-sink]').waitFor({ state: 'detached' });
    await page.click('[data-testid=new-tab]');
    await page.locator('.ff-empty-hint').waitFor();
    await page.fill('.ff-search', 'chcksm');
    await page.locator('.ff-palette-item').first().dblclick();
    await page.locator('[data-testid=node-testChecksum]').waitFor();
    await page.locator('[data-testid=graph-tab]').first().click();
    await page.locator('[data-testid=node-t]').waitFor();
    // Leaving with unsaved changes asks first: accept.
    page.on('dialog', (d) => void d.accept());
    await page.reload();
    await page.locator('[data-testid=node-t]').waitFor();
    assert.equal(await page.locator('[data-testid=graph-tab]').count(), 2);
    assert.equal(await page.locator('[data-testid=node-sink]').count(), 0, 'the unsaved delete came back');
    assert.equal(await page.locator('[data-testid=tab-dirty]').count(), 2, 'both tabs still unsaved');
    assert.match(page.url(), /graph=e2e\.json/);
    await page.locator('[data-testid=graph-tab]').nth(1).click();
    await page.locator('[data-testid=node-testChecksum]').waitFor();
    await page.close();
  });

  test('a selected group resizes by its handles as one undo step; its nodes stay where they are', async () => {
    const page = await open();
    await page.locator('[data-testid=node-t] .ff-node-header').click();
    await page.locator('[data-testid=node-sink] .ff-node-header').click({ modifiers: ['Control'] });
    await menu(page, '[data-testid=node-sink] .ff-node-header');
    await pick(page, 'Group');
    const group = page.locator('[data-testid=group-group1]');
    await group.waitFor();
    await page.locator('[data-testid=group-group1] .ff-group-title').click();
    const corner = page.locator('.react-flow__resize-control.handle.bottom.right');
    await corner.waitFor();
    const before = await settledBox(page, '[data-testid=group-group1]');
    const t = await settledBox(page, '[data-testid=node-t]');
    const h = (await corner.boundingBox())!;
    await page.mouse.move(h.x + h.width / 2, h.y + h.height / 2);
    await page.mouse.down();
    await page.mouse.move(h.x + 60, h.y + 40, { steps: 4 });
    await page.mouse.move(h.x + 120, h.y + 80, { steps: 6 });
    await page.mouse.up();
    const after = await settledBox(page, '[data-testid=group-group1]');
    assert.ok(after.width > before.width + 60 && after.height > before.height + 40, `the group grew: ${before.width}x${before.height} -> ${after.width}x${after.height}`);
    assert.ok(Math.abs(after.x - before.x) < 2 && Math.abs(after.y - before.y) < 2, 'its top-left corner stayed');
    const tAfter = await settledBox(page, '[data-testid=node-t]');
    assert.ok(Math.abs(tAfter.x - t.x) < 2 && Math.abs(tAfter.y - t.y) < 2, 'its nodes stayed');
    // One undo: back to the size it had; a second takes the group away.
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await undo(page);
    await page.waitForFunction(`Math.abs(document.querySelector('[data-testid=group-group1]').getBoundingClientRect().width - ${before.width}) < 2`, undefined, { timeout: 5000 });
    await undo(page);
    await group.waitFor({ state: 'detached' });
    await page.close();
  });
});
