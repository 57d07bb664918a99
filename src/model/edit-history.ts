/**
 * Undo and redo as stacks of graph edits (see graph-edits.ts): applying an edit records its
 * inverse; undo applies the top inverse and keeps the inverse of that (the redo edit). One
 * user action is one entry, whatever it touches (a delete of a node takes its edges with it
 * in the same batch). Edits with the same `mergeKey` in a row (typing in one field, nudging a
 * value) stay one entry whose inverse goes back to the value before the first of them. An
 * edit that changes nothing (a field left as it was) is no action: no entry, redo kept.
 */
import { applyEdit, type GraphEdit } from './graph-edits.js';
import type { GraphDocument } from './document.js';

interface Entry {
  /** Takes the document back to before the action. */
  inverse: GraphEdit;
  mergeKey: string | null;
}

export interface EditHistory {
  readonly undo: readonly Entry[];
  /** Edits that redo what was undone, the next one last. */
  readonly redo: readonly GraphEdit[];
}

/** How many actions undo reaches back. */
export const HISTORY_LIMIT = 200;

export const emptyEditHistory = (): EditHistory => ({ undo: [], redo: [] });

export interface HistoryStep {
  doc: GraphDocument;
  history: EditHistory;
}

/** Applies `edit` as one user action (throws GraphEditError, changing nothing, when it does not fit). */
export function applyRecorded(doc: GraphDocument, history: EditHistory, edit: GraphEdit, mergeKey: string | null = null): HistoryStep {
  const applied = applyEdit(doc, edit);
  if (JSON.stringify(applied.doc) === JSON.stringify(doc)) return { doc, history };
  const last = history.undo[history.undo.length - 1];
  if (mergeKey !== null && last?.mergeKey === mergeKey) return { doc: applied.doc, history: { undo: history.undo, redo: [] } };
  return { doc: applied.doc, history: { undo: [...history.undo.slice(-HISTORY_LIMIT + 1), { inverse: applied.inverse, mergeKey }], redo: [] } };
}

/** Undoes the last action; null when there is none. */
export function undoEdit(doc: GraphDocument, history: EditHistory): HistoryStep | null {
  const last = history.undo[history.undo.length - 1];
  if (!last) return null;
  const applied = applyEdit(doc, last.inverse);
  return { doc: applied.doc, history: { undo: history.undo.slice(0, -1), redo: [...history.redo, applied.inverse] } };
}

/** Redoes the last undone action; null when there is none. */
export function redoEdit(doc: GraphDocument, history: EditHistory): HistoryStep | null {
  const next = history.redo[history.redo.length - 1];
  if (!next) return null;
  const applied = applyEdit(doc, next);
  return { doc: applied.doc, history: { undo: [...history.undo, { inverse: applied.inverse, mergeKey: null }], redo: history.redo.slice(0, -1) } };
}
