/** Copy and paste of nodes: the selected nodes and the edges among them, pasted as one edit with fresh ids and an offset. */
import type { GraphEdit } from '../../src/model/graph-edits.ts';
import { freshNodeId } from './graph-model.ts';
import type { GraphDocument, GraphEdge, GraphNode } from './types.ts';

export interface ClipboardContent {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export function copySelection(doc: GraphDocument, selected: ReadonlySet<string>): ClipboardContent | null {
  const nodes = doc.nodes.filter((n) => selected.has(n.id));
  if (nodes.length === 0) return null;
  return { nodes: structuredClone(nodes), edges: structuredClone(doc.edges.filter((e) => selected.has(e.from.node) && selected.has(e.to.node))) };
}

/** The edit that pastes `content` into `doc`, and the ids of the pasted nodes (to select them). */
export function pasteEdit(content: ClipboardContent, doc: GraphDocument, offset: number | { x: number; y: number }): { edit: GraphEdit; ids: string[] } {
  const d = typeof offset === 'number' ? { x: offset, y: offset } : offset;
  const taken = new Set(doc.nodes.map((n) => n.id));
  const rename = new Map<string, string>();
  const edits: GraphEdit[] = content.nodes.map((n, i) => {
    const id = freshNodeId(n.type, taken);
    taken.add(id);
    rename.set(n.id, id);
    const at = n.position ?? { x: 80 + i * 40, y: 80 };
    return { type: 'addNode', node: { ...structuredClone(n), id, position: { ...at, x: at.x + d.x, y: at.y + d.y } } };
  });
  for (const e of content.edges) {
    edits.push({ type: 'connect', edge: { ...structuredClone(e), from: { ...e.from, node: rename.get(e.from.node)! }, to: { ...e.to, node: rename.get(e.to.node)! } } });
  }
  return { edit: { type: 'batch', edits }, ids: [...rename.values()] };
}
