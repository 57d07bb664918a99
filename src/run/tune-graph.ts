/**
 * `framefuse tune`: which provider, batch size and fused strategy run each model stage of a
 * graph fastest on this machine, measured rather than guessed. One size does not fit all:
 * on an H200 with WebGPU the 128 swapper ran 3x faster per face at batch 8 than at 1, the
 * 512 enhancer gained nothing and lost past 8, and YuNet ran faster on 16 CPU cores than
 * on the GPU while the face chain ran 3x faster on the GPU.
 *
 * How: the graph runs on an excerpt of its own input (the first `frames` frames; its sinks
 * left out, so nothing is written) once per provider, strategy and batch size, and each
 * model stage's steady busy time per frame is read from the run's metrics (each copy's
 * first batch left out: it pays for shader compilation and memory planning). That is the
 * stage's real work on real frames: its models, plus what little host work the stage keeps
 * (on a GPU, placing the crops). The best configuration per stage is cached per machine.
 */
import type { GraphDocument } from '../model/document.js';
import type { NodeRegistry } from '../node-api/registry.js';
import type { ExecutionProvider, FusedStrategy } from '../node-api/define-node.js';
import { prepareGraph } from './prepare-graph.js';
import { runPlan } from './run-plan.js';
import { defaultPaths } from './paths.js';
import { stageKey } from '../plan/plan-stages.js';
import { BATCH_SIZES } from '../plan/batch-sizes.js';
import { isFramefuseError } from '../errors.js';
import { probeProviders } from '../runtime/providers.js';
import { deviceName, nodeModelKeys, writeTuneCache, type TunedEntry, type TuneMeasurement } from '../tune/tune-cache.js';

export interface TuneOptions {
  /** Providers to measure (those that do not load are reported and skipped). */
  providers: readonly ExecutionProvider[];
  /** Batch sizes to try where a Batcher sets the size. Default every size of the set. */
  batches?: readonly number[];
  /** Frames of the input each configuration runs. Default: three batches of the largest size, at least 48. */
  frames?: number;
  cwd?: string;
  signal?: AbortSignal;
  /** One line per configuration as it finishes. */
  onProgress?: (line: string) => void;
  /** Write the best configurations to the machine's tune cache (default true). */
  save?: boolean;
}

export interface TuneReport {
  /** Per tuned stage key: its nodes, every measurement, and the best. */
  stages: TunedEntry[];
  cacheFile: string | null;
}

/** The document with its sinks left out (nothing is written) and every Batcher pinned to `batch`. */
export function tuningDocument(document: GraphDocument, registry: NodeRegistry, batch: number): GraphDocument {
  const sinks = new Set(
    document.nodes
      .filter((n) => {
        const def = registry.get(n.type)?.definition;
        return def !== undefined && Object.keys(def.outputs).length === 0;
      })
      .map((n) => n.id),
  );
  return {
    ...document,
    nodes: document.nodes
      .filter((n) => !sinks.has(n.id))
      .map((n) => (registry.get(n.type)?.definition.batching ? { ...n, params: { ...n.params, size: batch } } : n)),
    edges: document.edges.filter((e) => !sinks.has(e.to.node) && !sinks.has(e.from.node)),
  };
}

function strategiesFor(provider: ExecutionProvider, composing: boolean): FusedStrategy[] {
  // Only WebGPU keeps values on the device between sessions (elsewhere chained means
  // copies), and only stages a fusion family composes have a strategy to choose.
  return provider === 'webgpu' && composing ? ['chained', 'composed'] : ['composed'];
}

