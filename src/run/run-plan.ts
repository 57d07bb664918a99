/**
 * The scheduler: runs a plan as a streaming pipeline.
 *   1. Create every stage's nodes: host and media stages on this thread, accelerator
 *      stages in a worker each.
 *   2. Open the stages in order: each learns its producers' stream facts and values.
 *   3. Connect stages with bounded queues, one per consumer of each stream.
 *   4. Run every stage's loop at once: sources produce, the others form batches, process
 *      them (up to two batches in flight per worker) and pass the results on, in order.
 *   5. When every stream has ended, finish the nodes (outputs are committed here).
 * Whatever happens, every stage is disposed. The first failure (or a cancel) aborts every
 * queue, so all loops stop at once, and names the node that failed.
 */
import { performance } from 'node:perf_hooks';
import { cancelledError, isFramefuseError, serializeError, type FramefuseError } from '../errors.js';
import { executionEdges } from '../plan/plan-stages.js';
import type { Plan, PlanStage } from '../plan/plan-types.js';
import type { ResolvedGraph } from '../graph/resolved-graph.js';
import type { NodePaths } from '../node-api/define-node.js';
import { BatchFormer, type FormedBatch } from './batch-former.js';
import { FrameQueue } from './frame-queue.js';
import { StageCore, type LogSink, type StageInput, type StageSpec } from './stage-core.js';
import type { StageExecutor } from './stage-executor.js';
import { WorkerStage } from './worker-stage.js';
import { buildMetrics, type RunMetrics, type StageCounters } from './run-metrics.js';
import type { RunEvent } from './run-events.js';
import type { NodeStats } from './stage-stats.js';
import { defaultPaths } from './paths.js';
import { outputPolicyOf, type RunWriteOptions } from './run-files.js';
import type { OutputPolicy } from '../files/output-policy.js';
import type { WarmStages } from './warm-stages.js';

export interface RunOptions extends RunWriteOptions {
  /** Aborting it cancels the run: every stage stops, nodes are disposed, the run rejects with FF_CANCELLED. */
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /** Least capacity of each queue between stages, in frames (default 8; at least twice the largest batch). */
  queueFrames?: number;
  paths?: Partial<NodePaths>;
  /** How often progress events are sent, in ms (default 500). */
  progressIntervalMs?: number;
  /** Let fusion families compose fused stages into one model (default true); false runs their nodes one by one. */
  compose?: boolean;
  /**
   * End the sources after this many frames, as if the video ended there (framefuse tune
   * runs an excerpt this way). Default: no limit.
   */
  frameLimit?: number;
  /**
   * Keep the model stages' threads (and their sessions) for the next run instead of ending
   * them, and take identical ones from earlier runs (warm-stages.ts). A farm worker passes
   * one across segments; a plain run does not.
   */
  warmStages?: WarmStages;
}

export interface RunResult {
  /** What each node's finish() returned, by node id (the Encoder's output file, a sink's checksum...). */
  outputs: Record<string, unknown>;
  metrics: RunMetrics;
}

const WORKER_IN_FLIGHT = 2;

function stageSpec(graph: ResolvedGraph, stage: PlanStage, inputs: StageInput[], paths: NodePaths, output: OutputPolicy, compose: boolean): StageSpec {
  return {
    compose,
    id: stage.id,
    nodes: stage.nodes.map((id) => {
      const node = graph.nodes.get(id)!;
      return { id, definition: node.definition, rawParams: node.rawParams };
    }),
    inputs,
    outputs: stage.outputs.map((r) => `${r.node}.${r.port}`),
    batchSize: stage.batchSize,
    threads: stage.threads,
    providers: stage.providers,
    strategy: stage.strategy,
    paths,
    output,
  };
}

/** Resolves with `promise`, or rejects as soon as `signal` aborts. */
function untilAborted<T>(signal: AbortSignal, promise: Promise<T>): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Counters of the copies of the same nodes, added up. */
function mergeStats(all: readonly Record<string, NodeStats>[]): Record<string, NodeStats> {
  const merged: Record<string, NodeStats> = {};
  for (const stats of all) {
    for (const [id, s] of Object.entries(stats)) {
      const m = (merged[id] ??= { framesIn: 0, framesOut: 0, runs: 0, busyMs: 0, modelMs: 0, batchSizes: {}, warmupMs: 0, warmupFrames: 0 });
      m.modelMs += s.modelMs;
      m.warmupMs += s.warmupMs;
      m.warmupFrames += s.warmupFrames;
      m.framesIn += s.framesIn;
      m.framesOut += s.framesOut;
      m.runs += s.runs;
      m.busyMs += s.busyMs;
      for (const [size, count] of Object.entries(s.batchSizes)) m.batchSizes[size] = (m.batchSizes[size] ?? 0) + count;
    }
  }
  return merged;
}

