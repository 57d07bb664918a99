/**
 * The graph being edited. The document is the source of truth and changes only through
 * typed edits (src/model/graph-edits.ts), each user action one edit (a batch where it
 * touches several things) and one undo step; undo/redo are stacks of inverse edits
 * (src/model/edit-history.ts). React Flow's view state (selection, a drag in progress,
 * measured sizes) is kept beside it and never recorded.
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import type { EdgeChange, NodeChange } from '@xyflow/react';
import { GraphEditError, type GraphEdit } from '../../src/model/graph-edits.ts';
import { applyRecorded, emptyEditHistory, redoEdit, undoEdit, type EditHistory } from '../../src/model/edit-history.ts';
import { annotationNodes, GROUP_PREFIX, isAnnotationId, moveAnnotationEdit, nodeBoxes, removeAnnotationsEdits, resizeGroupEdit } from './annotations.ts';
import { copySelection, pasteEdit } from './clipboard.ts';
import { docEdge, emptyDocument, emptyView, flowEdges, flowNodes, type FfEdge, type FfNode, type ViewState } from './graph-model.ts';
import type { GraphDocument } from './types.ts';

interface Edited {
  doc: GraphDocument;
  history: EditHistory;
}

/** One graph tab's state while another tab is shown. */
export interface GraphSnapshot {
  edited: Edited;
  fileName: string | null;
  savedText: string;
}

