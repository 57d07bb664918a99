/**
 * Several graphs open as tabs, as in VS Code: the graph on the canvas is the active tab
 * (use-graph); the others wait as snapshots with their own document, undo history, file
 * name and unsaved mark. Switching tabs swaps snapshots; nothing is lost or shared between
 * tabs except the clipboard. The tabs are kept across a reload of the page (tab-session.ts).
 */
import { useCallback, useEffect, useState } from 'react';
import { keepTabs, keptOf, keptTabs, snapshotOf } from './tab-session.ts';
import { SHARE_PREFIX } from './share-link.ts';
import { emptyEditHistory } from '../../src/model/edit-history.ts';
import { emptyDocument } from './graph-model.ts';
import type { GraphSnapshot, GraphState } from './use-graph.ts';

export interface TabInfo {
  key: number;
  title: string;
  dirty: boolean;
}

let nextKey = 1;

/**
 * The tabs kept before a reload. The active one's state is left to the start (use-graph-file)
 * when the address still names its graph; when it names another (or carries a share link),
 * the kept tabs all stay as they were and the address's graph opens in a new tab.
 */
function initialTabs(): { tabs: { key: number; snap: GraphSnapshot | null }[]; active: number } {
  const kept = keptTabs();
  if (!kept) return { tabs: [{ key: 0, snap: null }], active: 0 };
  const wanted = new URLSearchParams(window.location.search).get('graph');
  const same = !window.location.hash.startsWith(SHARE_PREFIX) && kept.tabs[kept.active]!.fileName === wanted;
  const tabs = kept.tabs.map((t, i) => ({ key: nextKey++, snap: same && i === kept.active ? null : snapshotOf(t) }));
  if (same) return { tabs, active: tabs[kept.active]!.key };
  const fresh = { key: nextKey++, snap: null };
  return { tabs: [...tabs, fresh], active: fresh.key };
}

/** `keep`: whether the tabs may be written for the next reload (not before the start has loaded its graph). */
export function useGraphTabs(graph: GraphState, onSwitched: (fileName: string | null) => void, keep: boolean) {
  const [initial] = useState(initialTabs);
  /** Every tab in order; the active one's snapshot is stale (the live state is in `graph`). */
  const [tabs, setTabs] = useState<{ key: number; snap: GraphSnapshot | null }[]>(initial.tabs);
  const [active, setActive] = useState(initial.active);

  // Kept for a reload at every change (a graph is small): a reload right after a save finds the saved state.
  const { document: doc, fileName, dirty, snapshot } = graph;
  useEffect(() => {
    if (!keep) return;
    keepTabs({ active: tabs.findIndex((t) => t.key === active), tabs: tabs.map((t) => keptOf(t.key === active || !t.snap ? snapshot() : t.snap)) });
  }, [keep, tabs, active, doc, fileName, dirty, snapshot]);

  const switchTo = useCallback((key: number) => {
    if (key === active) return;
    const target = tabs.find((t) => t.key === key);
    if (!target?.snap) return;
    const mine = graph.snapshot();
    setTabs((list) => list.map((t) => (t.key === active ? { ...t, snap: mine } : t)));
    graph.restore(target.snap);
    setActive(key);
    onSwitched(target.snap.fileName);
  }, [active, tabs, graph, onSwitched]);

  const newTab = useCallback(() => {
    const mine = graph.snapshot();
    const key = nextKey++;
    const empty = JSON.stringify(emptyDocument());
    setTabs((list) => [...list.map((t) => (t.key === active ? { ...t, snap: mine } : t)), { key, snap: null }]);
    graph.restore({ edited: { doc: emptyDocument(), history: emptyEditHistory() }, fileName: null, savedText: empty });
    setActive(key);
    onSwitched(null);
  }, [active, graph, onSwitched]);

  /** Closes a tab (asking first when it has unsaved changes); the last tab stays. */
  const closeTab = useCallback((key: number) => {
    if (tabs.length === 1) return;
    const index = tabs.findIndex((t) => t.key === key);
    const tab = tabs[index];
    if (!tab) return;
    const dirty = key === active ? graph.dirty : JSON.stringify(tab.snap!.edited.doc) !== tab.snap!.savedText;
    if (dirty && !window.confirm('This tab has unsaved changes. Close it anyway?')) return;
    if (key === active) {
      const next = tabs[index + 1] ?? tabs[index - 1]!;
      graph.restore(next.snap!);
      setActive(next.key);
      onSwitched(next.snap!.fileName);
    }
    setTabs((list) => list.filter((t) => t.key !== key));
  }, [tabs, active, graph, onSwitched]);

  const infos: TabInfo[] = tabs.map((t) => {
    if (t.key === active || !t.snap) return { key: t.key, title: graph.fileName ?? graph.document.name, dirty: graph.dirty };
    return { key: t.key, title: t.snap.fileName ?? t.snap.edited.doc.name, dirty: JSON.stringify(t.snap.edited.doc) !== t.snap.savedText };
  });
  return { tabs: infos, active, switchTo, newTab, closeTab };
}
