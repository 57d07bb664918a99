/**
 * Undo and redo over whole-graph snapshots. Graphs are small, so a snapshot per edit is
 * cheap and can never get out of step the way inverse operations can. Edits with the same
 * `mergeKey` in a row (typing in one field) become one step.
 */
export interface History<T> {
  past: T[];
  future: T[];
  lastKey: string | null;
}

export const LIMIT = 200;

export function emptyHistory<T>(): History<T> {
  return { past: [], future: [], lastKey: null };
}

/** Records `before` as the state to return to, unless this edit merges with the last one. */
export function record<T>(h: History<T>, before: T, mergeKey: string | null): History<T> {
  if (mergeKey !== null && mergeKey === h.lastKey) return { ...h, future: [] };
  return { past: [...h.past.slice(-LIMIT + 1), before], future: [], lastKey: mergeKey };
}

export function undo<T>(h: History<T>, current: T): { history: History<T>; state: T } | null {
  const state = h.past[h.past.length - 1];
  if (state === undefined) return null;
  return { history: { past: h.past.slice(0, -1), future: [current, ...h.future], lastKey: null }, state };
}

export function redo<T>(h: History<T>, current: T): { history: History<T>; state: T } | null {
  const state = h.future[0];
  if (state === undefined) return null;
  return { history: { past: [...h.past, current], future: h.future.slice(1), lastKey: null }, state };
}
