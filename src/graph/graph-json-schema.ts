/**
 * graphs/graph.schema.json, generated from the document schema and every node type's
 * params, so an editor autocompletes node types and their parameters. Never edit it by
 * hand: `framefuse schema` writes it, and a test checks it is current.
 */
import { z } from 'zod';
import { zGraphDocument } from '../model/document.js';
import { paramsJsonSchema } from '../node-api/catalog.js';
import type { NodeRegistry } from '../node-api/registry.js';

export function graphJsonSchema(registry: NodeRegistry): Record<string, unknown> {
  const base = z.toJSONSchema(zGraphDocument, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const nodeSchema = (base.properties as Record<string, Record<string, unknown>>).nodes!.items as Record<string, unknown>;
  const types = registry.types();
  (nodeSchema.properties as Record<string, Record<string, unknown>>).type = {
    ...(nodeSchema.properties as Record<string, Record<string, unknown>>).type,
    anyOf: [{ enum: types }, { type: 'string' }],
  };
  nodeSchema.allOf = registry.list().map(({ definition }) => ({
    if: { properties: { type: { const: definition.type } }, required: ['type'] },
    then: { properties: { params: { ...paramsJsonSchema(definition.params), description: `${definition.title}: ${definition.description}` } } },
  }));
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://framefuse.dev/graph.schema.json',
    title: 'framefuse graph',
    ...Object.fromEntries(Object.entries(base).filter(([k]) => k !== '$schema')),
  };
}
