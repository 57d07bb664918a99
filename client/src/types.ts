/**
 * The shapes the editor receives from the server. Problems, plans and metrics are the
 * core's and the server's own types (type-only imports: nothing of Node is bundled); the
 * catalog is mirrored here because its module imports Node-side code.
 */
import type { ParamRole } from '../../src/node-api/param-roles.ts';
import type { Problem } from '../../src/graph/problem.ts';
import type { Plan, PlanStage } from '../../src/plan/plan-types.ts';
import type { NodeMetrics, RunMetrics, StageMetrics } from '../../src/run/run-metrics.ts';
import type { RunRecord, RunStatus } from '../../server/runs/run-record.ts';

export type { NodeMetrics, Plan, PlanStage, Problem, RunMetrics, RunRecord, RunStatus, StageMetrics };

export interface CatalogPort {
  name: string;
  type: string;
  rate: 'stream' | 'value';
  description: string;
  optional: boolean;
}

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
  /** The parameter's declared role (a file it reads or writes, a model), from src/node-api/param-roles.ts. */
  'x-framefuse'?: ParamRole;
}

export interface CatalogNode {
  type: string;
  version: number;
  category: string;
  title: string;
  description: string;
  kind: 'media' | 'host' | 'compute' | 'accelerator';
  batching: boolean;
  inputs: CatalogPort[];
  outputs: CatalogPort[];
  params: JsonSchema;
}

export interface NodeCatalog {
  catalogVersion: 1;
  portTypes: Record<string, { rate: 'stream' | 'value'; color: string; description: string }>;
  nodes: CatalogNode[];
}

export interface PortRef {
  node: string;
  port: string;
}

export interface GraphNode {
  id: string;
  type: string;
  version: number;
  params: Record<string, unknown>;
  position?: { x: number; y: number };
  [key: string]: unknown;
}

export interface GraphEdge {
  from: PortRef;
  to: PortRef;
  [key: string]: unknown;
}

export interface GraphDocument {
  schemaVersion: number;
  name: string;
  description?: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Execution providers in order, or ["auto"]. */
  providers?: string[];
  metadata: Record<string, unknown>;
  [key: string]: unknown;
}



export interface GraphListing {
  name: string;
  title: string;
  description: string;
  nodes: number;
  modified: string;
  valid: boolean;
}

export interface ModelListing {
  id: string;
  title: string;
  task: string;
  file: string;
  present: boolean;
  size: number | null;
  license: string;
  downloadable: boolean;
  pulling: boolean;
}

export interface UploadListing {
  name: string;
  kind: 'video' | 'image';
  size: number;
  path: string;
}
