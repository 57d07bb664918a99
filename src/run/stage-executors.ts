/**
 * From a plan stage to the executors that run it: a StageCore on this thread (host and
 * media stages, sources), or one WorkerStage per copy (model and compute stages). The
 * nodes get the parameters validation parsed; nothing parses them again.
 */
import type { ResolvedGraph } from '../graph/resolved-graph.js';
import type { LiveHooks, NodePaths } from '../node-api/define-node.js';
import type { OutputPolicy } from '../files/output-policy.js';
import type { PlanStage } from '../model/plan.js';
import { portKey, type PortKey } from '../model/port-key.js';
import { StageCore } from './stage-core.js';
import type { LogSink, StageInput, StageSpec } from './stage-spec.js';
import type { StageExecutor } from './stage-executor.js';
import { WorkerStage } from './worker-stage.js';
import type { ExecutionView } from '../plan/look-through.js';
import type { WarmStages } from './warm-stages.js';

export interface StageSetting {
  graph: ResolvedGraph;
  view: ExecutionView;
  paths: NodePaths;
  output: OutputPolicy;
  compose: boolean;
  signal: AbortSignal;
  log: LogSink;
  /** Idle worker stages kept from earlier runs (a farm worker's segments); taken when identical. */
  warmStages?: WarmStages;
  /** Live hooks for the nodes on this thread (workers' nodes get none). */
  live?: LiveHooks;
}

/** True when the stage's nodes run in worker threads. */
export function runsInWorker(stage: PlanStage): boolean {
  return (stage.kind === 'accelerator' || stage.kind === 'compute') && !stage.source;
}

function stageSpec(stage: PlanStage, setting: StageSetting): StageSpec {
  const members = new Set(stage.nodes);
  const inputs: StageInput[] = setting.view.edges
    .filter((e) => members.has(e.to.node))
    .map((e) => ({ node: e.to.node, port: e.to.port, from: portKey(e.from), rate: e.rate }));
  const outputs: PortKey[] = stage.outputs.map(portKey);
  return {
    compose: setting.compose,
    id: stage.id,
    nodes: stage.nodes.map((id) => {
      const node = setting.graph.nodes.get(id)!;
      return { id, definition: node.definition, params: node.params };
    }),
    inputs,
    outputs,
    batchSize: stage.batchSize,
    threads: stage.threads,
    providers: stage.providers,
    strategy: stage.strategy,
    paths: setting.paths,
    output: setting.output,
  };
}

/** The stage's executors: one, or one per copy of a replicable worker stage. */
export function createExecutors(stage: PlanStage, setting: StageSetting): StageExecutor[] {
  const spec = stageSpec(stage, setting);
  if (!runsInWorker(stage)) return [new StageCore(spec, setting.signal, setting.log, setting.live)];
  const nodes = spec.nodes.map((n) => ({ id: n.id, moduleUrl: setting.graph.nodes.get(n.id)!.moduleUrl, params: n.params }));
  const { output, ...thread } = spec;
  const data = { ...thread, nodes, parkSessions: setting.warmStages !== undefined };
  return Array.from({ length: stage.replicas }, () => {
    const warm = setting.warmStages?.take(WorkerStage.keyOf(data)) ?? null;
    warm?.adopt({ output }, setting.log);
    return warm ?? new WorkerStage(data, { output }, setting.log);
  });
}
