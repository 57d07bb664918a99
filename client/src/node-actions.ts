/**
 * What the right-click menu (and its shortcuts) does to nodes, each as one typed edit, so
 * one undo step: duplicate, bypass, collapse, colour. A toggle over several nodes turns the
 * flag on unless every one of them has it already (then off), as in ComfyUI.
 */
import type { GraphEdit } from '../../src/model/graph-edits.ts';
import { copySelection, pasteEdit } from './clipboard.ts';
import { groupAroundEdit, nodeBoxes } from './annotations.ts';
import type { GraphState } from './use-graph.ts';
import type { GraphDocument } from './types.ts';

/** The colours the menu offers, named as ComfyUI names them. */
export const NODE_COLORS: readonly { name: string; value: string }[] = [
  { name: 'red', value: '#b5403f' },
  { name: 'brown', value: '#8a5a2b' },
  { name: 'green', value: '#3f7d3f' },
  { name: 'blue', value: '#3b5ea8' },
  { name: 'pale blue', value: '#4f8a9e' },
  { name: 'cyan', value: '#2f8c88' },
  { name: 'purple', value: '#7a4fa8' },
  { name: 'yellow', value: '#a8902f' },
];

const present = (doc: GraphDocument, ids: readonly string[]) => doc.nodes.filter((n) => ids.includes(n.id));

export function duplicateEdit(doc: GraphDocument, ids: readonly string[]): { edit: GraphEdit; ids: string[] } | null {
  const content = copySelection(doc, new Set(ids));
  return content && pasteEdit(content, doc, 40);
}

export function toggleFlagEdit(doc: GraphDocument, ids: readonly string[], field: 'bypass' | 'collapsed'): GraphEdit | null {
  const nodes = present(doc, ids);
  if (nodes.length === 0) return null;
  const on = !nodes.every((n) => n[field] === true);
  return { type: 'batch', edits: nodes.map((n): GraphEdit => (on ? { type: 'setNodeField', id: n.id, field, value: true } : { type: 'setNodeField', id: n.id, field })) };
}

/** Colours the nodes; `null` gives them their default colour back. */
export function colorEdit(doc: GraphDocument, ids: readonly string[], color: string | null): GraphEdit | null {
  const nodes = present(doc, ids);
  if (nodes.length === 0) return null;
  return { type: 'batch', edits: nodes.map((n): GraphEdit => (color === null ? { type: 'setNodeField', id: n.id, field: 'color' } : { type: 'setNodeField', id: n.id, field: 'color', value: color })) };
}

/** The selection's actions as the command palette runs them (the same edits as the menu and the shortcuts). */
export function selectionActions(graph: GraphState): Record<'bypass' | 'duplicate' | 'collapse' | 'group', () => void> {
  const ids = () => [...graph.view.selectedNodes].filter((id) => graph.document.nodes.some((n) => n.id === id));
  const run = (edit: GraphEdit | null, select?: string[]) => edit && graph.apply(edit, select ? { select } : {});
  return {
    bypass: () => run(toggleFlagEdit(graph.document, ids(), 'bypass')),
    collapse: () => run(toggleFlagEdit(graph.document, ids(), 'collapsed')),
    duplicate: () => {
      const dup = duplicateEdit(graph.document, ids());
      if (dup) run(dup.edit, dup.ids);
    },
    group: () => {
      const g = groupAroundEdit(graph.document, ids(), nodeBoxes(graph.document, graph.view.measured), 'Group');
      if (g) run(g.edit, [g.id]);
    },
  };
}
