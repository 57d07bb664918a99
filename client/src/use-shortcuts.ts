/**
 * The editor's keyboard shortcuts. Edit shortcuts (undo, copy, paste...) are left to a text
 * field that has the focus; save, open and run work everywhere.
 */
import { useEffect, useRef } from 'react';
import { copySelection, pasteEdit } from './clipboard.ts';
import { groupAroundEdit, nodeBoxes } from './annotations.ts';
import { duplicateEdit, toggleFlagEdit } from './node-actions.ts';
import { canvasPointer, offsetTo, readClipboard, writeClipboard } from './shared-clipboard.ts';
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
  /** How often the clipboard's text was pasted without the pointer on the canvas: each such paste lands 40 px further on. */
  const pasted = useRef<{ text: string; count: number }>({ text: '', count: 0 });
  // The listener reads the latest graph and actions, so it is added once, not again on every render.
  const latest = useRef({ graph, actions });
  latest.current = { graph, actions };
  useEffect(() => {
    const copy = (graph: GraphState) => {
      const content = copySelection(graph.document, graph.view.selectedNodes);
      if (content) writeClipboard(content);
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
        const copied = readClipboard();
        if (!copied) return;
        if (pasted.current.text !== copied.text) pasted.current = { text: copied.text, count: 0 };
        // At the cursor when it is over the canvas, else 40 px further on each time.
        const offset = canvasPointer.at ? offsetTo(copied.content, canvasPointer.at) : 40 * (pasted.current.count + 1);
        const { edit, ids } = pasteEdit(copied.content, graph.document, offset);
        if (graph.apply(edit, { select: ids })) pasted.current.count++;
      } else if (mod && key === 'd') {
        e.preventDefault();
        const dup = duplicateEdit(graph.document, [...graph.view.selectedNodes]);
        if (dup) graph.apply(dup.edit, { select: dup.ids });
      } else if (mod && key === 'b') {
        e.preventDefault();
        const edit = toggleFlagEdit(graph.document, [...graph.view.selectedNodes], 'bypass');
        if (edit) graph.apply(edit);
      } else if (e.altKey && key === 'c') {
        e.preventDefault();
        const edit = toggleFlagEdit(graph.document, [...graph.view.selectedNodes], 'collapsed');
        if (edit) graph.apply(edit);
      } else if (mod && key === 'g') {
        e.preventDefault();
        const group = groupAroundEdit(graph.document, [...graph.view.selectedNodes], nodeBoxes(graph.document, graph.view.measured), 'Group');
        if (group) graph.apply(group.edit, { select: [group.id] });
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
