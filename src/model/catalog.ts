/**
 * The node catalog's shape: what the server sends the editor (`GET /api/nodes`) and what
 * `framefuse nodes` prints. The catalog itself is generated from the node definitions by
 * src/node-api/catalog.ts; this is its one definition, which the editor parses it with.
 */
import { z } from 'zod';
import { zParamRole, ROLE_KEY, type ParamRole } from './param-roles.js';

/**
 * Where a node runs: `media` nodes own an ffmpeg process (Decoder, Encoder); `host` nodes
 * run on the main thread (keep them light: the main thread also pumps the pipes and the
 * queues); `compute` nodes do heavy JavaScript work (blurs, warps) in a worker thread of
 * their own; `accelerator` nodes run ONNX models in a worker, and consecutive ones are
 * fused into one stage.
 */
export const zNodeKind = z.enum(['media', 'host', 'compute', 'accelerator']);
export type NodeKind = z.infer<typeof zNodeKind>;

export const zPortRate = z.enum(['stream', 'value']);

export const zCatalogPort = z.object({
  name: z.string(),
  type: z.string(),
  rate: zPortRate,
  description: z.string(),
  optional: z.boolean(),
});
export type CatalogPort = z.infer<typeof zCatalogPort>;

/**
 * A parameter's JSON Schema, as zod's toJSONSchema writes it: the parts the editor's forms
 * read, plus the parameter's declared role. Other keys are kept.
 */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  description?: string;
  title?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minLength?: number;
  format?: string;
  /** The parameter's declared role (a file it reads or writes, a model), from param-roles.ts. */
  [ROLE_KEY]?: ParamRole;
  [key: string]: unknown;
}

export const zJsonSchema: z.ZodType<JsonSchema> = z.looseObject({
  type: z.union([z.string(), z.array(z.string())]).optional(),
  enum: z.array(z.unknown()).optional(),
  const: z.unknown().optional(),
  default: z.unknown().optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  exclusiveMinimum: z.number().optional(),
  exclusiveMaximum: z.number().optional(),
  description: z.string().optional(),
  title: z.string().optional(),
  get anyOf() {
    return z.array(zJsonSchema).optional();
  },
  get oneOf() {
    return z.array(zJsonSchema).optional();
  },
  get properties() {
    return z.record(z.string(), zJsonSchema).optional();
  },
  required: z.array(z.string()).optional(),
  get items() {
    return zJsonSchema.optional();
  },
  minLength: z.number().optional(),
  format: z.string().optional(),
  [ROLE_KEY]: zParamRole.optional(),
});

export const zCatalogNode = z.object({
  type: z.string(),
  version: z.number().int(),
  category: z.string(),
  title: z.string(),
  description: z.string(),
  kind: zNodeKind,
  /** True for batch-setting pass-through nodes (the Batcher). */
  batching: z.boolean(),
  inputs: z.array(zCatalogPort),
  outputs: z.array(zCatalogPort),
  /** JSON Schema of the parameters, with defaults, ranges and descriptions. */
  params: zJsonSchema,
});
export type CatalogNode = z.infer<typeof zCatalogNode>;

export const zNodeCatalog = z.object({
  catalogVersion: z.literal(1),
  portTypes: z.record(z.string(), z.object({ rate: zPortRate, color: z.string(), description: z.string() })),
  nodes: z.array(zCatalogNode),
});
export type NodeCatalog = z.infer<typeof zNodeCatalog>;
