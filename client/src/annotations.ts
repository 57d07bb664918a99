/**
 * Groups and notes: the document's `groups` and `notes` lists drawn as canvas shapes
 * (`group:<id>` behind the nodes, `note:<id>` beside them), and the edits that change them.
 * Each change rewrites the list in one `setField` edit, so it is one undo step; moving a
 * group moves the nodes inside it in the same step.
 */
import type { Node } from '@xyflow/react';
import type { GraphEdit } from '../../src/model/graph-edits.ts';
import type { GraphGroup, GraphNote } from '../../src/model/document.ts';
import { defaultPosition } from './graph-model.ts';
import type { GraphDocument } from './types.ts';

export const GROUP_PREFIX = 'group:';
export const NOTE_PREFIX = 'note:';
export const isAnnotationId = (id: string) => id.startsWith(GROUP_PREFIX) || id.startsWith(NOTE_PREFIX);

export interface GroupData extends Record<string, unknown> {
  group: GraphGroup;
}
export interface NoteData extends Record<string, unknown> {
  note: GraphNote;
}
export type GroupNode = Node<GroupData, 'ffgroup'>;
export type NoteNode = Node<NoteData, 'ffnote'>;

/** The canvas shapes of the groups and notes; `dragging` holds positions of a drag in progress. */
export function annotationNodes(
  doc: GraphDocument,
  selected: ReadonlySet<string>,
  dragging: ReadonlyMap<string, { x: number; y: number }>,
  measured: ReadonlyMap<string, { width: number; height: number }>,
  resizing: ReadonlyMap<string, { width: number; height: number }> = new Map(),
): (GroupNode | NoteNode)[] {
  // React Flow shows a node once it has its measured size, which the view keeps.
  const size = (id: string) => (measured.has(id) ? { measured: measured.get(id)! } : {});
  const groups = (doc.groups ?? []).map((g): GroupNode => {
    const id = `${GROUP_PREFIX}${g.id}`;
    return { id, type: 'ffgroup', dragHandle: '.ff-group-title', position: dragging.get(id) ?? { x: g.rect.x, y: g.rect.y }, style: resizing.get(id) ?? { width: g.rect.width, height: g.rect.height }, data: { group: g }, selected: selected.has(id), zIndex: -2, ...size(id) };
  });
  const notes = (doc.notes ?? []).map((n): NoteNode => {
    const id = `${NOTE_PREFIX}${n.id}`;
    return { id, type: 'ffnote', position: dragging.get(id) ?? { x: n.position.x, y: n.position.y }, data: { note: n }, selected: selected.has(id), ...size(id) };
  });
  return [...groups, ...notes];
}

function freshId(prefix: string, taken: readonly { id: string }[]): string {
  const used = new Set(taken.map((t) => t.id));
  for (let i = 1; ; i++) if (!used.has(`${prefix}${i}`)) return `${prefix}${i}`;
}

const setGroups = (groups: GraphGroup[]): GraphEdit => (groups.length > 0 ? { type: 'setField', field: 'groups', value: groups } : { type: 'setField', field: 'groups' });
const setNotes = (notes: GraphNote[]): GraphEdit => (notes.length > 0 ? { type: 'setField', field: 'notes', value: notes } : { type: 'setField', field: 'notes' });

export function addNoteEdit(doc: GraphDocument, at: { x: number; y: number }, text = ''): { edit: GraphEdit; id: string } {
  const id = freshId('note', doc.notes ?? []);
  return { edit: setNotes([...(doc.notes ?? []), { id, text, position: { x: Math.round(at.x), y: Math.round(at.y) } }]), id: `${NOTE_PREFIX}${id}` };
}

export function setNoteTextEdit(doc: GraphDocument, id: string, text: string): GraphEdit {
  return setNotes((doc.notes ?? []).map((n) => (n.id === id ? { ...n, text } : n)));
}

/** Where a node is drawn, and how big. */
export type NodeBox = { x: number; y: number; width: number; height: number };

export function nodeBoxes(doc: GraphDocument, measured: ReadonlyMap<string, { width: number; height: number }>): Map<string, NodeBox> {
  return new Map(doc.nodes.map((n, i) => {
    const at = n.position ?? defaultPosition(i);
    const size = measured.get(n.id) ?? { width: 240, height: 120 };
    return [n.id, { x: at.x, y: at.y, ...size }];
  }));
}

