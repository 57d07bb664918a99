/**
 * What the right-click menu offers on a node (or the selection it belongs to), on a group,
 * on a note and on empty canvas. Every action is one typed edit (one undo step); renaming
 * asks for the name first.
 */
import type { GraphEdit } from '../../../src/model/graph-edits.ts';
import { zNodeId } from '../../../src/model/document.ts';
import { addNoteEdit, GROUP_PREFIX, groupAroundEdit, nodeBoxes, NOTE_PREFIX, removeAnnotationsEdits, updateGroupEdit } from '../annotations.ts';
import { colorEdit, duplicateEdit, NODE_COLORS, toggleFlagEdit } from '../node-actions.ts';
import type { GraphState } from '../use-graph.ts';
import { ContextMenu, type MenuItem, type MenuSwatches } from './ContextMenu.tsx';

export type MenuTarget = { kind: 'nodes'; ids: string[] } | { kind: 'canvas' } | { kind: 'group'; id: string } | { kind: 'note'; id: string };

export interface MenuAt {
  target: MenuTarget;
  screen: { x: number; y: number };
  flow: { x: number; y: number };
}

/** A request for a line of text, answered by a PromptDialog. */
export interface PromptRequest {
  title: string;
  label: string;
  initial: string;
  check?: (value: string) => string | null;
  onOk: (value: string) => void;
}

interface Props {
  at: MenuAt;
  graph: GraphState;
  onQuickAdd: (screen: { x: number; y: number }, flow: { x: number; y: number }) => void;
  onPaste: (flow: { x: number; y: number }) => void;
  onPrompt: (request: PromptRequest) => void;
  onClose: () => void;
}

/** The id check a rename uses: the document's own rule, and not an id another node has. */
export function nodeIdProblem(graph: GraphState, current: string, value: string): string | null {
  if (!zNodeId.safeParse(value).success) return 'An id starts with a letter or _, then letters, digits, _ and -.';
  if (value !== current && graph.document.nodes.some((n) => n.id === value)) return `A node "${value}" is already in the graph.`;
  return null;
}

export function CanvasMenu({ at, graph, onQuickAdd, onPaste, onPrompt, onClose }: Props) {
  const doc = graph.document;
  const apply = (edit: GraphEdit | null, select?: string[]) => edit && graph.apply(edit, select ? { select } : {});
  const addHere: MenuItem = { label: 'Add node here…', keys: 'dbl-click', run: () => onQuickAdd(at.screen, at.flow) };
  const { target } = at;
  let title: string;
  let items: (MenuItem | 'separator')[];
  let swatches: MenuSwatches | undefined;

  if (target.kind === 'nodes') {
    const ids = target.ids;
    const nodes = doc.nodes.filter((n) => ids.includes(n.id));
    const one = nodes.length === 1 ? nodes[0]! : null;
    title = one ? `${one.type} “${one.id}”` : `${nodes.length} nodes`;
    const allBypassed = nodes.every((n) => n.bypass === true);
    const allCollapsed = nodes.every((n) => n.collapsed === true);
    items = [
      ...(one
        ? [{
            label: 'Rename…',
            keys: 'F2',
            run: () => onPrompt({ title: 'Rename node', label: 'Node id', initial: one.id, check: (v) => nodeIdProblem(graph, one.id, v), onOk: (v) => v !== one.id && apply({ type: 'renameNode', id: one.id, to: v }, [v]) }),
          }]
        : []),
      { label: 'Duplicate', keys: 'Ctrl+D', run: () => { const dup = duplicateEdit(doc, ids); if (dup) apply(dup.edit, dup.ids); } },
      { label: allBypassed ? 'Remove bypass' : 'Bypass', keys: 'Ctrl+B', run: () => apply(toggleFlagEdit(doc, ids, 'bypass')) },
      { label: allCollapsed ? 'Expand' : 'Collapse', keys: 'Alt+C', run: () => apply(toggleFlagEdit(doc, ids, 'collapsed')) },
      { label: 'Group', keys: 'Ctrl+G', run: () => { const g = groupAroundEdit(doc, ids, nodeBoxes(doc, graph.view.measured), 'Group'); if (g) apply(g.edit, [g.id]); } },
      'separator',
      addHere,
      { label: nodes.length > 1 ? `Delete ${nodes.length} nodes` : 'Delete', keys: 'Del', danger: true, run: () => graph.remove(ids, []) },
    ];
    swatches = { label: 'Colour', colors: NODE_COLORS, pick: (c) => apply(colorEdit(doc, ids, c)) };
  } else if (target.kind === 'group') {
    const group = (doc.groups ?? []).find((g) => g.id === target.id);
    title = `Group “${group?.title ?? target.id}”`;
    items = [
      { label: 'Rename group…', run: () => onPrompt({ title: 'Rename group', label: 'Group title', initial: group?.title ?? '', check: (v) => (v.length > 200 ? 'At most 200 characters.' : null), onOk: (v) => apply(updateGroupEdit(doc, target.id, { title: v })) }) },
      addHere,
      { label: 'Remove group (keep its nodes)', danger: true, run: () => apply({ type: 'batch', edits: removeAnnotationsEdits(doc, [`${GROUP_PREFIX}${target.id}`]) }) },
    ];
    swatches = { label: 'Colour', colors: NODE_COLORS, pick: (c) => apply(updateGroupEdit(doc, target.id, c === null ? { color: undefined } : { color: c })) };
  } else if (target.kind === 'note') {
    title = 'Note';
    items = [{ label: 'Delete note', danger: true, run: () => apply({ type: 'batch', edits: removeAnnotationsEdits(doc, [`${NOTE_PREFIX}${target.id}`]) }) }];
  } else {
    title = 'Canvas';
    items = [
      addHere,
      { label: 'Add note here', run: () => { const n = addNoteEdit(doc, at.flow); apply(n.edit, [n.id]); } },
      { label: 'Add group here', run: () => apply({ type: 'setField', field: 'groups', value: [...(doc.groups ?? []), { id: nextGroupId(doc.groups ?? []), title: 'Group', rect: { x: Math.round(at.flow.x), y: Math.round(at.flow.y), width: 480, height: 280 } }] }) },
      { label: 'Paste here', keys: 'Ctrl+V', run: () => onPaste(at.flow) },
      'separator',
      { label: 'Select all', keys: 'Ctrl+A', run: () => graph.select(doc.nodes.map((n) => n.id)) },
    ];
  }
  return <ContextMenu x={at.screen.x} y={at.screen.y} title={title} items={items} {...(swatches ? { swatches } : {})} onClose={onClose} />;
}

function nextGroupId(groups: readonly { id: string }[]): string {
  const used = new Set(groups.map((g) => g.id));
  for (let i = 1; ; i++) if (!used.has(`group${i}`)) return `group${i}`;
}
