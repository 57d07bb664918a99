/**
 * Builds run metrics (per node, per stage and per run; their shape is src/model/run-metrics.ts)
 * from plain counters the stages keep, so a snapshot is cheap enough to stream a few times a second.
 */
import type { Plan } from '../model/plan.js';
import type { NodeMetrics, NodeStats, QueueMetrics, RunMetrics, StageMetrics } from '../model/run-metrics.js';

/** What a stage counts while it runs (the metrics' types live in src/model/run-metrics.ts). */
export interface StageCounters {
  frames: number;
  batches: number;
  batchSizes: Record<string, number>;
  /** Queues feeding the stage. */
  queues: QueueMetrics[];
}

export function buildMetrics(
  plan: Plan,
  startedAt: Date,
  wallMs: number,
  peakRssBytes: number,
  stats: Record<string, NodeStats>,
  counters: Record<string, StageCounters>,
  frames: number,
  timing: { loadMs: number | null; pipelineMs: number | null } = { loadMs: null, pipelineMs: null },
): RunMetrics {
  const seconds = Math.max(wallMs, 1) / 1000;
  const stages = plan.stages.map((stage): StageMetrics => {
    const c = counters[stage.id] ?? { frames: 0, batches: 0, batchSizes: {}, queues: [] };
    const busyMs = stage.nodes.reduce((sum, id) => sum + (stats[id]?.busyMs ?? 0), 0);
    const modelMs = stage.nodes.reduce((sum, id) => sum + (stats[id]?.modelMs ?? 0), 0);
    const warmupMs = stage.nodes.reduce((sum, id) => sum + (stats[id]?.warmupMs ?? 0), 0);
    const first = stats[stage.nodes[0]!];
    const steadyFrames = first ? Math.max(first.framesIn, first.framesOut) - first.warmupFrames : 0;
    return {
      id: stage.id,
      kind: stage.kind,
      nodes: stage.nodes,
      fused: stage.fused,
      batchSize: stage.batchSize,
      frames: c.frames,
      batches: c.batches,
      avgBatch: c.batches === 0 ? 0 : c.frames / c.batches,
      batchSizes: c.batchSizes,
      busyMs,
      modelMs,
      strategy: stage.composedBy ? stage.strategy : null,
      fps: c.frames / seconds,
      utilization: busyMs / Math.max(wallMs, 1) / stage.replicas,
      steadyMsPerFrame: steadyFrames > 0 ? (busyMs - warmupMs) / steadyFrames / stage.replicas : null,
      replicas: stage.replicas,
      queues: c.queues,
    };
  });
  // A stage of several copies can keep busy for longer than the wall clock: per copy.
  const slowest = Math.max(0, ...stages.map((s) => s.busyMs / s.replicas));
  const span = timing.pipelineMs ?? wallMs;
  const nodes: Record<string, NodeMetrics> = {};
  for (const [id, s] of Object.entries(stats)) nodes[id] = { ...s, fps: Math.max(s.framesIn, s.framesOut) / seconds };
  return {
    graph: plan.graph,
    startedAt: startedAt.toISOString(),
    wallMs,
    frames,
    fps: frames / seconds,
    peakRssBytes,
    loadMs: timing.loadMs,
    pipelineMs: timing.pipelineMs,
    pipelineFps: timing.pipelineMs === null ? null : frames / (Math.max(timing.pipelineMs, 1) / 1000),
    efficiency: span === 0 ? 0 : Math.min(1, slowest / span),
    stages,
    nodes,
  };
}