/** A group titled `title` around the nodes `ids` (their boxes plus a margin and a title bar). */
export function groupAroundEdit(doc: GraphDocument, ids: readonly string[], boxes: Map<string, NodeBox>, title: string): { edit: GraphEdit; id: string } | null {
  const members = ids.map((id) => boxes.get(id)).filter((b): b is NodeBox => b !== undefined);
  if (members.length === 0) return null;
  const left = Math.min(...members.map((b) => b.x)) - 30;
  const top = Math.min(...members.map((b) => b.y)) - 60;
  const right = Math.max(...members.map((b) => b.x + b.width)) + 30;
  const bottom = Math.max(...members.map((b) => b.y + b.height)) + 30;
  const id = freshId('group', doc.groups ?? []);
  const group: GraphGroup = { id, title, rect: { x: Math.round(left), y: Math.round(top), width: Math.round(right - left), height: Math.round(bottom - top) } };
  return { edit: setGroups([...(doc.groups ?? []), group]), id: `${GROUP_PREFIX}${id}` };
}

export function updateGroupEdit(doc: GraphDocument, id: string, change: Partial<Pick<GraphGroup, 'title' | 'color' | 'rect'>>): GraphEdit {
  return setGroups((doc.groups ?? []).map((g) => {
    if (g.id !== id) return g;
    const next = { ...g, ...change };
    if (change.color === undefined && 'color' in change) delete next.color;
    return next;
  }));
}

/** A group resized (by its handles) to `box`: one edit, or null when nothing changed. Its nodes stay where they are. */
export function resizeGroupEdit(doc: GraphDocument, flowId: string, box: { x?: number; y?: number; width: number; height: number }): GraphEdit | null {
  const id = flowId.slice(GROUP_PREFIX.length);
  const group = (doc.groups ?? []).find((g) => g.id === id);
  if (!group) return null;
  const rect = { ...group.rect, x: Math.round(box.x ?? group.rect.x), y: Math.round(box.y ?? group.rect.y), width: Math.round(box.width), height: Math.round(box.height) };
  if (rect.x === group.rect.x && rect.y === group.rect.y && rect.width === group.rect.width && rect.height === group.rect.height) return null;
  return updateGroupEdit(doc, id, { rect });
}

/** The nodes whose centre lies inside the group's box. */
export function groupMembers(group: GraphGroup, boxes: Map<string, NodeBox>): string[] {
  const { x, y, width, height } = group.rect;
  return [...boxes].filter(([, b]) => {
    const cx = b.x + b.width / 2;
    const cy = b.y + b.height / 2;
    return cx >= x && cx <= x + width && cy >= y && cy <= y + height;
  }).map(([id]) => id);
}

/** A group or note dragged to `to`: one edit; a group takes the nodes inside it along. */
export function moveAnnotationEdit(doc: GraphDocument, flowId: string, to: { x: number; y: number }, boxes: Map<string, NodeBox>): GraphEdit | null {
  const x = Math.round(to.x);
  const y = Math.round(to.y);
  if (flowId.startsWith(NOTE_PREFIX)) {
    const id = flowId.slice(NOTE_PREFIX.length);
    const note = (doc.notes ?? []).find((n) => n.id === id);
    if (!note || (note.position.x === x && note.position.y === y)) return null;
    return setNotes((doc.notes ?? []).map((n) => (n.id === id ? { ...n, position: { ...n.position, x, y } } : n)));
  }
  const id = flowId.slice(GROUP_PREFIX.length);
  const group = (doc.groups ?? []).find((g) => g.id === id);
  if (!group || (group.rect.x === x && group.rect.y === y)) return null;
  const dx = x - group.rect.x;
  const dy = y - group.rect.y;
  const moves = groupMembers(group, boxes).map((node): GraphEdit => {
    const b = boxes.get(node)!;
    const old = doc.nodes.find((n) => n.id === node)!.position ?? {};
    return { type: 'moveNode', id: node, position: { ...old, x: Math.round(b.x + dx), y: Math.round(b.y + dy) } };
  });
  return { type: 'batch', edits: [updateGroupEdit(doc, id, { rect: { ...group.rect, x, y } }), ...moves] };
}

/** Removes the groups and notes among `flowIds` (as one edit, or null when there are none). */
export function removeAnnotationsEdits(doc: GraphDocument, flowIds: Iterable<string>): GraphEdit[] {
  const ids = new Set(flowIds);
  const edits: GraphEdit[] = [];
  const groups = (doc.groups ?? []).filter((g) => !ids.has(`${GROUP_PREFIX}${g.id}`));
  if (groups.length !== (doc.groups ?? []).length) edits.push(setGroups(groups));
  const notes = (doc.notes ?? []).filter((n) => !ids.has(`${NOTE_PREFIX}${n.id}`));
  if (notes.length !== (doc.notes ?? []).length) edits.push(setNotes(notes));
  return edits;
}
