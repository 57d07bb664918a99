/**
 * The saved graph document: the artefact people save, share and run. Positions are editor
 * data the executor ignores. Unknown keys are kept on load and written back on save, so a
 * newer editor's extra data survives an older tool.
 */
import { z } from 'zod';
import { portKey } from './port-key.js';

/** The document format this build writes. Older documents are migrated up to it. */
export const GRAPH_SCHEMA_VERSION = 1;

export const zNodeId = z
  .string()
  .max(100)
  .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'a node id starts with a letter or _ and holds letters, digits, _ and -');

/** A colour the editor draws with: #rgb, #rrggbb (with alpha too) or a CSS colour name. */
export const zColor = z.string().max(40).regex(/^(#[0-9a-fA-F]{3,8}|[a-zA-Z]+)$/, 'a colour is written #rrggbb or as a CSS colour name');

export const zPosition = z.looseObject({ x: z.number(), y: z.number() });

export const zGraphNode = z.looseObject({
  id: zNodeId.describe('Unique id of the node in this graph; also its name on the command line (--set id.param=value).'),
  type: z.string().min(1).max(100).describe('Node type, e.g. Decoder.'),
  version: z.number().int().min(1).default(1).describe('Version of the node type the params were written for.'),
  params: z.record(z.string(), z.unknown()).default({}).describe("The node's parameters."),
  position: zPosition.optional().describe('Where the editor draws the node.'),
  bypass: z
    .boolean()
    .optional()
    .describe('Bypassed: the node does not run and each of its outputs carries on the input of the same type (frames pass through). Refused when an output has no input of its type.'),
  collapsed: z.boolean().optional().describe('The editor draws the node as its title bar only.'),
  color: zColor.optional().describe("The node's colour in the editor (#rrggbb or a CSS colour name)."),
});

/** A titled box drawn behind nodes in the editor; the executor ignores it. */
export const zGraphGroup = z.looseObject({
  id: z.string().min(1).max(100),
  title: z.string().max(200).describe("The group's title."),
  color: zColor.optional(),
  rect: z.looseObject({ x: z.number(), y: z.number(), width: z.number().positive(), height: z.number().positive() }).describe('Where the box is, in canvas coordinates.'),
});

/** Free text on the canvas; the planner and the executor ignore it. */
export const zGraphNote = z.looseObject({
  id: z.string().min(1).max(100),
  text: z.string().max(20_000),
  position: zPosition,
  color: zColor.optional(),
});

export const zPortRef = z.looseObject({
  node: z.string().min(1).max(100),
  port: z.string().min(1).max(100),
});

export const zGraphEdge = z.looseObject({
  from: zPortRef.describe('The output port the data comes from.'),
  to: zPortRef.describe('The input port the data goes to.'),
});

export const zGraphDocument = z.looseObject({
  $schema: z.string().optional(),
  schemaVersion: z.literal(GRAPH_SCHEMA_VERSION).describe('Version of the graph document format.'),
  name: z.string().default('untitled'),
  description: z.string().optional(),
  nodes: z.array(zGraphNode),
  edges: z.array(zGraphEdge).default([]),
  providers: z
    .array(z.string())
    .optional()
    .describe('Execution providers to run the models on, in order of preference (tensorrt, cuda, webgpu, cpu), or ["auto"] (the default: the fastest that loads, measured). A --provider flag or the editor\'s run options override it.'),
  metadata: z.record(z.string(), z.unknown()).default({}).describe('Free data for tools and people.'),
  groups: z.array(zGraphGroup).optional().describe('Titled boxes around nodes in the editor; the executor ignores them.'),
  notes: z.array(zGraphNote).optional().describe('Free text notes on the canvas; the executor ignores them.'),
});

export type GraphNode = z.infer<typeof zGraphNode>;
export type GraphEdge = z.infer<typeof zGraphEdge>;
export type PortRef = z.infer<typeof zPortRef>;
export type GraphGroup = z.infer<typeof zGraphGroup>;
export type GraphNote = z.infer<typeof zGraphNote>;
export type GraphDocument = z.infer<typeof zGraphDocument>;

export function isGraphDocument(value: unknown): value is GraphDocument {
  return zGraphDocument.safeParse(value).success;
}

export function edgeLabel(edge: GraphEdge): string {
  return `${portKey(edge.from)} -> ${portKey(edge.to)}`;
}
