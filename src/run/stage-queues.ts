/**
 * Queue wiring: one bounded queue per (stream, consuming stage), named
 * `node.port->stage`. Knows which queues a stream feeds, which feed a stage, and which
 * consumers of a stream run in a worker (what buffer ownership needs).
 */
import type { Plan, PlanStage } from '../model/plan.js';
import { portKey, type PortKey } from '../model/port-key.js';
import { FrameQueue } from './frame-queue.js';
import type { StageCounters } from './run-metrics.js';

/** Depth of a latency-first run's queues. */
export const LIVE_QUEUE_FRAMES = 2;

export class StageQueues {
  readonly all: FrameQueue[] = [];
  private readonly into = new Map<PortKey, FrameQueue[]>();
  private readonly feeding = new Map<string, FrameQueue[]>();
  private readonly inWorker = new Map<FrameQueue, boolean>();

  /**
   * `capacity`: frames each queue holds; `runsInWorker`: whether a stage's nodes run in
   * worker threads.
   */
  constructor(plan: Plan, capacity: number, runsInWorker: (stage: string) => boolean, overflow: 'wait' | 'drop-oldest' = 'wait') {
    for (const stage of plan.stages) {
      const own = stage.inputs.map((ref) => {
        const key = portKey(ref);
        const queue = new FrameQueue(capacity, `${key}->${stage.id}`, overflow);
        this.all.push(queue);
        this.inWorker.set(queue, runsInWorker(stage.id));
        this.into.set(key, [...(this.into.get(key) ?? []), queue]);
        return queue;
      });
      this.feeding.set(stage.id, own);
    }
  }

  /**
   * The least capacity that fits the plan: `least` frames, at least twice the largest batch.
   * A latency-first plan holds two frames (one being taken, one waiting): a queue that
   * drops the oldest never holds a frame long enough for it to go stale.
   */
  static capacityFor(plan: Plan, least = 8): number {
    if (plan.mode === 'latency') return LIVE_QUEUE_FRAMES;
    const largestBatch = Math.max(1, ...plan.stages.map((s) => s.batchSize));
    return Math.max(least, 2 * largestBatch);
  }

  /** The queues a stream feeds, one per consuming stage. */
  of(key: PortKey): FrameQueue[] {
    return this.into.get(key) ?? [];
  }

  /** The queues feeding a stage, in the order of its inputs. */
  inputsOf(stage: string): FrameQueue[] {
    return this.feeding.get(stage) ?? [];
  }

  /** How many of a stream's consumers run in a worker, and whether one runs on this thread. */
  readers(key: PortKey): { inWorker: number; inThread: boolean } {
    const targets = this.of(key);
    const inWorker = targets.filter((q) => this.inWorker.get(q)).length;
    return { inWorker, inThread: inWorker < targets.length };
  }

  /** The stage's streams have all been delivered: its consumers see the end. */
  closeOutputs(stage: PlanStage): void {
    for (const ref of stage.outputs) for (const q of this.of(portKey(ref))) q.close();
  }

  abort(reason: unknown): void {
    for (const queue of this.all) queue.abort(reason);
  }

  /** The queues feeding a stage, for metrics. */
  depths(stage: string): StageCounters['queues'] {
    return this.inputsOf(stage).map((q) => ({ label: q.label, depth: q.depth, maxDepth: q.maxDepth, capacity: q.capacity, ...(q.overflow === 'drop-oldest' ? { dropped: q.dropped } : {}) }));
  }
}
