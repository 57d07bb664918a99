/**
 * A run's metrics timers: the run's clock (start, first source frame, last frame out),
 * the peak-memory sampler, each stage's delivered frames and batches, and the progress
 * ticker that sends a snapshot every so often. `snapshot` reads the stages' counters as
 * they are now, so it is cheap enough to stream.
 */
import { performance } from 'node:perf_hooks';
import type { Plan, PlanStage } from '../model/plan.js';
import { buildMetrics, type StageCounters } from './run-metrics.js';
import type { RunMetrics } from '../model/run-metrics.js';
import type { NodeStats } from './stage-stats.js';
import { LiveMeter } from './live-meter.js';

/** What the meter reads from the run when it takes a snapshot. */
export interface MeterSources {
  /** Every executor's per-node counters (copies of a stage listed separately). */
  stats: () => readonly Record<string, NodeStats>[];
  /** The queues feeding a stage. */
  queues: (stage: string) => StageCounters['queues'];
  /** Frames the sources announced they will produce, or null when unknown. */
  framesTotal: () => number | null;
}

/** Counters of the copies of the same nodes, added up. */
export function mergeStats(all: readonly Record<string, NodeStats>[]): Record<string, NodeStats> {
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

export class RunMeter {
  private readonly startedAt = new Date();
  private readonly t0 = performance.now();
  private peakRss = process.memoryUsage.rss();
  private firstFrameAt: number | null = null;
  private pipelineEndAt: number | null = null;
  private readonly counters: Record<string, StageCounters>;
  private readonly sinks: PlanStage[];
  private readonly timers: NodeJS.Timeout[] = [];
  /** End-to-end latency, rates and drops: latency-first (live) runs only. */
  readonly live: LiveMeter | null;

  constructor(
    private readonly plan: Plan,
    private readonly sources: MeterSources,
  ) {
    this.counters = Object.fromEntries(plan.stages.map((s) => [s.id, { frames: 0, batches: 0, batchSizes: {}, queues: [] }]));
    this.sinks = plan.stages.filter((s) => s.streaming && !s.source && s.outputs.length === 0);
    this.live = plan.mode === 'latency' ? new LiveMeter() : null;
  }

  /** Samples memory, and calls `onProgress` every `intervalMs`, until `stop`. */
  start(intervalMs: number, onProgress: (framesDone: number, framesTotal: number | null, metrics: RunMetrics) => void): void {
    const rss = setInterval(() => this.sampleMemory(), 100);
    const progress = setInterval(() => onProgress(this.framesDone(), this.sources.framesTotal(), this.snapshot()), intervalMs);
    rss.unref();
    progress.unref();
    this.timers.push(rss, progress);
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers.length = 0;
  }

  sampleMemory(): void {
    this.peakRss = Math.max(this.peakRss, process.memoryUsage.rss());
  }

  /** A stage handed on a batch of `frames` frames. */
  delivered(stage: PlanStage, frames: number, batch?: { indices: readonly number[]; capturedAt?: readonly number[] }): void {
    if (stage.source) this.firstFrameAt ??= performance.now();
    if (this.live && batch) {
      if (stage.source) this.live.captured(batch.indices, batch.capturedAt);
      else if (stage.outputs.length === 0) this.live.reachedSink(batch.indices);
    }
    const c = this.counters[stage.id]!;
    c.frames += frames;
    c.batches += 1;
    const size = String(frames);
    c.batchSizes[size] = (c.batchSizes[size] ?? 0) + 1;
  }

  /** The last frame left the pipeline. */
  pipelineEnded(): void {
    this.pipelineEndAt = performance.now();
  }

  /** Frames every sink has taken in (0 without sinks). */
  framesDone(): number {
    return this.sinks.length === 0 ? 0 : Math.min(...this.sinks.map((s) => this.counters[s.id]!.frames));
  }

  snapshot(): RunMetrics {
    const stats = mergeStats(this.sources.stats());
    for (const [id, c] of Object.entries(this.counters)) c.queues = this.sources.queues(id);
    const now = performance.now();
    const first = this.firstFrameAt;
    const timing = first === null ? { loadMs: null, pipelineMs: null } : { loadMs: first - this.t0, pipelineMs: (this.pipelineEndAt ?? now) - first };
    const metrics = buildMetrics(this.plan, this.startedAt, now - this.t0, this.peakRss, stats, this.counters, this.framesDone(), timing);
    if (this.live) {
      const dropped = Object.fromEntries(Object.entries(this.counters).map(([id, c]) => [id, c.queues.reduce((sum, q) => sum + (q.dropped ?? 0), 0)]));
      metrics.live = this.live.snapshot(dropped);
    }
    return metrics;
  }
}
