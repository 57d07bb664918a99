/**
 * The scheduler: runs a plan as a streaming pipeline.
 *   1. Create every stage's executors (stage-executors.ts): host and media stages on this
 *      thread, model and compute stages in a worker each.
 *   2. Open the stages in order: each learns its producers' stream facts and values.
 *   3. Wire the stages with bounded queues, one per consumer of each stream (stage-queues.ts).
 *   4. Run every stage's loop at once (stage-loops.ts): sources produce, the others form
 *      batches, process them (in order, a bounded number in flight) and hand them on.
 *   5. When every stream has ended, finish the nodes (outputs are committed here).
 * Whatever happens, every stage is disposed. The first failure (or a cancel) aborts every
 * queue, so all loops stop at once, and names the node that failed. Metrics timers live
 * in run-meter.ts; taps on ports (live previews) in port-tap.ts.
 */
import { cancelledError, isFramefuseError, serializeError, type FramefuseError } from '../errors.js';
import { executionView, type ExecutionView } from '../plan/look-through.js';
import type { Plan } from '../model/plan.js';
import type { ResolvedGraph } from '../graph/resolved-graph.js';
import type { NodePaths } from '../node-api/define-node.js';
import { portKey, type PortKey, type PortRef } from '../model/port-key.js';
import { BufferOwnership } from './buffer-ownership.js';
import { systemClock, type Clock } from './clock.js';
import { PortTap, type PortTapOptions } from './port-tap.js';
import type { RunEvent } from './run-events.js';
import { RunMeter } from './run-meter.js';
import type { RunMetrics } from '../model/run-metrics.js';
import type { LogSink } from './stage-spec.js';
import type { StageExecutor } from './stage-executor.js';
import { createExecutors, runsInWorker } from './stage-executors.js';
import type { WarmStages } from './warm-stages.js';
import { untilAborted } from './until-aborted.js';
import { WorkerStage } from './worker-stage.js';
import { EarlyRelease } from './early-release.js';
import { runStageLoop } from './stage-loops.js';
import { StageQueues } from './stage-queues.js';
import { defaultPaths } from './paths.js';
import { outputPolicyOf, type RunWriteOptions } from './run-files.js';
import { liveHooksFor, type LiveRunOptions } from './live-run.js';
import type { LiveControl } from './live-control.js';

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
  /**
   * With `warmStages`: called once every model stage has been finished and given back to the
   * pool and every source has ended, while the last frames may still be on their way to
   * the Encoder (early-release.ts). The next run may start then.
   */
  onStagesFree?: () => void;
  /**
   * Observers of the values crossing a port (the server's previews): outside the
   * pipeline, each with a small drop-oldest buffer, so they never slow it. A port must be
   * a stream one stage hands to another (a Batcher's output counts as its input's).
   */
  taps?: readonly PortTapOptions[];
  /** The clock of the Batcher's flush deadline (default the system clock; tests move their own). */
  clock?: Clock;
  /** A live run's stop signal, browser camera, LiveView screens and allowed URL schemes (live-run.ts). */
  live?: LiveRunOptions;
  /** Changes live-editable parameters while the run goes; attached once the stages are open. */
  control?: LiveControl;
}

export interface RunResult {
  /** What each node's finish() returned, by node id (the Encoder's output file, a sink's checksum...). */
  outputs: Record<string, unknown>;
  metrics: RunMetrics;
}

