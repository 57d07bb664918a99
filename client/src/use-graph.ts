/**
 * The graph being edited: canvas nodes and edges, the rest of the document, the file it
 * came from, undo/redo, and whether it differs from what was last saved.
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import { applyEdgeChanges, applyNodeChanges, type EdgeChange, type NodeChange } from '@xyflow/react';
import { emptyDocument, toDocument, toFlow, type DocumentShell, type FfEdge, type FfNode } from './graph-model.ts';
import { emptyHistory, record, redo as redoStep, undo as undoStep, type History } from './history.ts';
import type { GraphDocument } from './types.ts';

interface Snapshot {
  nodes: FfNode[];
  edges: FfEdge[];
  shell: DocumentShell;
}

/** Document text without positions' noise: what "unsaved changes" compares. */
function documentText(doc: GraphDocument): string {
  return JSON.stringify(doc);
}

export function useGraph() {
  const initial = useMemo(() => toFlow(emptyDocument()), []);
  const [nodes, setNodes] = useState<FfNode[]>(initial.nodes);
  const [edges, setEdges] = useState<FfEdge[]>(initial.edges);
  const [shell, setShell] = useState<DocumentShell>(initial.shell);
  const [fileName, setFileName] = useState<string | null>(null);
  const [savedText, setSavedText] = useState<string>(() => documentText(emptyDocument()));
  const [history, setHistory] = useState<History<Snapshot>>(emptyHistory);
  const current = useRef<Snapshot>({ nodes, edges, shell });
  current.current = { nodes, edges, shell };

  const document = useMemo(() => toDocument(shell, nodes, edges), [shell, nodes, edges]);
  const dirty = documentText(document) !== savedText;

  /** Applies an edit as one undo step (`mergeKey` merges a run of edits to one field). */
  const edit = useCallback((change: (s: Snapshot) => Snapshot, mergeKey: string | null = null) => {
    const before = current.current;
    const after = change(before);
    if (after === before) return;
    setHistory((h) => record(h, before, mergeKey));
    current.current = after;
    setNodes(after.nodes);
    setEdges(after.edges);
    setShell(after.shell);
  }, []);

  const restore = (s: Snapshot) => {
    current.current = s;
    setNodes(s.nodes);
    setEdges(s.edges);
    setShell(s.shell);
  };

  const undo = useCallback(() => {
    setHistory((h) => {
      const step = undoStep(h, current.current);
      if (!step) return h;
      restore(step.state);
      return step.history;
    });
  }, []);

  const redo = useCallback(() => {
    setHistory((h) => {
      const step = redoStep(h, current.current);
      if (!step) return h;
      restore(step.state);
      return step.history;
    });
  }, []);

  /** React Flow's own changes: selection and measuring are not edits; moves are recorded when a drag ends. */
  const onNodesChange = useCallback((changes: NodeChange<FfNode>[]) => {
    const own = changes.filter((c) => !('id' in c) || !String(c.id).startsWith('stage:'));
    if (own.length === 0) return;
    const removes = own.some((c) => c.type === 'remove');
    const dragEnd = own.some((c) => c.type === 'position' && c.dragging === false);
    if (removes) {
      edit((s) => {
        const next = applyNodeChanges(own, s.nodes);
        const ids = new Set(next.map((n) => n.id));
        return { ...s, nodes: next, edges: s.edges.filter((e) => ids.has(e.source) && ids.has(e.target)) };
      });
      return;
    }
    if (dragEnd) {
      // The snapshot before the drag is the one with the old positions: record it now.
      setHistory((h) => record(h, dragStart.current ?? current.current, null));
      dragStart.current = null;
    } else if (own.some((c) => c.type === 'position' && c.dragging === true) && dragStart.current === null) {
      dragStart.current = current.current;
    }
    setNodes((ns) => {
      const next = applyNodeChanges(own, ns);
      current.current = { ...current.current, nodes: next };
      return next;
    });
  }, [edit]);
  const dragStart = useRef<Snapshot | null>(null);

  const onEdgesChange = useCallback(
    (changes: EdgeChange<FfEdge>[]) => {
      if (changes.some((c) => c.type === 'remove')) edit((s) => ({ ...s, edges: applyEdgeChanges(changes, s.edges) }));
      else
        setEdges((es) => {
          const next = applyEdgeChanges(changes, es);
          current.current = { ...current.current, edges: next };
          return next;
        });
    },
    [edit],
  );

  /** Replaces the whole graph (open, import, new): not undoable past this point. */
  const load = useCallback((doc: GraphDocument, name: string | null, saved: boolean) => {
    const flow = toFlow(doc);
    restore({ nodes: flow.nodes, edges: flow.edges, shell: flow.shell });
    setHistory(emptyHistory());
    setFileName(name);
    setSavedText(saved ? documentText(toDocument(flow.shell, flow.nodes, flow.edges)) : '');
  }, []);

  const markSaved = useCallback((name: string) => {
    setFileName(name);
    setSavedText(documentText(toDocument(current.current.shell, current.current.nodes, current.current.edges)));
  }, []);

  return { nodes, edges, shell, document, fileName, dirty, canUndo: history.past.length > 0, canRedo: history.future.length > 0, edit, undo, redo, onNodesChange, onEdgesChange, load, markSaved, setNodes };
}

export type GraphState = ReturnType<typeof useGraph>;
