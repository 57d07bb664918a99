/**
 * From a graph document to something runnable: validate (every problem at once), then
 * plan. What the CLI's validate, plan and run commands and the server's endpoints share.
 */
import { validateGraph } from '../graph/validate.js';
import { hasErrors, type Problem } from '../model/problem.js';
import { planStages } from '../plan/plan-stages.js';
import type { GraphDocument } from '../model/document.js';
import type { ResolvedGraph } from '../graph/resolved-graph.js';
import type { NodeRegistry } from '../node-api/registry.js';
import { isFramefuseError } from '../errors.js';
import { problem } from '../model/problem.js';
import { cacheDir } from '../models/paths.js';
import { parseProviderChoice } from '../runtime/providers.js';
import type { ProviderChoice } from '../model/providers.js';
import { resolveProviders } from '../runtime/auto-providers.js';
import { nodeModelKeys, readTuneCache } from '../tune/tune-cache.js';
import type { FusedStrategy } from '../node-api/define-node.js';
import type { Plan } from '../model/plan.js';
import { defaultPaths } from './paths.js';
import { freemem } from 'node:os';
import { modelBytes } from '../models/paths.js';

export interface PreparedGraph {
  problems: Problem[];
  graph: ResolvedGraph | null;
  plan: Plan | null;
}

export interface PrepareOptions {
  /**
   * The providers asked for (a --provider flag, the editor's run options). When absent, the
   * document's own `providers`, else auto.
   */
  providers?: readonly ProviderChoice[];
  /** Run the nodes' own checks (files present, models pulled); default true. */
  checks?: boolean;
  cwd?: string;
  /** Every file a node names must lie inside this folder (the server's sandbox). */
  confineTo?: string;
  cpuThreads?: number;
  replicas?: number;
  /** Memory copies of model stages may use; default MEMORY_SHARE of the memory free now. */
  availableBytes?: number;
  /** Every fused stage runs this way (framefuse tune tries each); default: measured, else by provider. */
  strategy?: FusedStrategy;
  /** Use what framefuse tune measured on this machine (default true). */
  tuned?: boolean;
}

export async function prepareGraph(document: GraphDocument, registry: NodeRegistry, options: PrepareOptions): Promise<PreparedGraph> {
  const paths = { ...defaultPaths(), ...(options.cwd ? { cwd: options.cwd } : {}) };
  let choice: readonly ProviderChoice[];
  try {
    choice = options.providers ?? parseProviderChoice(document.providers, 'providers');
  } catch (error) {
    if (!isFramefuseError(error)) throw error;
    return { problems: [problem(error.code, `${error.message}${error.fix ? `: ${error.fix}` : ''}`, { field: 'providers' })], graph: null, plan: null };
  }
  const decision = await resolveProviders(choice, { cacheDir: cacheDir(paths.models) });
  const { problems, graph } = await validateGraph(document, registry, {
    ...(options.checks === false ? {} : { checkEnv: { cwd: paths.cwd, models: paths.models, providers: decision.providers } }),
    ...(options.confineTo === undefined ? {} : { confineTo: options.confineTo }),
  });
  if (!graph || hasErrors(problems)) return { problems, graph: null, plan: null };
  // What framefuse tune measured here; the models are hashed only when something was measured.
  const cache = options.tuned === false ? null : readTuneCache(paths.models);
  const tuning = cache && Object.keys(cache.stages).length > 0 ? { nodeKeys: await nodeModelKeys(graph, paths), stages: cache.stages } : undefined;
  const plan = planStages(graph, {
    providers: decision.providers,
    providerReason: decision.reason,
    ...(tuning ? { tuning } : {}),
    ...(options.strategy ? { strategy: options.strategy } : {}),
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
