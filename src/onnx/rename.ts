/**
 * Renaming every value and node of a graph, subgraphs (If/Loop/Scan bodies) included,
 * which is how two models' names are kept apart when they are composed.
 */
import { AttributeType } from './proto.js';
import type { GraphProto, NodeProto, TensorProto } from './proto.js';

/** Maps a name to its new name; '' (an omitted optional input) must map to ''. */
export type Renamer = (name: string) => string;

/** A renamer that prefixes everything except names in `keep` (mapped to their given names). */
export function prefixRenamer(prefix: string, keep: ReadonlyMap<string, string> = new Map()): Renamer {
  return (name) => (name === '' ? '' : (keep.get(name) ?? `${prefix}${name}`));
}

/** Renames the graph in place. */
export function renameGraph(graph: GraphProto, rename: Renamer): void {
  for (const list of [graph.input, graph.output, graph.valueInfo]) for (const v of list) v.name = rename(v.name ?? '');
  for (const t of graph.initializer) t.name = rename(t.name ?? '');
  for (const node of graph.node as NodeProto[]) renameNode(node, rename);
}

function renameNode(node: NodeProto, rename: Renamer): void {
  node.input = node.input.map(rename);
  node.output = node.output.map(rename);
  if (node.name) node.name = rename(node.name);
  for (const attribute of node.attribute) {
    if (attribute.type === AttributeType.GRAPH && attribute.g) renameGraph(attribute.g as GraphProto, rename);
    if (attribute.type === AttributeType.GRAPHS) for (const g of attribute.graphs ?? []) renameGraph(g as GraphProto, rename);
    if (attribute.type === AttributeType.TENSOR && attribute.t) (attribute.t as TensorProto).name = rename(attribute.t.name ?? '');
  }
}
