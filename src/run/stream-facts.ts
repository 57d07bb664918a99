/**
 * Stream facts a node did not announce when it opened are taken from its first input of
 * the same stream type: a filter that keeps frame size and rate need not say so. Both
 * runners apply this, so a node sees the same facts however the graph runs.
 */
import { PORT_TYPES } from '../model/port-types.js';
import type { AnyNodeDefinition } from '../node-api/define-node.js';

export function withPassedThroughFacts(
  definition: AnyNodeDefinition,
  inputs: Record<string, unknown>,
  announced: Record<string, unknown>,
): Record<string, unknown> {
  const facts: Record<string, unknown> = {};
  for (const [port, spec] of Object.entries(definition.outputs)) {
    if (PORT_TYPES[spec.type].rate !== 'stream') continue;
    const source = Object.entries(definition.inputs).find(([name, input]) => input.type === spec.type && inputs[name] !== undefined);
    if (source) facts[port] = inputs[source[0]];
  }
  return { ...facts, ...announced };
}
