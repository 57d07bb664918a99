/**
 * The editor's keyboard shortcuts. Edit shortcuts (undo, copy, paste...) are left to a text
 * field that has the focus; save, open and run work everywhere.
 */
import { useEffect, useRef } from 'react';
import { copySelection, pasteEdit, type ClipboardContent } from './clipboard.ts';
import type { GraphState } from './use-graph.ts';

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

export interface ShortcutActions {
  save: () => void;
  saveAs: () => void;
  open: () => void;
  run: () => void;
  quickAdd: () => void;
  fitView: () => void;
  commandPalette: () => void;
}

export function useShortcuts(graph: GraphState, actions: ShortcutActions): void {
  /** What was copied, and how often it was pasted since: each paste lands 40 px further on. */
  const clipboard = useRef<{ content: ClipboardContent; pasted: number } | null>(null);
  // The listener reads the latest graph and actions, so it is added once, not again on every render.
  const latest = useRef({ graph, actions });
  latest.current = { graph, actions };
  useEffect(() => {
    const copy = (graph: GraphState) => {
      const content = copySelection(graph.document, graph.view.selectedNodes);
      clipboard.current = content && { content, pasted: 0 };
      return content !== null;
    };
    const onKey = (e: KeyboardEvent) => {
      const { graph, actions } = latest.current;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && e.shiftKey && key === 'p') {
        e.preventDefault();
        actions.commandPalette();
      } else if (mod && key === 's') {
        e.preventDefault();
        if (e.shiftKey) actions.saveAs();
        else actions.save();
      } else if (mod && key === 'enter') {
        e.preventDefault();
        actions.run();
      } else if (mod && key === 'o') {
        e.preventDefault();
        actions.open();
      } else if (isTyping(e.target)) {
        return;
      } else if (mod && key === 'z') {
        e.preventDefault();
        if (e.shiftKey) graph.redo();
        else graph.undo();
      } else if (mod && key === 'y') {
        e.preventDefault();
        graph.redo();
      } else if (mod && key === 'c') {
        copy(graph);
      } else if (mod && key === 'x') {
        if (copy(graph)) graph.remove([...graph.view.selectedNodes], [...graph.view.selectedEdges]);
      } else if (mod && key === 'v') {
        const copied = clipboard.current;
        if (!copied) return;
        const { edit, ids } = pasteEdit(copied.content, graph.document, 40 * (copied.pasted + 1));
        if (graph.apply(edit, { select: ids })) copied.pasted++;
      } else if (mod && key === 'a') {
        e.preventDefault();
        graph.select(graph.document.nodes.map((n) => n.id));
      } else if (!mod && (key === 'tab' || key === ' ' || key === '/')) {
        e.preventDefault();
        actions.quickAdd();
      } else if (!mod && key === 'f') {
        actions.fitView();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
