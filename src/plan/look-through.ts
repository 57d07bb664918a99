/**
 * The graph as it executes, with the nodes that do not run looked through: batch-setting
 * pass-through nodes (the Batcher), whose consumers read the real producer, and bypassed
 * nodes (src/graph/bypass.ts), whose outputs carry on their same-typed inputs. Both leave
 * the order. The one place that looks through them: the planner, the scheduler and the
 * per-frame executor all read this view, so they all see the same graph.
 */
import type { ResolvedEdge, ResolvedGraph } from '../graph/resolved-graph.js';
import { bypassRoutes } from '../graph/bypass.js';
import { portKey, type PortRef } from '../model/port-key.js';

export interface ExecutionView {
  /** The pass-through nodes (they set a batch policy and carry their input on unchanged). */
  passThrough: Set<string>;
  /** The bypassed nodes (they do not run; their outputs carry on their inputs). */
  bypassed: Set<string>;
  /** Edges between executing nodes, each from the real producer. */
  edges: ResolvedEdge[];
  /** The graph's topological order without the pass-through and bypassed nodes (nor those that only fed bypassed ones). */
  order: string[];
  /** The real producer of a port: itself, or for a pass-through or bypassed node's output, what feeds it. */
  origin: (ref: PortRef) => PortRef;
}

export function executionView(graph: ResolvedGraph): ExecutionView {
  const nodes = [...graph.nodes.values()];
  const passThrough = new Set(nodes.filter((n) => n.definition.batching && !n.bypassed).map((n) => n.id));
  const bypassedNodes = nodes.filter((n) => n.bypassed);
  const bypassed = new Set(bypassedNodes.map((n) => n.id));
  const { routes, problems } = bypassRoutes(bypassedNodes.map((n) => ({ id: n.id, ...n.definition })), graph.edges);
  // Validation refuses these; a graph built around it must not run half-wired.
  if (problems.length > 0) throw new Error(`${problems[0]!.code}: ${problems[0]!.message}`);
  const feeding = new Map(graph.edges.filter((e) => passThrough.has(e.to.node)).map((e) => [e.to.node, e]));
  const origin = (ref: PortRef): PortRef => {
    let current = ref;
    for (;;) {
      if (passThrough.has(current.node)) {
        const into = feeding.get(current.node);
        if (!into) return current;
        current = into.from;
      } else if (bypassed.has(current.node)) {
        const into = routes.get(portKey(current));
        if (!into) return current;
        current = into;
      } else {
        return current;
      }
    }
  };
  const skipped = (id: string) => passThrough.has(id) || bypassed.has(id);
  const looked = graph.edges
    .filter((e) => !skipped(e.to.node))
    .map((e) => ({ ...e, from: origin(e.from) }))
    .filter((e) => !skipped(e.from.node));
  // A node whose every reader was bypassed (the Detector before a bypassed Anonymizer) has
  // nothing left to work for: it does not run either. Consumers first, so chains go whole.
  const idle = new Set<string>();
  for (const id of [...graph.order].reverse()) {
    if (skipped(id) || !graph.edges.some((e) => e.from.node === id)) continue;
    if (!looked.some((e) => e.from.node === id && !idle.has(e.to.node))) idle.add(id);
  }
  const edges = looked.filter((e) => !idle.has(e.from.node) && !idle.has(e.to.node));
  return { passThrough, bypassed, edges, order: graph.order.filter((id) => !skipped(id) && !idle.has(id)), origin };
}
