/**
 * Several graphs open as tabs, as in VS Code: the graph on the canvas is the active tab
 * (use-graph); the others wait as snapshots with their own document, undo history, file
 * name and unsaved mark. Switching tabs swaps snapshots; nothing is lost or shared between
 * tabs except the clipboard.
 */
import { useCallback, useState } from 'react';
import { emptyEditHistory } from '../../src/model/edit-history.ts';
import { emptyDocument } from './graph-model.ts';
import type { GraphSnapshot, GraphState } from './use-graph.ts';

export interface TabInfo {
  key: number;
  title: string;
  dirty: boolean;
}

let nextKey = 1;

export function useGraphTabs(graph: GraphState, onSwitched: (fileName: string | null) => void) {
  /** Every tab in order; the active one's snapshot is stale (the live state is in `graph`). */
  const [tabs, setTabs] = useState<{ key: number; snap: GraphSnapshot | null }[]>(() => [{ key: 0, snap: null }]);
  const [active, setActive] = useState(0);

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
