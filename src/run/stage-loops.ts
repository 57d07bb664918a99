/**
 * Each streaming stage's loop: a source produces chunks, any other stage forms batches from
 * its input queues and sends them to its executors (round-robin over its copies, in-order
 * bounded concurrency), and whatever a stage hands on goes to the queues of its consumers
 * and to the taps on its ports, with buffer ownership decided as it is handed on.
 */
import type { PlanStage } from '../model/plan.js';
import { portKey, type PortKey } from '../model/port-key.js';
import { BatchFormer } from './batch-former.js';
import type { BufferOwnership } from './buffer-ownership.js';
import type { Clock } from './clock.js';
import type { FrameQueue } from './frame-queue.js';
import { runInOrder } from './in-order-window.js';
import type { PortTap } from './port-tap.js';
import type { RunMeter } from './run-meter.js';
import type { StageCore } from './stage-core.js';
import type { StageExecutor } from './stage-executor.js';
import type { StageQueues } from './stage-queues.js';

/** Batches in flight per worker copy: one running, one waiting in its thread. */
export const WORKER_IN_FLIGHT = 2;

export interface LoopContext {
  queues: StageQueues;
  ownership: BufferOwnership;
  meter: RunMeter;
  taps: ReadonlyMap<PortKey, readonly PortTap[]>;
  signal: AbortSignal;
  clock: Clock;
  /** Frames the sources stop after (Infinity: none). */
  frameLimit: number;
  /** A live run: queues drop the oldest frame, joins align what is left, one frame in flight per copy. */
  latencyFirst: boolean;
  /** What a browser asked to have echoed with each frame (live sources fill it, LiveView reads it). */
  echoes: Map<number, { sentAt: number; seq: number }>;
}

interface Frames {
  indices: number[];
  pts: number[];
}

/** Where one of a stage's streams goes, worked out once per stage, not per batch. */
interface Outlet {
  key: PortKey;
  targets: readonly FrameQueue[];
  taps: readonly PortTap[];
  /** Worker stages that read it, and whether something on this thread does (a stage or a tap). */
  inWorker: number;
  keptHere: boolean;
}

function outletsOf(ctx: LoopContext, stage: PlanStage): Outlet[] {
  return stage.outputs.map((ref) => {
    const key = portKey(ref);
    const taps = ctx.taps.get(key) ?? [];
    const readers = ctx.queues.readers(key);
    return { key, targets: ctx.queues.of(key), taps, inWorker: readers.inWorker, keptHere: readers.inThread || taps.length > 0 };
  });
}

/** Hands a stage's result on: to every queue that reads each stream, and to its taps. */
async function deliver(ctx: LoopContext, stage: PlanStage, outlets: readonly Outlet[], batch: Frames & { capturedAt?: number[] }, streams: Record<string, unknown[]>): Promise<void> {
  ctx.meter.delivered(stage, batch.indices.length, batch);
  for (const { key, targets, taps, inWorker, keptHere } of outlets) {
    const column = streams[key]!;
    ctx.ownership.handedOn(column, inWorker, keptHere);
    for (let i = 0; i < batch.indices.length; i++) {
      const item = { index: batch.indices[i]!, pts: batch.pts[i]!, value: column[i] };
      for (const tap of taps) tap.offer(item);
      if (targets.length === 1) await targets[0]!.push(item);
      else await Promise.all(targets.map((q) => q.push(item)));
    }
  }
}

async function runSource(ctx: LoopContext, stage: PlanStage, core: StageCore): Promise<void> {
  const outlets = outletsOf(ctx, stage);
  let left = ctx.frameLimit;
  for await (const chunk of core.produce()) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    chunk.echo?.forEach((echo, i) => {
      if (echo) ctx.echoes.set(chunk.indices[i]!, echo);
    });
    // Frames that never reach a LiveView (dropped on the way) leave their echo: keep the latest.
    if (ctx.echoes.size > 256) ctx.echoes.delete(ctx.echoes.keys().next().value!);
    if (chunk.indices.length > left) {
      const cut = <T>(values: T[]) => values.slice(0, left);
      await deliver(ctx, stage, outlets, { indices: cut(chunk.indices), pts: cut(chunk.pts), ...(chunk.capturedAt ? { capturedAt: cut(chunk.capturedAt) } : {}) }, Object.fromEntries(Object.entries(chunk.streams).map(([k, v]) => [k, cut(v)])));
      left = 0;
    } else {
      await deliver(ctx, stage, outlets, chunk, chunk.streams);
      left -= chunk.indices.length;
    }
    // Leaving the loop returns the source's iterator: it stops its ffmpeg.
    if (left <= 0) break;
  }
  ctx.queues.closeOutputs(stage);
}

async function runConsumer(ctx: LoopContext, stage: PlanStage, copies: readonly StageExecutor[], inWorker: boolean): Promise<void> {
  const keys = stage.inputs.map(portKey);
  const outlets = outletsOf(ctx, stage);
  const former = new BatchFormer(ctx.queues.inputsOf(stage.id), stage.batchSize, stage.deadlineMs, ctx.clock, ctx.latencyFirst);
  let sent = 0;
  await runInOrder({
    next: () => former.next(),
    // Batches go round-robin to the copies; results are taken back in the order sent.
    send: (formed) => {
      const streams = Object.fromEntries(keys.map((k, i) => [k, formed.columns[i]!]));
      const transfer = inWorker ? ctx.ownership.takenBy(formed.columns) : [];
      return copies[sent++ % copies.length]!.process({ indices: formed.indices, pts: formed.pts, streams }, transfer);
    },
    settle: (formed, result) => deliver(ctx, stage, outlets, formed, result),
    // Latency first: one frame per copy, so frames wait in the queue (where the oldest is
    // dropped) rather than in a worker's backlog.
    window: inWorker ? (ctx.latencyFirst ? 1 : WORKER_IN_FLIGHT) * copies.length : 1,
  });
  ctx.queues.closeOutputs(stage);
}

/** Runs a streaming stage until its inputs end (or its source does). */
export function runStageLoop(ctx: LoopContext, stage: PlanStage, copies: readonly StageExecutor[], inWorker: boolean): Promise<void> {
  return stage.source ? runSource(ctx, stage, copies[0] as StageCore) : runConsumer(ctx, stage, copies, inWorker);
}
