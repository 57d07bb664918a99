/**
 * The rules a fused stage and the planner share about fusion families: which family a
 * stage's nodes have in common, and what the family is shown of each node. The planner
 * passes `fusionCandidates` to the family's check(); the stage adds each node's context and
 * passes them to fuse(): one construction, so a plan never promises what the run refuses.
 */
import type { AnyNodeDefinition, FusionCandidate, FusionFamily } from './define-node.js';
import { isPortOf, nodeOfKey, portOfKey, type PortKey } from '../model/port-key.js';

/** The fusion family every node of a multi-node stage shares, or null: the planner and the stage use the same rule. */
export function commonFusionFamily(definitions: readonly AnyNodeDefinition[]): FusionFamily | null {
  if (definitions.length < 2) return null;
  const first = definitions[0]!.fusion;
  return first && definitions.every((d) => d.fusion?.id === first.id) ? first : null;
}

/** An edge into a node of a stage: the input port it feeds, and the key of the output it reads. */
export interface StageEdgeIn {
  node: string;
  port: string;
  from: PortKey;
  rate: 'stream' | 'value';
}

/** A node of the stage with its parsed parameters. */
export interface CandidateNode {
  id: string;
  definition: AnyNodeDefinition;
  params: unknown;
}

/**
 * What a fusion family sees of each node of a stage, in the stage's order.
 * @param inputs every edge into a node of the stage (from inside it or outside)
 * @param outputs keys of the stage's stream outputs that other stages read
 */
export function fusionCandidates(nodes: readonly CandidateNode[], inputs: readonly StageEdgeIn[], outputs: readonly PortKey[]): FusionCandidate[] {
  const ids = new Set(nodes.map((n) => n.id));
  return nodes.map(({ id, definition, params }) => ({
    id,
    definition,
    params,
    inputs: inputs.filter((i) => i.node === id).map((i) => ({ port: i.port, from: i.from, internal: ids.has(nodeOfKey(i.from)), rate: i.rate })),
    consumedOutputs: outputs.filter((key) => isPortOf(key, id)).map(portOfKey),
  }));
}