export async function tuneGraph(document: GraphDocument, registry: NodeRegistry, options: TuneOptions): Promise<TuneReport> {
  const paths = { ...defaultPaths(), ...(options.cwd ? { cwd: options.cwd } : {}) };
  const batchedBy = document.nodes.some((n) => registry.get(n.type)?.definition.batching);
  // Without a Batcher every stage runs one frame at a time: there is no size to choose.
  const batches = batchedBy ? [...(options.batches ?? BATCH_SIZES)] : [1];
  const frames = options.frames ?? Math.max(48, 3 * Math.max(...batches));
  const measured = new Map<string, { nodes: string[]; composed: boolean; table: TuneMeasurement[] }>();
  const devices = new Map<ExecutionProvider, string>();

  // Only providers that load: a stage that fell back would be measured under the wrong name.
  const reports = await probeProviders();
  const providers = options.providers.filter((p) => reports.some((r) => r.name === p && r.available));
  for (const skipped of options.providers.filter((p) => !providers.includes(p))) {
    options.onProgress?.(`${skipped}: skipped, it does not load here (${reports.find((r) => r.name === skipped)?.reason ?? 'unknown'})`);
  }
  const first = await prepareGraph(tuningDocument(document, registry, batches[0]!), registry, { providers: ['cpu'], checks: false, cwd: paths.cwd });
  const composing = first.plan?.stages.some((s) => s.composedBy !== null) ?? false;
  for (const provider of providers) {
    for (const strategy of strategiesFor(provider, composing)) {
      for (const batch of batches) {
        if (options.signal?.aborted) throw options.signal.reason;
        const prepared = await prepareGraph(tuningDocument(document, registry, batch), registry, { providers: [provider], checks: false, cwd: paths.cwd, strategy });
        if (!prepared.graph || !prepared.plan) throw new Error(`the graph cannot be planned for tuning: ${prepared.problems.map((p) => p.message).join('; ')}`);
        const keys = await nodeModelKeys(prepared.graph, paths);
        const stages = prepared.plan.stages.filter((s) => s.kind === 'accelerator' && s.streaming);
        const record = (entry: (typeof stages)[number], m: TuneMeasurement) => {
          const key = stageKey(entry.nodes, keys);
          if (!key) return;
          const slot = measured.get(key) ?? { nodes: entry.nodes, composed: entry.composedBy !== null, table: [] };
          slot.table.push(m);
          measured.set(key, slot);
        };
        try {
          const { metrics } = await runPlan(prepared.graph, prepared.plan, { frameLimit: frames, paths, ...(options.signal ? { signal: options.signal } : {}) });
          for (const stage of stages) {
            const m = metrics.stages.find((s) => s.id === stage.id);
            // The stage's real provider: a fallback (no adapter) is measured as what it ran on.
            record(stage, { provider, batch: stage.batchSize, strategy, msPerFrame: m?.steadyMsPerFrame ?? null });
          }
          options.onProgress?.(`${provider}${composing ? ` ${strategy}` : ''} batch ${batch}: ${stages.map((s) => `${s.nodes.join('+')} ${(metrics.stages.find((m) => m.id === s.id)?.steadyMsPerFrame ?? NaN).toFixed(2)} ms/frame`).join(', ')}`);
        } catch (error) {
          if (isFramefuseError(error) && error.kind === 'cancelled') throw error;
          const message = (error as Error).message.split('\n')[0] ?? String(error);
          for (const stage of stages) record(stage, { provider, batch, strategy, msPerFrame: null, error: message });
          options.onProgress?.(`${provider} ${strategy} batch ${batch}: failed (${message})`);
          // A provider that cannot run this graph at one size will not at the others.
          if (/could not load|no WebGPU adapter|FF_MODEL_LOAD_FAILED/.test(message)) break;
        }
        if (!devices.has(provider)) devices.set(provider, deviceName(provider));
      }
    }
  }

  const entries: Record<string, TunedEntry> = {};
  for (const [key, { nodes, composed, table }] of measured) {
    const ok = table.filter((m): m is TuneMeasurement & { msPerFrame: number } => m.msPerFrame !== null && Number.isFinite(m.msPerFrame));
    if (ok.length === 0) continue;
    const best = ok.reduce((a, b) => (b.msPerFrame < a.msPerFrame ? b : a));
    entries[key] = {
      provider: best.provider,
      batch: best.batch,
      strategy: best.strategy,
      msPerFrame: best.msPerFrame,
      device: devices.get(best.provider) ?? best.provider,
      nodes,
      composed,
      measuredAt: new Date().toISOString(),
      table,
    };
  }
  const cacheFile = options.save === false || Object.keys(entries).length === 0 ? null : writeTuneCache(paths.models, entries);
  return { stages: Object.values(entries), cacheFile };
}