export function useGraph(onRefused: (message: string) => void = () => undefined) {
  const [edited, setEdited] = useState<Edited>(() => ({ doc: emptyDocument(), history: emptyEditHistory() }));
  const [view, setView] = useState<ViewState>(emptyView);
  const [fileName, setFileName] = useState<string | null>(null);
  const [savedText, setSavedText] = useState<string>(() => JSON.stringify(emptyDocument()));
  const current = useRef(edited);
  current.current = edited;
  const fileNameRef = useRef(fileName);
  fileNameRef.current = fileName;
  const savedRef = useRef(savedText);
  savedRef.current = savedText;
  const cache = useRef(new Map());

  /** Changes the view state now (React Flow sends changes faster than renders). */
  const viewRef = useRef(view);
  viewRef.current = view;
  const changeView = (change: (v: ViewState) => ViewState) => {
    viewRef.current = change(viewRef.current);
    setView(viewRef.current);
  };

  const commit = (next: Edited) => {
    current.current = next;
    setEdited(next);
  };

  /** Applies one user action; `select` replaces the selection (the nodes it added). */
  const apply = useCallback((edit: GraphEdit, options: { mergeKey?: string; select?: string[] } = {}): boolean => {
    try {
      commit(applyRecorded(current.current.doc, current.current.history, edit, options.mergeKey ?? null));
    } catch (error) {
      if (!(error instanceof GraphEditError)) throw error;
      onRefused(error.message);
      return false;
    }
    if (options.select) changeView((v) => ({ ...v, selectedNodes: new Set(options.select), selectedEdges: new Set() }));
    return true;
  }, [onRefused]);

  const undo = useCallback(() => {
    const step = undoEdit(current.current.doc, current.current.history);
    if (step) commit(step);
  }, []);
  const redo = useCallback(() => {
    const step = redoEdit(current.current.doc, current.current.history);
    if (step) commit(step);
  }, []);

  const nodes = useMemo(() => flowNodes(edited.doc, view, cache.current), [edited.doc, view]);
  const edges = useMemo(() => flowEdges(edited.doc, view.selectedEdges), [edited.doc, view.selectedEdges]);
  const annotations = useMemo(() => annotationNodes(edited.doc, view.selectedNodes, view.dragging, view.measured, view.resizing), [edited.doc, view.selectedNodes, view.dragging, view.measured, view.resizing]);

  /** Set when a drag starts with Alt held: the drop then adds copies where the nodes were dropped and leaves them in place. */
  const cloneDrag = useRef(false);
  const startDrag = useCallback((alt: boolean) => {
    cloneDrag.current = alt;
  }, []);

  /** React Flow's node changes: selection, sizes and drags. Removal comes whole through `onDelete`. */
  const onNodesChange = useCallback((changes: NodeChange<FfNode>[]) => {
    const own = changes.filter((c) => !('id' in c) || !String(c.id).startsWith('stage:'));
    if (own.length === 0) return;
    const v = viewRef.current;
    const selectedNodes = new Set(v.selectedNodes);
    const measured = new Map(v.measured);
    const dragging = new Map(v.dragging);
    const resizing = new Map(v.resizing);
    const moves: GraphEdit[] = [];
    const dropped = new Map<string, { x: number; y: number }>();
    const doc = current.current.doc;
    for (const c of own) {
      if (c.type === 'select') {
        if (c.selected) selectedNodes.add(c.id);
        else selectedNodes.delete(c.id);
      } else if (c.type === 'dimensions' && c.dimensions) {
        measured.set(c.id, c.dimensions);
        // A group resized by its handles: drawn at the new size (and place) while it goes, one edit at the end.
        if (c.id.startsWith(GROUP_PREFIX) && c.resizing) resizing.set(c.id, c.dimensions);
        else if (resizing.has(c.id) && c.resizing === false) {
          const at = dragging.get(c.id);
          resizing.delete(c.id);
          dragging.delete(c.id);
          const edit = resizeGroupEdit(doc, c.id, { ...at, ...c.dimensions });
          if (edit) moves.push(edit);
        }
      } else if (c.type === 'position') {
        if (c.position) dragging.set(c.id, c.position);
        if (c.dragging === false) {
          const at = dragging.get(c.id);
          dragging.delete(c.id);
          if (at && isAnnotationId(c.id)) {
            const move = moveAnnotationEdit(doc, c.id, at, nodeBoxes(doc, measured));
            if (move) moves.push(move);
            continue;
          }
          if (at && cloneDrag.current) {
            dropped.set(c.id, at);
            continue;
          }
          const node = doc.nodes.find((n) => n.id === c.id);
          const moved = at && node && (node.position?.x !== Math.round(at.x) || node.position?.y !== Math.round(at.y));
          if (moved) moves.push({ type: 'moveNode', id: c.id, position: { ...(node.position ?? {}), x: Math.round(at.x), y: Math.round(at.y) } });
        }
      }
    }
    // A drag of several nodes ends as one edit.
    if (moves.length > 0) apply(moves.length === 1 ? moves[0]! : { type: 'batch', edits: moves });
    changeView(() => ({ ...v, selectedNodes, measured, dragging, resizing }));
    // Alt-drag: copies (with the edges among them) land where the nodes were dropped; the originals stay.
    const content = dropped.size > 0 ? copySelection(doc, new Set(dropped.keys())) : null;
    if (content) {
      cloneDrag.current = false;
      const [first, at] = [...dropped][0]!;
      const was = doc.nodes.find((n) => n.id === first)!.position ?? { x: 0, y: 0 };
      const paste = pasteEdit(content, doc, { x: Math.round(at.x - was.x), y: Math.round(at.y - was.y) });
      apply(paste.edit, { select: paste.ids });
    }
  }, [apply]);

  const onEdgesChange = useCallback((changes: EdgeChange<FfEdge>[]) => {
    const selects = changes.filter((c) => c.type === 'select');
    if (selects.length === 0) return;
    changeView((v) => {
      const set = new Set(v.selectedEdges);
      for (const c of selects) if (c.selected) set.add(c.id); else set.delete(c.id);
      return { ...v, selectedEdges: set };
    });
  }, []);

  /** A deletion (Delete key, cut): the edges and nodes go in one edit, so one undo brings all of them back. */
  const remove = useCallback((nodeIds: readonly string[], edgeIds: readonly string[]) => {
    const doc = current.current.doc;
    const gone = new Set(nodeIds);
    const edits: GraphEdit[] = [];
    for (const id of edgeIds) {
      const edge = docEdge(doc, id);
      // Edges of removed nodes go with their node (its inverse restores them).
      if (edge && !gone.has(edge.from.node) && !gone.has(edge.to.node)) edits.push({ type: 'disconnect', from: edge.from, to: edge.to });
    }
    for (const id of gone) if (doc.nodes.some((n) => n.id === id)) edits.push({ type: 'removeNode', id });
    edits.push(...removeAnnotationsEdits(doc, gone));
    if (edits.length > 0) apply({ type: 'batch', edits });
  }, [apply]);

  const onDelete = useCallback(({ nodes: n, edges: e }: { nodes: FfNode[]; edges: FfEdge[] }) => {
    remove(n.filter((x) => x.type === 'ff' || isAnnotationId(x.id)).map((x) => x.id), e.map((x) => x.id));
  }, [remove]);

  const select = useCallback((ids: Iterable<string>) => changeView((v) => ({ ...v, selectedNodes: new Set(ids), selectedEdges: new Set() })), []);

  /** Replaces the whole graph (open, import, new): not undoable past this point. */
  const load = useCallback((doc: GraphDocument, name: string | null, saved: boolean) => {
    commit({ doc, history: emptyEditHistory() });
    // Sizes React Flow measured stay: a node of the same id is drawn at once.
    changeView((v) => ({ ...emptyView(), measured: v.measured }));
    setFileName(name);
    setSavedText(saved ? JSON.stringify(doc) : '');
  }, []);

  /** The tab's whole state (for graph tabs): document, undo history, file name, what was saved. */
  const snapshot = useCallback((): GraphSnapshot => ({ edited: current.current, fileName: fileNameRef.current, savedText: savedRef.current }), []);
  /** Puts a tab's state back (switching tabs): its own undo history comes with it. */
  const restore = useCallback((snap: GraphSnapshot) => {
    commit(snap.edited);
    changeView((v) => ({ ...emptyView(), measured: v.measured }));
    setFileName(snap.fileName);
    setSavedText(snap.savedText);
  }, []);

  /** `saved` is the document that was sent: edits made while the save was under way stay unsaved. */
  const markSaved = useCallback((name: string, saved: GraphDocument) => {
    setFileName(name);
    setSavedText(JSON.stringify(saved));
  }, []);

  const doc = edited.doc;
  // Editor renders often (run progress, toasts, every frame of a drag): the comparison with
  // the saved text and the returned object are recomputed only when what they read changed.
  const dirty = useMemo(() => JSON.stringify(doc) !== savedText, [doc, savedText]);
  const canUndo = edited.history.undo.length > 0;
  const canRedo = edited.history.redo.length > 0;
  return useMemo(() => ({
    document: doc,
    nodes,
    edges,
    annotations,
    view,
    fileName,
    dirty,
    canUndo,
    canRedo,
    apply,
    undo,
    redo,
    remove,
    select,
    onNodesChange,
    onEdgesChange,
    onDelete,
    startDrag,
    snapshot,
    restore,
    load,
    markSaved,
  }), [doc, nodes, edges, annotations, startDrag, snapshot, restore, view, fileName, dirty, canUndo, canRedo, apply, undo, redo, remove, select, onNodesChange, onEdgesChange, onDelete, load, markSaved]);
}

export type GraphState = ReturnType<typeof useGraph>;
