/**
 * The canvas is a view of the document: `flowNodes` and `flowEdges` draw the document's
 * nodes and edges with the editor's view state (selection, positions during a drag, sizes
 * React Flow measured). The document is never rebuilt from the canvas, so opening and
 * saving change nothing and every change to it is a typed edit (src/model/graph-edits.ts).
 */
import type { Edge, Node } from '@xyflow/react';
import { portKey } from '../../src/model/port-key.ts';
import type { GraphDocument, GraphEdge, GraphNode, PortRef } from './types.ts';

export interface FlowNodeData extends Record<string, unknown> {
  type: string;
  version: number;
  params: Record<string, unknown>;
  bypass: boolean;
  collapsed: boolean;
  color: string | null;
}

export type FfNode = Node<FlowNodeData, 'ff'>;
export type FfEdge = Edge;

/** What the canvas knows that the document does not. */
export interface ViewState {
  selectedNodes: ReadonlySet<string>;
  selectedEdges: ReadonlySet<string>;
  /** Positions of nodes being dragged, until the drag ends and becomes one edit. */
  dragging: ReadonlyMap<string, { x: number; y: number }>;
  measured: ReadonlyMap<string, { width: number; height: number }>;
  /** Sizes of groups being resized, until the resize ends and becomes one edit. */
  resizing: ReadonlyMap<string, { width: number; height: number }>;
}

export const emptyView = (): ViewState => ({ selectedNodes: new Set(), selectedEdges: new Set(), dragging: new Map(), measured: new Map(), resizing: new Map() });

export function edgeId(from: PortRef, to: PortRef): string {
  return `${portKey(from)}->${portKey(to)}`;
}

/** Where a node without a saved position is drawn. */
export function defaultPosition(index: number): { x: number; y: number } {
  return { x: 80 + (index % 4) * 300, y: 80 + Math.floor(index / 4) * 220 };
}

/**
 * The canvas nodes. A node whose document node and view state did not change keeps its
 * object (React Flow then keeps its measured handles instead of measuring again).
 */
export function flowNodes(doc: GraphDocument, view: ViewState, cache: Map<string, { source: GraphNode; key: string; node: FfNode }>): FfNode[] {
  const seen = new Set<string>();
  const nodes = doc.nodes.map((n, i) => {
    seen.add(n.id);
    const position = view.dragging.get(n.id) ?? (n.position ? { x: n.position.x, y: n.position.y } : defaultPosition(i));
    const measured = view.measured.get(n.id);
    const selected = view.selectedNodes.has(n.id);
    const key = `${position.x},${position.y},${selected},${measured?.width},${measured?.height}`;
    const hit = cache.get(n.id);
    if (hit && hit.source === n && hit.key === key) return hit.node;
    const node: FfNode = { id: n.id, type: 'ff', position, selected, ...(measured ? { measured } : {}), data: { type: n.type, version: n.version ?? 1, params: n.params ?? {}, bypass: n.bypass === true, collapsed: n.collapsed === true, color: n.color ?? null } };
    cache.set(n.id, { source: n, key, node });
    return node;
  });
  for (const id of cache.keys()) if (!seen.has(id)) cache.delete(id);
  return nodes;
}

/** The canvas edges: they depend on the selection only, so a drag (positions) does not redraw them. */
export function flowEdges(doc: GraphDocument, selectedEdges: ReadonlySet<string>): FfEdge[] {
  return doc.edges.map((e) => {
    const id = edgeId(e.from, e.to);
    return { id, source: e.from.node, sourceHandle: e.from.port, target: e.to.node, targetHandle: e.to.port, selected: selectedEdges.has(id) };
  });
}

/** The document edge a canvas edge draws. */
export function docEdge(doc: GraphDocument, flowEdgeId: string): GraphEdge | undefined {
  return doc.edges.find((e) => edgeId(e.from, e.to) === flowEdgeId);
}

/** A fresh id for a node of `type`: `decoder`, `decoder2`, ... */
export function freshNodeId(type: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const base = type.charAt(0).toLowerCase() + type.slice(1);
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}${i}`)) return `${base}${i}`;
}

export function emptyDocument(name = 'untitled'): GraphDocument {
  return { schemaVersion: 1, name, nodes: [], edges: [], metadata: {} };
}
