/**
 * The saved document and the canvas are two views of one graph. `toFlow` and `toDocument`
 * convert between them; `toDocument(toFlow(doc))` gives `doc` back (unknown keys of nodes,
 * edges and the document are carried along), so opening and saving changes nothing.
 */
import type { Edge, Node } from '@xyflow/react';
import type { GraphDocument, GraphEdge, GraphNode } from './types.ts';

export interface FlowNodeData extends Record<string, unknown> {
  type: string;
  version: number;
  params: Record<string, unknown>;
  /** Keys of the saved node the editor does not use, written back unchanged. */
  extra: Record<string, unknown>;
}

export type FfNode = Node<FlowNodeData, 'ff'>;
export type FfEdge = Edge<{ extra: Record<string, unknown> }>;

export interface DocumentShell {
  /** Everything of the document but nodes and edges. */
  rest: Omit<GraphDocument, 'nodes' | 'edges'>;
}

export function edgeId(from: { node: string; port: string }, to: { node: string; port: string }): string {
  return `${from.node}.${from.port}->${to.node}.${to.port}`;
}

export function toFlow(doc: GraphDocument): { nodes: FfNode[]; edges: FfEdge[]; shell: DocumentShell } {
  const { nodes, edges, ...rest } = doc;
  return {
    shell: { rest },
    nodes: nodes.map((n, i) => {
      const { id, type, version, params, position, ...extra } = n;
      return {
        id,
        type: 'ff',
        position: position ? { x: position.x, y: position.y } : { x: 80 + (i % 4) * 300, y: 80 + Math.floor(i / 4) * 220 },
        data: { type, version: version ?? 1, params: params ?? {}, extra: { ...extra, ...(position ? { _position: position } : {}) } },
      };
    }),
    edges: edges.map((e) => {
      const { from, to, ...extra } = e;
      return { id: edgeId(from, to), source: from.node, sourceHandle: from.port, target: to.node, targetHandle: to.port, data: { extra } };
    }),
  };
}

/** Rounds positions to whole pixels: saved files stay readable and diffs small. */
function savedPosition(node: FfNode): GraphNode['position'] {
  const original = node.data.extra['_position'] as Record<string, unknown> | undefined;
  const x = Math.round(node.position.x);
  const y = Math.round(node.position.y);
  // Unknown keys inside position (zPosition is loose) survive too.
  return { ...(original ?? {}), x, y } as GraphNode['position'];
}

export function toDocument(shell: DocumentShell, nodes: FfNode[], edges: FfEdge[]): GraphDocument {
  return {
    ...shell.rest,
    nodes: nodes.map((n) => {
      const { _position: _ignored, ...extra } = n.data.extra;
      return { id: n.id, type: n.data.type, version: n.data.version, params: n.data.params, position: savedPosition(n), ...extra };
    }),
    edges: edges.map(
      (e): GraphEdge => ({
        from: { node: e.source, port: e.sourceHandle ?? '' },
        to: { node: e.target, port: e.targetHandle ?? '' },
        ...(e.data?.extra ?? {}),
      }),
    ),
  } as GraphDocument;
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
