/**
 * Bypass: a node marked `bypass` in the document does not run; each of its outputs that
 * something reads carries on what feeds its input of the same type (frames pass through,
 * as in ComfyUI). Validation reports a bypass that cannot be honoured (an output without
 * an input of its type, or with that input unconnected); the plan's execution view
 * (src/plan/look-through.ts) follows the routes worked out here.
 */
import { portKey, type PortKey, type PortRef } from '../model/port-key.js';
import { problem, type Problem } from '../model/problem.js';
import type { PortType } from '../model/port-types.js';

export interface BypassNode {
  id: string;
  inputs: Record<string, { type: PortType }>;
  outputs: Record<string, { type: PortType }>;
}

export interface BypassEdge {
  from: PortRef;
  to: PortRef;
}

export interface BypassRoutes {
  /** A bypassed node's output port → what its same-typed input reads (possibly another bypassed node's output). */
  routes: Map<PortKey, PortRef>;
  problems: Problem[];
}

/** The routes through the bypassed nodes, for the outputs that something reads. */
export function bypassRoutes(bypassed: readonly BypassNode[], edges: readonly BypassEdge[]): BypassRoutes {
  const routes = new Map<PortKey, PortRef>();
  const problems: Problem[] = [];
  const feeding = new Map(edges.map((e) => [portKey(e.to), e.from]));
  for (const node of bypassed) {
    const read = new Set(edges.filter((e) => e.from.node === node.id).map((e) => e.from.port));
    for (const [port, spec] of Object.entries(node.outputs)) {
      if (!read.has(port)) continue;
      const input = Object.entries(node.inputs).find(([, s]) => s.type === spec.type)?.[0];
      if (input === undefined) {
        const inputs = Object.entries(node.inputs).map(([name, s]) => `${name} (${s.type})`).join(', ') || 'none';
        problems.push(
          problem('FF_BYPASS_TYPES', `"${node.id}" is bypassed, but its output "${port}" (${spec.type}) has no input of the same type to pass on (inputs: ${inputs}): turn the bypass off, or disconnect what reads "${port}"`, {
            node: node.id,
            field: port,
          }),
        );
        continue;
      }
      const from = feeding.get(portKey({ node: node.id, port: input }));
      if (!from) {
        problems.push(
          problem('FF_BYPASS_UNFED', `"${node.id}" is bypassed, so its output "${port}" passes on its input "${input}", which is not connected: connect "${input}" or turn the bypass off`, {
            node: node.id,
            field: input,
          }),
        );
        continue;
      }
      routes.set(portKey({ node: node.id, port }), from);
    }
  }
  return { routes, problems };
}
