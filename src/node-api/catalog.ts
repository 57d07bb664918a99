/**
 * The node catalog: what the editor's palette, its parameter forms and `framefuse nodes`
 * show. Generated from the node definitions, never written by hand; its shape is
 * src/model/catalog.ts, which the editor parses it with.
 */
import { z } from 'zod';
import { PORT_TYPES } from '../model/port-types.js';
import type { CatalogPort, JsonSchema, NodeCatalog } from '../model/catalog.js';
import type { PortSpecs } from './define-node.js';
import type { NodeRegistry } from './registry.js';

function catalogPorts(ports: PortSpecs): CatalogPort[] {
  return Object.entries(ports).map(([name, spec]) => ({
    name,
    type: spec.type,
    rate: PORT_TYPES[spec.type].rate,
    description: spec.description ?? PORT_TYPES[spec.type].description,
    optional: spec.optional ?? false,
  }));
}

/** JSON Schema of a params schema as a user writes it (defaults make fields optional). */
export function paramsJsonSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}

export function buildCatalog(registry: NodeRegistry): NodeCatalog {
  return {
    catalogVersion: 1,
    portTypes: Object.fromEntries(
      Object.entries(PORT_TYPES).map(([name, t]) => [name, { rate: t.rate, color: t.color, description: t.description }]),
    ),
    nodes: registry.list().map(({ definition: d }) => ({
      type: d.type,
      version: d.version,
      category: d.category,
      title: d.title,
      description: d.description,
      kind: d.kind,
      batching: d.batching !== undefined,
      inputs: catalogPorts(d.inputs),
      outputs: catalogPorts(d.outputs),
      params: paramsJsonSchema(d.params),
    })),
  };
}
