/**
 * Run metrics: per node, per stage and per run. Built from plain counters the stages keep,
 * so a snapshot is cheap enough to stream a few times a second.
 */
import type { Plan } from '../plan/plan-types.js';
import type { NodeStats } from './stage-stats.js';

export interface StageCounters {
  frames: number;
  batches: number;
  batchSizes: Record<string, number>;
  /** Queues feeding the stage. */
  queues: { label: string; depth: number; maxDepth: number; capacity: number }[];
}

export interface NodeMetrics extends NodeStats {
  fps: number;
}

export interface StageMetrics {
  id: string;
  kind: string;
  nodes: string[];
  fused: boolean;
  batchSize: number;
  frames: number;
  batches: number;
  avgBatch: number;
  batchSizes: Record<string, number>;
  /** Time inside the stage's nodes, in ms. */
  busyMs: number;
  /** How a composed stage ran (one linked model, or sessions chained on the device); null when no family composed it. */
  strategy: 'composed' | 'chained' | null;
  /** The part of busyMs inside model runs (on a GPU: the device's work and its copies); the rest is host work. */
  modelMs: number;
  fps: number;
  /** busyMs / (wall time x replicas): 1 means the stage (every copy of it) never waited. */
  utilization: number;
  /**
   * Busy milliseconds per frame after each copy's first batch (warm-up), divided among the
   * copies: what a frame costs the stage in a long run. Null until a second batch ran.
   */
  steadyMsPerFrame: number | null;
  replicas: number;
  queues: StageCounters['queues'];
}

export interface RunMetrics {
  graph: string;
  startedAt: string;
  wallMs: number;
  frames: number;
  fps: number;
  peakRssBytes: number;
  /**
   * Loading: from the run's start until its sources delivered their first frame (workers
   * started, models loaded, every node opened). Null while nothing has flowed yet.
   */
  loadMs: number | null;
  /** The pipeline: from the first source frame until the last frame left the last stage. */
  pipelineMs: number | null;
  /** frames / pipelineMs: the throughput a longer video runs at, loading excluded. */
  pipelineFps: number | null;
  /**
   * Busy time of the slowest stage (per copy) / pipeline time (wall time while nothing has
   * flowed): 1 means every other stage hid behind it.
   */
  efficiency: number;
  stages: StageMetrics[];
  nodes: Record<string, NodeMetrics>;
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
