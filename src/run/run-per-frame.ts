/**
 * The per-frame runner: one frame at a time through every node, in topological order, on
 * one thread, with no queues, batches, workers or fusion (a model may still use every core
 * inside one run, as onnxruntime does by default). It is how the tools framefuse
 * replaces work, and the reference the streaming scheduler is checked against: for any
 * graph both must produce the same outputs.
 */
import { modelMs } from '../runtime/model-clock.js';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { executionView } from '../plan/look-through.js';
import { portKey } from '../model/port-key.js';
import type { ResolvedGraph } from '../graph/resolved-graph.js';
import type { ExecutionProvider, NodeInstance, NodePaths, SourceChunk } from '../node-api/define-node.js';
import { cancelledError } from '../errors.js';
import { attribute } from './stage-spec.js';
import { defaultPaths } from './paths.js';
import { outputPolicyOf, type RunWriteOptions } from './run-files.js';
import { withPassedThroughFacts } from './stream-facts.js';

export interface PerFrameOptions extends RunWriteOptions {
  signal?: AbortSignal;
  providers?: ExecutionProvider[];
  /**
   * Intra-op threads for each model. Default: every core, as onnxruntime's own default
   * and the tools this baseline stands for (FaceFusion, Deep-Live-Cam) use them.
   */
  threads?: number;
  paths?: Partial<NodePaths>;
}

type Frame = { index: number; pts: number; values: Record<string, unknown> };

async function* framesOf(id: string, instance: NodeInstance): AsyncGenerator<Frame> {
  for await (const chunk of instance.produce!() as AsyncIterable<SourceChunk>) {
    for (let i = 0; i < chunk.indices.length; i++) {
      const values: Record<string, unknown> = {};
      for (const [port, column] of Object.entries(chunk.outputs)) values[portKey({ node: id, port })] = (column as unknown[])[i];
      yield { index: chunk.indices[i]!, pts: chunk.pts[i]!, values };
    }
  }
}

export interface PerFrameResult {
  outputs: Record<string, unknown>;
  frames: number;
  /** From the start until the sources gave their first frame (models loaded, nodes opened); null with no frames. */
  loadMs: number | null;
  /** From the first source frame until the last frame went through every node, as runPlan measures it. */
  pipelineMs: number | null;
  /** The part of pipelineMs spent inside model runs (everything runs on this thread). */
  modelMs: number;
}

export async function runPerFrame(graph: ResolvedGraph, options: PerFrameOptions = {}): Promise<PerFrameResult> {
  const t0 = performance.now();
  const signal = options.signal ?? new AbortController().signal;
  const paths = { ...defaultPaths(), ...options.paths };
  const { edges, order } = executionView(graph);
  const instances = new Map<string, NodeInstance>();
  const output = await outputPolicyOf(graph, paths, options);
  const streamInputs = (id: string) => edges.filter((e) => e.to.node === id && e.rate === 'stream');
  try {
    for (const id of order) {
      const node = graph.nodes.get(id)!;
      try {
        instances.set(
          id,
          await node.definition.create({
            id,
            params: node.params,
            signal,
            log: { info: () => undefined, warn: () => undefined },
            providers: options.providers ?? ['cpu'],
            threads: options.threads ?? availableParallelism(),
            batchSize: 1,
            strategy: 'composed',
            deviceGlue: false,
            paths,
            output,
          }),
        );
      } catch (error) {
        throw attribute(error, id);
      }
    }
    const announced: Record<string, unknown> = {};
    for (const id of order) {
      const inputs: Record<string, unknown> = {};
      for (const e of edges.filter((e) => e.to.node === id)) inputs[e.to.port] = announced[portKey(e.from)];
      try {
        const out = (await instances.get(id)!.open?.(inputs as never)) ?? {};
        const own = withPassedThroughFacts(graph.nodes.get(id)!.definition, inputs, out as Record<string, unknown>);
        for (const [port, value] of Object.entries(own)) announced[portKey({ node: id, port })] = value;
      } catch (error) {
        throw attribute(error, id);
      }
    }

    const sources = order.filter((id) => instances.get(id)!.produce && streamInputs(id).length === 0);
    const iterators = sources.map((id) => framesOf(id, instances.get(id)!));
    const consumers = order.filter((id) => streamInputs(id).length > 0);
    let frames = 0;
    let firstFrameAt: number | null = null;
    let modelAtFirstFrame = modelMs();
    for (;;) {
      if (signal.aborted) throw cancelledError();
      const steps = await Promise.all(iterators.map((it) => it.next()));
      if (steps.length === 0 || steps.every((s) => s.done)) break;
      if (firstFrameAt === null) {
        firstFrameAt = performance.now();
        modelAtFirstFrame = modelMs();
      }
      if (steps.some((s) => s.done)) throw new Error('sources of different lengths');
      const first = steps[0]!.value as Frame;
      const values: Record<string, unknown> = {};
      for (const step of steps) Object.assign(values, (step.value as Frame).values);
      for (const id of consumers) {
        const inputs: Record<string, unknown[]> = {};
        for (const e of streamInputs(id)) inputs[e.to.port] = [values[portKey(e.from)]];
        try {
          const out = ((await instances.get(id)!.process!({ indices: [first.index], pts: [first.pts], inputs } as never)) ?? {}) as Record<string, unknown[]>;
          for (const [port, column] of Object.entries(out)) values[portKey({ node: id, port })] = column[0];
        } catch (error) {
          throw attribute(error, id);
        }
      }
      frames++;
    }
    const pipelineEndAt = performance.now();

    const outputs: Record<string, unknown> = {};
    for (const id of order) {
      try {
        const result = await instances.get(id)!.finish?.();
        if (result !== undefined) outputs[id] = result;
      } catch (error) {
        throw attribute(error, id);
      }
    }
    return { outputs, frames, loadMs: firstFrameAt === null ? null : firstFrameAt - t0, pipelineMs: firstFrameAt === null ? null : pipelineEndAt - firstFrameAt, modelMs: modelMs() - modelAtFirstFrame };
  } finally {
    for (const id of [...order].reverse()) await Promise.resolve(instances.get(id)?.dispose?.()).catch(() => undefined);
  }
}