export async function runPlan(graph: ResolvedGraph, plan: Plan, options: RunOptions = {}): Promise<RunResult> {
  const emit = options.onEvent ?? (() => undefined);
  const paths = { ...defaultPaths(), ...options.paths };
  const controller = new AbortController();
  const signal = controller.signal;
  let firstError: unknown = null;
  const fail = (error: unknown) => {
    if (firstError !== null) return;
    firstError = error;
    controller.abort(error);
  };
  const onCancel = () => fail(cancelledError());
  if (options.signal?.aborted) throw cancelledError();
  options.signal?.addEventListener('abort', onCancel, { once: true });

  const log: LogSink = (level, node, message) => emit({ type: 'log', level, node, message });
  const edges = executionEdges(graph);
  /** Each stage's executors: one, or several copies of a replicable stage. */
  const executors = new Map<string, StageExecutor[]>();
  const allExecutors = () => [...executors.values()].flat();
  const workers: WorkerStage[] = [];
  const queues: FrameQueue[] = [];
  const queuesInto = new Map<string, FrameQueue[]>();
  const counters: Record<string, StageCounters> = Object.fromEntries(
    plan.stages.map((s) => [s.id, { frames: 0, batches: 0, batchSizes: {}, queues: [] }]),
  );
  const announced: Record<string, unknown> = {};

  const startedAt = new Date();
  const t0 = performance.now();
  let peakRss = process.memoryUsage.rss();
  /** When the sources delivered their first frame, and when the last frame left the pipeline. */
  let firstFrameAt: number | null = null;
  let pipelineEndAt: number | null = null;
  const sinks = plan.stages.filter((s) => s.streaming && !s.source && s.outputs.length === 0);
  const framesDone = () => (sinks.length === 0 ? 0 : Math.min(...sinks.map((s) => counters[s.id]!.frames)));
  const framesTotal = (): number | null => {
    const counts = plan.stages
      .filter((s) => s.source)
      .flatMap((s) => s.outputs.map((r) => announced[`${r.node}.${r.port}`]))
      .map((info) => (info as { frameCount?: unknown } | undefined)?.frameCount)
      .filter((n): n is number => typeof n === 'number');
    return counts.length === 0 ? null : Math.min(...counts);
  };
  const snapshot = (): RunMetrics => {
    const stats = mergeStats(allExecutors().map((e) => e.stats));
    for (const [id, c] of Object.entries(counters)) {
      c.queues = queues.filter((q) => q.label.endsWith(`->${id}`)).map((q) => ({ label: q.label, depth: q.depth, maxDepth: q.maxDepth, capacity: q.capacity }));
    }
    const now = performance.now();
    const timing = firstFrameAt === null ? { loadMs: null, pipelineMs: null } : { loadMs: firstFrameAt - t0, pipelineMs: (pipelineEndAt ?? now) - firstFrameAt };
    return buildMetrics(plan, startedAt, now - t0, peakRss, stats, counters, framesDone(), timing);
  };
  const rssTimer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 100);
  const progressTimer = setInterval(() => emit({ type: 'progress', framesDone: framesDone(), framesTotal: framesTotal(), metrics: snapshot() }), options.progressIntervalMs ?? 500);
  rssTimer.unref();
  progressTimer.unref();

  signal.addEventListener('abort', () => {
    for (const queue of queues) queue.abort(signal.reason);
    for (const worker of workers) worker.abort();
  });

  emit({ type: 'started', plan });
  for (const stage of plan.stages) if (stage.replicasNote) log('info', stage.nodes.join('+'), stage.replicasNote);
  try {
    const output = await outputPolicyOf(graph, paths, options);
    // 1. Create: every stage at once (workers start and load their models side by side),
    // and a stage's copies load at the same time: start-up costs the slowest load, not the sum.
    const created = plan.stages.map((stage) => {
      const members = new Set(stage.nodes);
      const inputs: StageInput[] = edges
        .filter((e) => members.has(e.to.node))
        .map((e) => ({ node: e.to.node, port: e.to.port, from: `${e.from.node}.${e.from.port}`, rate: e.rate }));
      const spec = stageSpec(graph, stage, inputs, paths, output, options.compose ?? true);
      const copies: StageExecutor[] = [];
      if ((stage.kind === 'accelerator' || stage.kind === 'compute') && !stage.source) {
        const data = { ...spec, nodes: stage.nodes.map((id) => ({ id, moduleUrl: graph.nodes.get(id)!.moduleUrl, rawParams: graph.nodes.get(id)!.rawParams })) };
        for (let r = 0; r < stage.replicas; r++) {
          const warm = options.warmStages?.take(JSON.stringify(data)) ?? null;
          warm?.adopt(log);
          const worker = warm ?? new WorkerStage(data, log);
          workers.push(worker);
          copies.push(worker);
        }
      } else {
        copies.push(new StageCore(spec, signal, log));
      }
      executors.set(stage.id, copies);
      return copies.map((c) => c.create());
    });
    // Every load settles before a failure is reported, and the one reported is the first in
    // plan order, whichever finished first.
    const settled = await untilAborted(signal, Promise.allSettled(created.flat()));
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;

    // 2. Open, in order.
    for (const stage of plan.stages) {
      const members = new Set(stage.nodes);
      const external: Record<string, unknown> = {};
      for (const e of edges) {
        const key = `${e.from.node}.${e.from.port}`;
        if (members.has(e.to.node) && !members.has(e.from.node) && key in announced) external[key] = announced[key];
      }
      // Every copy opens on the same inputs; they announce the same facts, the first is kept.
      const opened = await untilAborted(signal, Promise.all(executors.get(stage.id)!.map((e) => e.open(external))));
      Object.assign(announced, opened[0]);
    }

    // 3. Queues: one per (stream, consuming stage).
    const largestBatch = Math.max(1, ...plan.stages.map((s) => s.batchSize));
    const capacity = Math.max(options.queueFrames ?? 8, 2 * largestBatch);
    const stageInputs = new Map<string, FrameQueue[]>();
    /** The stage each queue feeds. */
    const queueStage = new Map<FrameQueue, string>();
    for (const stage of plan.stages) {
      const own = stage.inputs.map((ref) => {
        const key = `${ref.node}.${ref.port}`;
        const queue = new FrameQueue(capacity, `${key}->${stage.id}`);
        queueStage.set(queue, stage.id);
        queues.push(queue);
        queuesInto.set(key, [...(queuesInto.get(key) ?? []), queue]);
        return queue;
      });
      stageInputs.set(stage.id, own);
    }
    if (signal.aborted) throw signal.reason;

    // 4. Run every stage's loop.
    // Who still needs each value a stage handed on: the worker stages it was queued for that
    // have not yet sent it to their thread. The last of them takes its buffers (a transfer)
    // instead of a copy: a decoded frame read by a detector and an anonymizer is copied once,
    // not twice. A value queued for a stage on this thread, or handed on twice (a node that
    // returns its input), is never transferred: it may still be held here.
    const holders = new WeakMap<object, number>();
    const workerStage = new Map(plan.stages.map((s) => [s.id, executors.get(s.id)![0] instanceof WorkerStage]));
    const deliver = async (stage: PlanStage, batch: { indices: number[]; pts: number[] }, streams: Record<string, unknown[]>) => {
      const c = counters[stage.id]!;
      if (stage.source) firstFrameAt ??= performance.now();
      c.frames += batch.indices.length;
      c.batches += 1;
      const size = String(batch.indices.length);
      c.batchSizes[size] = (c.batchSizes[size] ?? 0) + 1;
      for (const ref of stage.outputs) {
        const key = `${ref.node}.${ref.port}`;
        const targets = queuesInto.get(key) ?? [];
        const column = streams[key]!;
        const inThread = targets.some((q) => !workerStage.get(queueStage.get(q)!));
        for (const value of column) {
          if (value === null || typeof value !== 'object') continue;
          holders.set(value, holders.has(value) || inThread ? Infinity : targets.length);
        }
        for (let i = 0; i < batch.indices.length; i++) {
          const item = { index: batch.indices[i]!, pts: batch.pts[i]!, value: column[i] };
          await Promise.all(targets.map((q) => q.push(item)));
        }
      }
    };
    const closeOutputs = (stage: PlanStage) => {
      for (const ref of stage.outputs) for (const q of queuesInto.get(`${ref.node}.${ref.port}`) ?? []) q.close();
    };

    const runSource = async (stage: PlanStage) => {
      const core = executors.get(stage.id)![0] as StageCore;
      let left = options.frameLimit ?? Infinity;
      for await (const chunk of core.produce()) {
        if (signal.aborted) throw signal.reason;
        if (chunk.indices.length > left) {
          const cut = (values: unknown[]) => values.slice(0, left);
          await deliver(stage, { indices: cut(chunk.indices) as number[], pts: cut(chunk.pts) as number[] }, Object.fromEntries(Object.entries(chunk.streams).map(([k, v]) => [k, cut(v)])));
          left = 0;
        } else {
          await deliver(stage, chunk, chunk.streams);
          left -= chunk.indices.length;
        }
        // Leaving the loop returns the source's iterator: it stops its ffmpeg.
        if (left <= 0) break;
      }
      closeOutputs(stage);
    };

    const runConsumer = async (stage: PlanStage) => {
      const copies = executors.get(stage.id)!;
      const keys = stage.inputs.map((r) => `${r.node}.${r.port}`);
      const former = new BatchFormer(stageInputs.get(stage.id)!, stage.batchSize, stage.deadlineMs);
      // Batches go round-robin to the copies; results are taken back in the order sent.
      const window = copies[0] instanceof WorkerStage ? WORKER_IN_FLIGHT * copies.length : 1;
      let sent = 0;
      const inFlight: { batch: { indices: number[]; pts: number[] }; result: Promise<Record<string, unknown[]>> }[] = [];
      const settleOldest = async () => {
        const oldest = inFlight.shift()!;
        await deliver(stage, oldest.batch, await oldest.result);
      };
      // Results leave as soon as they are ready, in the order their batches were sent: a
      // finished result never waits for more input, which a join downstream may need first.
      let next: Promise<FormedBatch | null> | null = null;
      let ended = false;
      for (;;) {
        if (!ended && next === null && inFlight.length < window) next = former.next();
        const head = inFlight[0];
        if (next !== null && head !== undefined) {
          const done = head.result.then(() => 'result' as const);
          done.catch(() => undefined); // the race below rethrows; this copy must not go unhandled
          const arrived = next.then(() => 'batch' as const);
          arrived.catch(() => undefined); // `await next` below rethrows
          const first = await Promise.race([arrived, done]);
          if (first === 'result') {
            await settleOldest();
            continue;
          }
        } else if (next === null) {
          if (head === undefined) break;
          await settleOldest();
          continue;
        }
        const formed = await next!;
        next = null;
        if (!formed) {
          ended = true;
          continue;
        }
        const batch = { indices: formed.indices, pts: formed.pts };
        const streams = Object.fromEntries(keys.map((k, i) => [k, formed.columns[i]!]));
        const transfer: unknown[] = [];
        if (copies[0] instanceof WorkerStage) {
          for (const column of formed.columns) {
            for (const value of column) {
              if (value === null || typeof value !== 'object') continue;
              const left = (holders.get(value) ?? Infinity) - 1;
              holders.set(value, left);
              if (left === 0) transfer.push(value);
            }
          }
        }
        const result = copies[sent++ % copies.length]!.process({ ...batch, streams }, transfer);
        result.catch(() => undefined); // awaited in order; an early rejection must not go unhandled
        inFlight.push({ batch, result });
      }
      closeOutputs(stage);
    };

    const loops = plan.stages
      .filter((s) => s.streaming)
      .map((stage) => (stage.source ? runSource(stage) : runConsumer(stage)).catch((error: unknown) => fail(error)));
    await Promise.all(loops);
    if (firstError !== null) throw firstError;
    pipelineEndAt = performance.now();

    // 5. Finish, in order.
    const outputs: Record<string, unknown> = {};
    for (const stage of plan.stages) {
      const results = await untilAborted(signal, Promise.all(executors.get(stage.id)!.map((e) => e.finish())));
      for (const result of results.reverse()) Object.assign(outputs, result); // the first copy's result wins
    }
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    const metrics = snapshot();
    emit({ type: 'finished', outputs, metrics });
    return { outputs, metrics };
  } catch (error) {
    fail(error);
    const reason = firstError;
    const metrics = snapshot();
    if (isFramefuseError(reason) && reason.kind === 'cancelled') emit({ type: 'cancelled', metrics });
    else emit({ type: 'failed', error: serializeError(reason), metrics });
    throw reason;
  } finally {
    clearInterval(rssTimer);
    clearInterval(progressTimer);
    options.signal?.removeEventListener('abort', onCancel);
    // A run that finished well hands its model stages to the warm pool, if it was given one.
    const keep = (e: StageExecutor) => options.warmStages !== undefined && firstError === null && e instanceof WorkerStage;
    const disposed = await Promise.all(
      allExecutors()
        .reverse()
        .map((e) => (keep(e) ? options.warmStages!.give(e as WorkerStage).then(() => []) : e.dispose()).catch((error: unknown) => [error as FramefuseError])),
    );
    for (const error of disposed.flat()) {
      log('warn', (error as FramefuseError).node ?? '?', `cleanup failed: ${(error as Error).message}`);
    }
  }
}
