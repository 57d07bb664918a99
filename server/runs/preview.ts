/**
 * Live previews: a tap the scheduler offers on the Frames going into the graph's sink.
 * About once a second a frame is downscaled, encoded as JPEG and sent to the editor; the
 * tap's own drop-oldest buffer means a slow preview loses frames, never slows the run.
 * Nothing is added to the graph, so the plan and metrics clients see are the run's own.
 */
import type { ResolvedGraph } from '../../src/graph/resolved-graph.js';
import type { Frame } from '../../src/model/port-values.js';
import type { PortRef } from '../../src/model/port-key.js';
import type { PortTapOptions } from '../../src/run/port-tap.js';

/**
 * Where to tap: the Frames port that feeds the first sink (a node with a Frames input and
 * no outputs, such as the Encoder), else the last Frames output another node reads. Null
 * when no frames flow between nodes.
 */
export function previewPort(graph: ResolvedGraph): PortRef | null {
  const nodes = graph.document.nodes.map((n) => graph.nodes.get(n.id)!);
  for (const node of nodes) {
    if (Object.keys(node.definition.outputs).length > 0) continue;
    for (const [port, spec] of Object.entries(node.definition.inputs)) {
      if (spec.type !== 'Frames') continue;
      const edge = graph.edges.find((e) => e.to.node === node.id && e.to.port === port);
      if (edge) return edge.from;
    }
  }
  for (const node of [...nodes].reverse()) {
    for (const [port, spec] of Object.entries(node.definition.outputs)) {
      if (spec.type === 'Frames' && graph.edges.some((e) => e.from.node === node.id && e.from.port === port)) return { node: node.id, port };
    }
  }
  return null;
}

/** A tap on `port` that hands `send` a frame at most every `intervalMs`. */
export function previewTap(port: PortRef, intervalMs: number, send: (frame: Frame, index: number) => void): PortTapOptions {
  let last = -Infinity;
  return {
    port,
    capacity: 1,
    observe: ({ index, value }) => {
      const now = Date.now();
      if (now - last < intervalMs) return;
      last = now;
      send(value as Frame, index);
    },
  };
}