/** The taps by the key of the stream they watch; a tap on a port no stage hands on is told so in the log. */
function placeTaps(plan: Plan, options: readonly PortTapOptions[], view: ExecutionView, log: LogSink): Map<PortKey, PortTap[]> {
  const streamed = new Set(plan.stages.flatMap((s) => s.outputs.map(portKey)));
  const taps = new Map<PortKey, PortTap[]>();
  for (const option of options) {
    const key = portKey(view.origin(option.port));
    if (!streamed.has(key)) {
      log('info', option.port.node, `nothing to show from ${portKey(option.port)}: no stage hands that stream to another`);
      continue;
    }
    const tap = new PortTap(option, (error) => log('warn', option.port.node, `a tap on ${key} stopped: ${error instanceof Error ? error.message : String(error)}`));
    taps.set(key, [...(taps.get(key) ?? []), tap]);
  }
  return taps;
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
  const view = executionView(graph);
  /** Each stage's executors: one, or several copies of a replicable stage. */
  const executors = new Map<string, StageExecutor[]>();
  const allExecutors = () => [...executors.values()].flat();
  /** What every opened node announced, by port key: stream facts (frame count, size...) or values. */
  const announced: Record<string, unknown> = {};
  const inWorker = new Map(plan.stages.map((s) => [s.id, runsInWorker(s)]));
  const latencyFirst = plan.mode === 'latency';
  const queues = new StageQueues(plan, StageQueues.capacityFor(plan, options.queueFrames), (id) => inWorker.get(id)!, latencyFirst ? 'drop-oldest' : 'wait');
  const taps = placeTaps(plan, options.taps ?? [], view, log);
  const meter = new RunMeter(plan, {
    stats: () => allExecutors().map((e) => e.stats),
    queues: (stage) => queues.depths(stage),
    framesTotal: () => {
      const counts = plan.stages
        .filter((s) => s.source)
        .flatMap((s) => s.outputs.map((r) => (announced[portKey(r)] as { frameCount?: unknown } | undefined)?.frameCount))
        .filter((n): n is number => typeof n === 'number');
      return counts.length === 0 ? null : Math.min(...counts);
    },
  });
  /** What a browser asked to have echoed with each processed frame, by frame index. */
  const echoes = new Map<number, { sentAt: number; seq: number }>();
  const live = liveHooksFor(options.live, meter.live, (index) => echoes.get(index) ?? null);
  meter.start(options.progressIntervalMs ?? 500, (framesDone, framesTotal, metrics) => emit({ type: 'progress', framesDone, framesTotal, metrics }));

  signal.addEventListener('abort', () => {
    queues.abort(signal.reason);
    for (const executor of allExecutors()) executor.abort?.();
  });

  /**
   * Stage calls still running (create, open, finish). A cancel does not wait for them
   * (untilAborted), but the stages are disposed only once they have settled, or after a
   * grace: a node that makes a resource at the end of a call the cancel interrupted (an
   * Encoder's ffmpeg, started when its open's awaits return) would otherwise be disposed
   * before it has it, and the resource would outlive the run with no owner.
   */
  const calls = new Set<Promise<unknown>>();
  const inFlight = <T>(call: Promise<T>): Promise<T> => {
    calls.add(call);
    const forget = () => calls.delete(call);
    call.then(forget, forget);
    return call;
  };

  emit({ type: 'started', plan });
  for (const stage of plan.stages) if (stage.replicasNote) log('info', stage.nodes.join('+'), stage.replicasNote);
  try {
    const output = await outputPolicyOf(graph, paths, options);
    // 1. Create: every stage at once (workers start and load their models side by side),
    // and a stage's copies load at the same time: start-up costs the slowest load, not the sum.
    const setting = { graph, view, paths, output, compose: options.compose ?? true, signal, log, warmStages: options.warmStages, live };
    const created = plan.stages.map((stage) => {
      const copies = createExecutors(stage, setting);
      executors.set(stage.id, copies);
      return copies.map((c) => inFlight(c.create()));
    });
    // Every load settles before a failure is reported, and the one reported is the first in
    // plan order, whichever finished first.
    const settled = await untilAborted(signal, Promise.allSettled(created.flat()));
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;

    // 2. Open, in order.
    for (const stage of plan.stages) {
      const external = readFromOutside(stage, view.edges, announced);
      // Every copy opens on the same inputs; they announce the same facts, the first is kept.
      const opened = await untilAborted(signal, Promise.all(executors.get(stage.id)!.map((e) => inFlight(e.open(external)))));
      Object.assign(announced, opened[0]);
    }
    if (signal.aborted) throw signal.reason;

    // Live edits: the node's copies take the parameters; value outputs that change with them
    // (an Image's new picture) go to every stage outside that reads them.
    options.control?.attach(graph, paths, async (node, params) => {
      const stage = plan.stages.find((s) => s.nodes.includes(node));
      if (!stage) return;
      const changed = (await Promise.all(executors.get(stage.id)!.map((e) => e.setParams(node, params))))[0] ?? {};
      Object.assign(announced, changed);
      for (const other of plan.stages) {
        const values = readFromOutside(other, view.edges, changed);
        if (Object.keys(values).length > 0) await Promise.all(executors.get(other.id)!.map((e) => e.setInputs(values)));
      }
    });

    // 3-4. Run every stage's loop over the queues.
    const ctx = {
      queues,
      ownership: new BufferOwnership(),
      meter,
      taps,
      signal,
      clock: options.clock ?? systemClock,
      frameLimit: options.frameLimit ?? Infinity,
      latencyFirst,
      echoes,
    };
    const release = options.warmStages
      ? new EarlyRelease(options.warmStages, plan.stages, (s) => inWorker.get(s.id)!, executors, log, () => firstError === null && !signal.aborted, options.onStagesFree)
      : null;
    const loops = plan.stages
      .filter((s) => s.streaming)
      .map((stage) =>
        runStageLoop(ctx, stage, executors.get(stage.id)!, inWorker.get(stage.id)!)
          .then(() => release?.loopEnded(stage))
          .catch((error: unknown) => fail(error)),
      );
    await Promise.all(loops);
    if (firstError !== null) throw firstError;
    meter.pipelineEnded();

    // 5. Finish, in order.
    const outputs: Record<string, unknown> = {};
    for (const stage of plan.stages) {
      const results = await untilAborted(signal, Promise.all(executors.get(stage.id)!.map((e) => inFlight(e.finish()))));
      for (const result of results.reverse()) Object.assign(outputs, result); // the first copy's result wins
    }
    meter.sampleMemory();
    const metrics = meter.snapshot();
    emit({ type: 'finished', outputs, metrics });
    return { outputs, metrics };
  } catch (error) {
    fail(error);
    const reason = firstError;
    const metrics = meter.snapshot();
    if (isFramefuseError(reason) && reason.kind === 'cancelled') emit({ type: 'cancelled', metrics });
    else emit({ type: 'failed', error: serializeError(reason), metrics });
    throw reason;
  } finally {
    options.control?.detach();
    meter.stop();
    for (const list of taps.values()) for (const tap of list) tap.close();
    options.signal?.removeEventListener('abort', onCancel);
    await settledWithin([...calls], CALL_GRACE_MS);
    // A run that finished well hands its model stages to the warm pool, if it was given one.
    const keep = (e: StageExecutor): e is WorkerStage => options.warmStages !== undefined && firstError === null && e instanceof WorkerStage;
    const disposed = await Promise.all(
      allExecutors()
        .reverse()
        .map((e) => (keep(e) ? options.warmStages!.give(e) : e.dispose()).catch((error: unknown) => [error as FramefuseError])),
    );
    for (const error of disposed.flat()) {
      log('warn', (error as FramefuseError).node ?? '?', `cleanup failed: ${(error as Error).message}`);
    }
  }
}

/** How long a cancelled run waits for its stages' calls in flight before it disposes them anyway. */
const CALL_GRACE_MS = 5000;

/** Resolves when every promise has settled, or after `ms`, whichever is first. */
async function settledWithin(promises: readonly Promise<unknown>[], ms: number): Promise<void> {
  if (promises.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.allSettled(promises), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** Of `values` (`node.port` -> value), those a stage reads from producers outside it. */
function readFromOutside(stage: Plan['stages'][number], edges: readonly { from: PortRef; to: PortRef }[], values: Record<string, unknown>): Record<string, unknown> {
  const members = new Set(stage.nodes);
  const read: Record<string, unknown> = {};
  for (const e of edges) {
    const key = portKey(e.from);
    if (members.has(e.to.node) && !members.has(e.from.node) && key in values) read[key] = values[key];
  }
  return read;
}
