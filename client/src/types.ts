/**
 * The shapes the editor receives from the server. Documents, catalog, problems, plans,
 * metrics and run records are src/model's (one definition, shared with the server, parsed where they
 * arrive); the listings below are the editor's own.
 */
export type { CatalogNode, CatalogPort, JsonSchema, NodeCatalog } from '../../src/model/catalog.ts';
export type { GraphDocument, GraphEdge, GraphNode, PortRef } from '../../src/model/document.ts';
export type { Problem } from '../../src/model/problem.ts';
export type { Plan, PlanStage } from '../../src/model/plan.ts';
export type { NodeMetrics, RunMetrics, StageMetrics } from '../../src/model/run-metrics.ts';
export type { RunRecord, RunStatus } from '../../src/model/run-record.ts';

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
  /** How a missing model is obtained: downloaded, or converted from an npm package on first use. */
  origin?: 'download' | 'prepare';
}

export interface UploadListing {
  name: string;
  kind: 'video' | 'image';
  size: number;
  path: string;
}
