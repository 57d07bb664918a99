/**
 * The planner: a pure function from a validated graph and the machine to a plan.
 *   1. Look through batch-setting pass-through nodes (the Batcher): their consumers read
 *      the Batcher's input directly and run with its batch policy.
 *   2. Give every node the batch policy of its stream inputs (a Batcher sets it; else the
 *      largest of its producers'; sources start at 1).
 *   3. Group nodes into stages in topological order: each media and host node alone;
 *      an accelerator node joins the stage of an accelerator producer with the same batch
 *      policy when the merge creates no cycle between stages (fusion).
 *   4. Wire stage inputs and outputs, share CPU threads among accelerator stages (less a
 *      core per compute stage), and give stateless (replicable) model stages one copy per
 *      core on CPUs.
 */
import { cpus } from 'node:os';
import { portRate } from '../model/port-types.js';
import type { ResolvedGraph, ResolvedNode } from '../graph/resolved-graph.js';
import type { ExecutionProvider, FusedStrategy } from '../node-api/define-node.js';
import type { PassThroughNode, Plan, PlanStage, PortRef } from '../model/plan.js';
import { commonFusionFamily, fusionCandidates } from '../node-api/fusion-family.js';
import { portKey } from '../model/port-key.js';
import { formatBytes } from '../format-bytes.js';
import { executionView } from './look-through.js';
import { batchFor, batchPolicies } from './batch-policy.js';

export interface PlanOptions {
  /** Execution providers present on the machine, in order of preference. */
  providers: ExecutionProvider[];
  /** Why these providers (shown by `framefuse plan`); default "as asked". */
  providerReason?: string;
  /** CPU threads available to inference; defaults to the core count. */
  cpuThreads?: number;
  /**
   * Copies of each replicable model or compute stage. Default: on the CPU provider one
   * single-threaded copy per core (batch-level parallelism scales on CPUs, intra-op
   * threads often do not); with a GPU provider first, 1.
   */
  replicas?: number;
  /**
   * Memory for the default copy count: each copy of a stage holds its own sessions, about
   * MODEL_FOOTPRINT times its nodes' model files. Without it, copies are not limited.
   */
  memory?: StageMemory;
  /**
   * What `framefuse tune` measured on this machine, by stage key (stageKey: the stage's
   * node types and model hashes), and each node's key. A stage found here runs on the
   * measured provider, strategy and (for a Batcher's `auto` size) batch.
   */
  tuning?: { nodeKeys: Record<string, string>; stages: Record<string, TunedStage> };
  /** Every fused stage runs this way, whatever was measured (framefuse tune tries each). */
  strategy?: FusedStrategy;
}

/** The best configuration `framefuse tune` measured for a stage's models on this machine. */
export interface TunedStage {
  provider: ExecutionProvider;
  batch: number;
  strategy: FusedStrategy;
  /** Busy milliseconds per frame of the stage at that configuration. */
  msPerFrame: number;
  /** The device it was measured on, in words. */
  device: string;
}

/** A stage's identity for tuning: its nodes' types and models, in order (null when a model is unknown). */
export function stageKey(nodes: readonly string[], nodeKeys: Record<string, string>): string | null {
  const keys = nodes.map((id) => nodeKeys[id]);
  return keys.every((k) => k !== undefined) ? keys.join('|') : null;
}

export interface StageMemory {
  /** Bytes copies may use (a share of the memory free when the run is planned). */
  availableBytes: number;
  /** Bytes of model files each node loads (NodeDefinition.models, resolved). */
  nodeModelBytes: Record<string, number>;
}

/**
 * Resident memory of an onnxruntime CPU session per byte of its model file, measured on a
 * 119 MB generated convolution model: 4.2x after loading (the file read, its parsed graph,
 * prepacked weights), 4.7x after the first run (activations). Rounded up for the planner.
 */
export const MODEL_FOOTPRINT = 5;

function isLiveSource(node: ResolvedNode): boolean {
  const flag = node.definition.liveSource;
  return typeof flag === 'function' ? flag(node.params) : flag === true;
}

/** Latency first: every stage takes one frame at a time, with no flush deadline. */
const LIVE_BATCH = { size: 1, reason: 'live: one frame at a time (latency first)' };

function isReplicable(node: ResolvedNode): boolean {
  const flag = node.definition.replicable;
  return typeof flag === 'function' ? flag(node.params) : flag === true;
}

function reachableFrom(starts: Iterable<string>, successors: Map<string, Set<string>>): Set<string> {
  const seen = new Set<string>();
  const stack = [...starts];
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const next of successors.get(id) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return seen;
}

