/**
 * From a graph document to something runnable: validate (every problem at once), then
 * plan. What the CLI's validate, plan and run commands and the server's endpoints share.
 */
import { validateGraph } from '../graph/validate.js';
import { hasErrors, type Problem } from '../graph/problem.js';
import { planStages } from '../plan/plan-stages.js';
import type { GraphDocument } from '../graph/document.js';
import type { ResolvedGraph } from '../graph/resolved-graph.js';
import type { NodeRegistry } from '../nodes/registry.js';
import type { ExecutionProvider } from '../nodes/define-node.js';
import type { Plan } from '../plan/plan-types.js';
import { defaultPaths } from './paths.js';
import { freemem } from 'node:os';
import { modelBytes } from '../models/paths.js';

export interface PreparedGraph {
  problems: Problem[];
  graph: ResolvedGraph | null;
  plan: Plan | null;
}

export interface PrepareOptions {
  providers: ExecutionProvider[];
  /** Run the nodes' own checks (files present, models pulled); default true. */
  checks?: boolean;
  cwd?: string;
  /** Every file a node names must lie inside this folder (the server's sandbox). */
  confineTo?: string;
  cpuThreads?: number;
  replicas?: number;
  /** Memory copies of model stages may use; default MEMORY_SHARE of the memory free now. */
  availableBytes?: number;
}

export async function prepareGraph(document: GraphDocument, registry: NodeRegistry, options: PrepareOptions): Promise<PreparedGraph> {
  const paths = { ...defaultPaths(), ...(options.cwd ? { cwd: options.cwd } : {}) };
  const { problems, graph } = await validateGraph(document, registry, {
    ...(options.checks === false ? {} : { checkEnv: { cwd: paths.cwd, models: paths.models, providers: options.providers } }),
    ...(options.confineTo === undefined ? {} : { confineTo: options.confineTo }),
  });
  if (!graph || hasErrors(problems)) return { problems, graph: null, plan: null };
  const plan = planStages(graph, {
    providers: options.providers,
    ...(options.cpuThreads ? { cpuThreads: options.cpuThreads } : {}),
    ...(options.replicas ? { replicas: options.replicas } : {}),
    memory: {
      availableBytes: options.availableBytes ?? MEMORY_SHARE * freemem(),
      nodeModelBytes: await nodeModelBytes(graph, paths),
    },
  });
  return { problems, graph, plan };
}

/** The share of the memory free at planning time that copies of model stages may take. */
export const MEMORY_SHARE = 0.7;

/** Bytes of the model files each node loads (0 where unknown). */
async function nodeModelBytes(graph: ResolvedGraph, paths: { cwd: string; models: string }): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  for (const [id, node] of graph.nodes) {
    const refs = node.definition.models?.(node.definition.params.parse(node.rawParams)) ?? [];
    let total = 0;
    for (const ref of refs) total += await modelBytes(ref, paths.models, paths.cwd);
    if (total > 0) sizes[id] = total;
  }
  return sizes;
}
