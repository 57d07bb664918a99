/**
 * A validated graph with every node bound to its definition and its params parsed: what
 * the planner and the executor work on. Built only by `validateGraph`.
 */
import type { PortRate, PortType } from '../model/port-types.js';
import type { AnyNodeDefinition } from '../node-api/define-node.js';
import type { GraphDocument } from '../model/document.js';

export interface ResolvedNode {
  id: string;
  type: string;
  definition: AnyNodeDefinition;
  moduleUrl: string;
  /** Params after migration, as written (defaults not applied): what a worker re-parses. */
  rawParams: Record<string, unknown>;
  /** Params parsed by the node's schema, defaults applied. */
  params: unknown;
  /** Marked `bypass` in the document: it does not run, its outputs carry on its inputs (src/graph/bypass.ts). */
  bypassed: boolean;
}

export interface ResolvedEdge {
  from: { node: string; port: string };
  to: { node: string; port: string };
  type: PortType;
  rate: PortRate;
}

export interface ResolvedGraph {
  name: string;
  document: GraphDocument;
  nodes: Map<string, ResolvedNode>;
  /** Node ids in a topological order (stable with respect to the document). */
  order: string[];
  edges: ResolvedEdge[];
}

export function inputEdges(graph: ResolvedGraph, node: string): ResolvedEdge[] {
  return graph.edges.filter((e) => e.to.node === node);
}

export function outputEdges(graph: ResolvedGraph, node: string): ResolvedEdge[] {
  return graph.edges.filter((e) => e.from.node === node);
}
