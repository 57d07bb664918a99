/**
 * What every node on the canvas needs besides its own data: the catalog, the current
 * problems, the plan and the live state of a run. Shared by context so that a new
 * validation or progress event does not rewrite the graph itself (and the undo history).
 */
import { createContext, useContext } from 'react';
import type { NodeCatalog, Plan, Problem, RunRecord } from './types.ts';

export type LiveNodeState = 'idle' | 'waiting' | 'running' | 'done' | 'failed' | 'cancelled';

export interface LiveNode {
  state: LiveNodeState;
  fps: number;
  framesOut: number;
  /** Fullest input queue of the node's stage, 0..1. */
  queue: number;
  batch: number | null;
}

export interface EditorView {
  catalog: NodeCatalog;
  problemsByNode: Map<string, { problems: Problem[]; params: Map<string, string> }>;
  plan: Plan | null;
  run: RunRecord | null;
  live: Map<string, LiveNode>;
  setParam: (node: string, key: string, value: unknown) => void;
  /** Sets a note's text (a run of typing is one undo step). */
  editNote: (id: string, text: string) => void;
  /** Asks for a group's new title. */
  renameGroup: (id: string) => void;
  /** Selects a node and opens its long form in the side inspector (file and model pickers). */
  inspect: (node: string) => void;
}

export const EditorContext = createContext<EditorView | null>(null);

export function useEditorView(): EditorView {
  const view = useContext(EditorContext);
  if (!view) throw new Error('useEditorView outside EditorContext');
  return view;
}
