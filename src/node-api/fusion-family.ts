import type { AnyNodeDefinition, FusionFamily } from './define-node.js';

/** The fusion family every node of a multi-node stage shares, or null: the planner and the stage use the same rule. */
export function commonFusionFamily(definitions: readonly AnyNodeDefinition[]): FusionFamily | null {
  if (definitions.length < 2) return null;
  const first = definitions[0]!.fusion;
  return first && definitions.every((d) => d.fusion?.id === first.id) ? first : null;
}
