/**
 * The shapes the editor receives from the server. Problems, plans and metrics are the
 * core's own types (type-only imports: nothing of Node is bundled); the catalog and run
 * records are mirrored here because their modules import Node-side code.
 */
import type { Problem } from '../../src/graph/problem.ts';
import type { Plan, PlanStage } from '../../src/plan/plan-types.ts';
import type { NodeMetrics, RunMetrics, StageMetrics } from '../../src/run/run-metrics.ts';

export type { NodeMetrics, Plan, PlanStage, Problem, RunMetrics, StageMetrics };

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
  metadata: Record<string, unknown>;
  [key: string]: unknown;
}


export type RunStatus = 'queued' | 'running' | 'finished' | 'failed' | 'cancelled';

export interface RunRecord {
  id: string;
  graphName: string;
  status: RunStatus;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  queuePosition: number | null;
  framesDone: number;
  framesTotal: number | null;
  plan: Plan | null;
  metrics: RunMetrics | null;
  warnings: Problem[];
  logs: { at: string; level: 'info' | 'warn'; node: string; message: string }[];
  outputs: { node: string; path: string; size: number; url: string }[];
  results: Record<string, unknown>;
  error: { code: string; message: string; node?: string; fix?: string } | null;
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
