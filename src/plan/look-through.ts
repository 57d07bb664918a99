/**
 * The graph as it executes, with batch-setting pass-through nodes (the Batcher) looked
 * through: their consumers read the real producer, and they leave the order. The one
 * place that looks through them: the planner, the scheduler and the per-frame executor
 * all read this view.
 */
import type { ResolvedEdge, ResolvedGraph } from '../graph/resolved-graph.js';
import type { PortRef } from '../model/port-key.js';

export interface ExecutionView {
  /** The pass-through nodes (they set a batch policy and carry their input on unchanged). */
  passThrough: Set<string>;
  /** Edges between executing nodes, each from the real producer. */
  edges: ResolvedEdge[];
  /** The graph's topological order without the pass-through nodes. */
  order: string[];
  /** The real producer of a port: itself, or for a pass-through node's output, what feeds it. */
  origin: (ref: PortRef) => PortRef;
}

export function executionView(graph: ResolvedGraph): ExecutionView {
  const passThrough = new Set([...graph.nodes.values()].filter((n) => n.definition.batching).map((n) => n.id));
  const feeding = new Map(graph.edges.filter((e) => passThrough.has(e.to.node)).map((e) => [e.to.node, e]));
  const origin = (ref: PortRef): PortRef => {
    let current = ref;
    while (passThrough.has(current.node)) {
      const into = feeding.get(current.node);
      if (!into) return current;
      current = into.from;
    }
    return current;
  };
  const edges = graph.edges
    .filter((e) => !passThrough.has(e.to.node))
    .map((e) => ({ ...e, from: origin(e.from) }))
    .filter((e) => !passThrough.has(e.from.node));
  return { passThrough, edges, order: graph.order.filter((id) => !passThrough.has(id)), origin };
}
