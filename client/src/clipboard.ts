/** Copy and paste of nodes: the selected nodes and the edges among them, pasted with fresh ids and an offset. */
import type { FfEdge, FfNode } from './graph-model.ts';
import { edgeId, freshNodeId } from './graph-model.ts';

export interface ClipboardContent {
  nodes: FfNode[];
  edges: FfEdge[];
}

export function copySelection(nodes: FfNode[], edges: FfEdge[]): ClipboardContent | null {
  const chosen = nodes.filter((n) => n.selected);
  if (chosen.length === 0) return null;
  const ids = new Set(chosen.map((n) => n.id));
  return { nodes: structuredClone(chosen), edges: structuredClone(edges.filter((e) => ids.has(e.source) && ids.has(e.target))) };
}

export function pasteContent(content: ClipboardContent, existing: FfNode[], offset: number): { nodes: FfNode[]; edges: FfEdge[] } {
  const taken = new Set(existing.map((n) => n.id));
  const rename = new Map<string, string>();
  const nodes = content.nodes.map((n) => {
    const id = freshNodeId(n.data.type, taken);
    taken.add(id);
    rename.set(n.id, id);
    return { ...structuredClone(n), id, selected: true, position: { x: n.position.x + offset, y: n.position.y + offset } };
  });
  const edges = content.edges.map((e) => {
    const source = rename.get(e.source)!;
    const target = rename.get(e.target)!;
    return { ...structuredClone(e), id: edgeId({ node: source, port: e.sourceHandle ?? '' }, { node: target, port: e.targetHandle ?? '' }), source, target, selected: false };
  });
  return { nodes, edges };
}
