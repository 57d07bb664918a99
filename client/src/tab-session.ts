/**
 * Open tabs survive a reload of the page: each tab's graph, file name and last saved text are
 * kept in sessionStorage (this browser tab only, as VS Code keeps a window's editors), read
 * once when the editor starts. A tab with unsaved changes comes back with them; undo history
 * starts afresh. What is read back is checked with the document schema, and anything that
 * does not parse is dropped: the editor then starts as if nothing was kept.
 */
import { z } from 'zod';
import { zGraphDocument } from '../../src/model/document.ts';
import { emptyEditHistory } from '../../src/model/edit-history.ts';
import type { GraphSnapshot } from './use-graph.ts';

const KEY = 'framefuse.tabs';

const zKeptTab = z.object({ fileName: z.string().nullable(), doc: zGraphDocument, savedText: z.string() });
const zKept = z.object({ active: z.number().int().min(0), tabs: z.array(zKeptTab).min(1).max(50) });
export type KeptTabs = z.infer<typeof zKept>;
export type KeptTab = z.infer<typeof zKeptTab>;

let kept: KeptTabs | null | undefined;

/**
 * The saved text as the schema writes it, like the document read back: the unsaved mark
 * compares the two as text, and the schema may order keys otherwise than the file did.
 */
function normalised(tab: KeptTab): KeptTab {
  try {
    const saved = zGraphDocument.safeParse(JSON.parse(tab.savedText));
    return saved.success ? { ...tab, savedText: JSON.stringify(saved.data) } : tab;
  } catch {
    return tab;
  }
}

/** The tabs kept before the reload, read once per page (null: none, or unreadable). */
export function keptTabs(): KeptTabs | null {
  if (kept === undefined) {
    try {
      const parsed = zKept.safeParse(JSON.parse(sessionStorage.getItem(KEY) ?? 'null'));
      kept = parsed.success && parsed.data.active < parsed.data.tabs.length ? { ...parsed.data, tabs: parsed.data.tabs.map(normalised) } : null;
    } catch {
      kept = null;
    }
  }
  return kept;
}

/**
 * The kept active tab, when it had unsaved changes to the graph the address names (`wanted`:
 * ?graph=, null for a graph not saved to a file yet). A clean one is read from the server
 * again instead: the file may have changed since.
 */
export function unsavedActiveTab(wanted: string | null): KeptTab | null {
  const tabs = keptTabs();
  const tab = tabs?.tabs[tabs.active];
  if (!tab || tab.fileName !== wanted) return null;
  return JSON.stringify(tab.doc) !== tab.savedText ? tab : null;
}

export function keepTabs(value: KeptTabs): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(value));
  } catch {
    // Storage full or refused: the tabs just do not survive a reload.
  }
}

export const snapshotOf = (tab: KeptTab): GraphSnapshot => ({ edited: { doc: tab.doc, history: emptyEditHistory() }, fileName: tab.fileName, savedText: tab.savedText });
export const keptOf = (snap: GraphSnapshot): KeptTab => ({ fileName: snap.fileName, doc: snap.edited.doc, savedText: snap.savedText });