export function planStages(graph: ResolvedGraph, options: PlanOptions): Plan {
  const { passThrough: passThroughIds, edges, order } = executionView(graph);
  const policies = batchPolicies(graph, passThroughIds);
  const liveSources = order.filter((id) => isLiveSource(graph.nodes.get(id)!));
  const latencyFirst = liveSources.length > 0;

  const successors = new Map<string, Set<string>>(order.map((id) => [id, new Set()]));
  for (const e of edges) successors.get(e.from.node)!.add(e.to.node);
  const streamIn = (id: string) => edges.filter((e) => e.to.node === id && e.rate === 'stream');
  const hasStreamOut = (id: string) => Object.values(graph.nodes.get(id)!.definition.outputs).some((p) => portRate(p.type) === 'stream');
  const isStreaming = (id: string) => streamIn(id).length > 0 || hasStreamOut(id);

  // 3. Stages, with fusion of accelerator chains.
  const groups: string[][] = [];
  const groupOf = new Map<string, number>();
  for (const id of order) {
    const node = graph.nodes.get(id)!;
    let target: number | undefined;
    if (node.definition.kind === 'accelerator' && isStreaming(id)) {
      const policy = policies.get(id)!;
      for (const edge of streamIn(id)) {
        const g = groupOf.get(edge.from.node);
        if (g === undefined) continue;
        const head = groups[g]![0]!;
        const producer = graph.nodes.get(head)!;
        const same = policies.get(head)!;
        if (producer.definition.kind !== 'accelerator' || same.size !== policy.size || same.deadlineMs !== policy.deadlineMs) continue;
        // Only nodes of one fusion family (or of none) share a stage: a family composes a
        // stage whose nodes are all its own, so mixing families would stop it from composing.
        if (groups[g]!.some((member) => graph.nodes.get(member)!.definition.fusion?.id !== node.definition.fusion?.id)) continue;
        if (streamIn(head).length === 0) continue; // a source stays alone
        // Merging is safe unless another producer of this node depends on the group.
        const downstream = reachableFrom(groups[g]!, successors);
        const producers = edges.filter((e) => e.to.node === id).map((e) => e.from.node);
        if (producers.some((p) => groupOf.get(p) !== g && downstream.has(p))) continue;
        target = g;
        break;
      }
    }
    if (target === undefined) {
      target = groups.length;
      groups.push([]);
    }
    groups[target]!.push(id);
    groupOf.set(id, target);
  }

  // 4. Wiring and threads.
  const streamingOf = (kind: string) => groups.filter((g) => graph.nodes.get(g[0]!)!.definition.kind === kind && g.some(isStreaming)).length;
  const acceleratorStages = streamingOf('accelerator');
  const cpuThreads = options.cpuThreads ?? cpus().length;
  // A compute stage (JavaScript in a worker) keeps a core busy: intra-op threads share what
  // is left. On 2 cores the anonymize graph's detector runs 5% faster on one thread beside
  // the Anonymizer's copies than on two (107-115 against 103-106 fps).
  const threadsEach = Math.max(1, Math.floor((cpuThreads - streamingOf('compute')) / Math.max(1, acceleratorStages)));
  // The family's own check decides whether a stage is composed, shown the stage as the run's fuse() will be.
  const composition = (nodes: string[], outputs: PortRef[]): { composedBy: string | null; composeDeclined?: string } => {
    const family = commonFusionFamily(nodes.map((id) => graph.nodes.get(id)!.definition));
    if (!family) return { composedBy: null };
    const members = new Set(nodes);
    const candidates = fusionCandidates(
      nodes.map((id) => ({ id, definition: graph.nodes.get(id)!.definition, params: graph.nodes.get(id)!.params })),
      edges.filter((e) => members.has(e.to.node)).map((e) => ({ node: e.to.node, port: e.to.port, from: portKey(e.from), rate: e.rate })),
      outputs.map(portKey),
    );
    const declined = family.check?.(candidates);
    return declined ? { composedBy: null, composeDeclined: `${family.id} declines: ${declined}` } : { composedBy: family.id };
  };
  const stages: PlanStage[] = groups.map((nodes, index) => {
    const members = new Set(nodes);
    const kind = graph.nodes.get(nodes[0]!)!.definition.kind;
    const policy = policies.get(nodes[0]!)!;
    const external = edges.filter((e) => members.has(e.to.node) && !members.has(e.from.node));
    const inputs = uniqueRefs(external.filter((e) => e.rate === 'stream').map((e) => e.from));
    const outputs = uniqueRefs(edges.filter((e) => members.has(e.from.node) && !members.has(e.to.node) && e.rate === 'stream').map((e) => e.from));
    const after = [...new Set(external.map((e) => `s${groupOf.get(e.from.node)! + 1}`))];
    const streaming = nodes.some(isStreaming);
    const replicable =
      (kind === 'accelerator' || kind === 'compute') && streaming && nodes.every((id) => streamIn(id).length > 0 && isReplicable(graph.nodes.get(id)!));
    const cpuOnly = options.providers[0] === 'cpu';
    let replicas = replicable ? Math.max(1, Math.floor(options.replicas ?? (cpuOnly ? cpuThreads : 1))) : 1;
    let replicasNote: string | undefined;
    const modelBytes = nodes.reduce((sum, id) => sum + (options.memory?.nodeModelBytes[id] ?? 0), 0);
    if (replicas > 1 && options.replicas === undefined && options.memory && modelBytes > 0) {
      const perCopy = MODEL_FOOTPRINT * modelBytes;
      const fit = Math.max(1, Math.floor(options.memory.availableBytes / perCopy));
      if (fit < replicas) {
        replicasNote = `${fit} ${fit === 1 ? 'copy' : 'copies'}, not ${replicas}: each needs about ${formatBytes(perCopy)} (${MODEL_FOOTPRINT}x its ${formatBytes(modelBytes)} of models) and ${formatBytes(options.memory.availableBytes)} is available; --replicas overrides`;
        replicas = fit;
      }
    }
    const accelerator = kind === 'accelerator' && streaming;
    const key = accelerator && options.tuning ? stageKey(nodes, options.tuning.nodeKeys) : null;
    const measured = key ? options.tuning?.stages[key] : undefined;
    const tuned = measured && options.providers.includes(measured.provider) ? measured : undefined;
    const providers = kind !== 'accelerator' ? [] : tuned ? [tuned.provider, ...options.providers.filter((p) => p !== tuned.provider)] : [...options.providers];
    const onGpu = providers[0] !== undefined && providers[0] !== 'cpu';
    const batch = latencyFirst ? LIVE_BATCH : batchFor(policy, accelerator, onGpu, tuned);
    return {
      id: `s${index + 1}`,
      kind,
      nodes,
      fused: kind === 'accelerator' && nodes.length > 1,
      ...(kind === 'accelerator' ? composition(nodes, outputs) : { composedBy: null }),
      ...(options.strategy
        ? { strategy: options.strategy, strategyReason: 'as asked' }
        : tuned
          ? { strategy: tuned.strategy, strategyReason: `measured by framefuse tune on ${tuned.device}` }
          : defaultStrategy(providers)),
      streaming,
      source: streaming && nodes.every((id) => streamIn(id).length === 0),
      batchSize: batch.size,
      batchReason: batch.reason,
      deadlineMs: latencyFirst ? 0 : policy.deadlineMs,
      batchSetBy: latencyFirst ? null : policy.setBy,
      inputs,
      outputs,
      after,
      providers,
      ...(tuned ? { tuned: `${tuned.provider}, batch ${tuned.batch}, ${tuned.strategy}: ${tuned.msPerFrame.toFixed(2)} ms a frame on ${tuned.device}` } : {}),
      threads: kind === 'accelerator' ? (replicas > 1 ? 1 : threadsEach) : 1,
      replicas,
      ...(replicasNote ? { replicasNote } : {}),
    };
  });

  const passThrough: PassThroughNode[] = [...passThroughIds].map((id) => {
    const into = graph.edges.find((e) => e.to.node === id)!;
    const policy = policies.get(id)!;
    return { node: id, from: into.from, batchSize: policy.size, deadlineMs: policy.deadlineMs };
  });

  const mode = latencyFirst
    ? { mode: 'latency' as const, modeReason: `live source ${liveSources.join(', ')}: batch 1, queues of 2 that drop the oldest frame when a stage falls behind` }
    : {}; // throughput: plans of file runs stay as they were
  return { planVersion: 1, ...mode, graph: graph.name, providers: [...options.providers], providerReason: options.providerReason ?? `as asked: ${options.providers.join(', ')}`, stages, passThrough };
}

/**
 * Without a measurement: on WebGPU, sessions chained on the device (an H200 measured 5.9 ms
 * a face chained, 6.6 composed); elsewhere one composed model (onnxruntime-node's CUDA
 * provider copies every session's outputs to the host, so chaining would add copies).
 */
function defaultStrategy(providers: readonly ExecutionProvider[]): { strategy: FusedStrategy; strategyReason: string } {
  return providers[0] === 'webgpu'
    ? { strategy: 'chained', strategyReason: 'webgpu keeps values on the device between sessions (not measured here: framefuse tune measures it)' }
    : { strategy: 'composed', strategyReason: `${providers[0] ?? 'this provider'} copies every session's outputs to the host, so one linked model` };
}

function uniqueRefs(refs: PortRef[]): PortRef[] {
  const seen = new Map<string, PortRef>();
  for (const ref of refs) seen.set(portKey(ref), { node: ref.node, port: ref.port });
  return [...seen.values()];
}
