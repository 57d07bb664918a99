/**
 * Run metrics as the server streams them and the editor draws them: per node, per stage
 * and per run. src/run/run-metrics.ts builds them from the counters the stages keep.
 */
import { z } from 'zod';

/** Counters a stage keeps per node while it runs; plain data, so they cross threads. */
export const zNodeStats = z.object({
  framesIn: z.number(),
  framesOut: z.number(),
  /** Calls of process (or chunks produced, for a source). */
  runs: z.number(),
  /** Time inside the node's own hooks, in ms. */
  busyMs: z.number(),
  /** The part of busyMs spent inside model runs (runtime/model-clock.ts); the rest is host work. */
  modelMs: z.number(),
  /** Batch size -> how many batches of that size. */
  batchSizes: z.record(z.string(), z.number()),
  /**
   * The first batch's time and frames: it pays for one-off work (a GPU compiling its
   * shaders, onnxruntime planning its memory), so steady-state figures leave it out.
   */
  warmupMs: z.number(),
  warmupFrames: z.number(),
});
export type NodeStats = z.infer<typeof zNodeStats>;

export const zNodeMetrics = zNodeStats.extend({ fps: z.number() });
export type NodeMetrics = z.infer<typeof zNodeMetrics>;

/** One queue feeding a stage: how full it is now, how full it got, and how much it holds. */
export const zQueueMetrics = z.object({
  label: z.string(),
  depth: z.number(),
  maxDepth: z.number(),
  capacity: z.number(),
  /** Frames dropped (the oldest) because the stage fell behind: latency-first runs only. */
  dropped: z.number().optional(),
});
export type QueueMetrics = z.infer<typeof zQueueMetrics>;

export const zStageMetrics = z.object({
  id: z.string(),
  kind: z.string(),
  nodes: z.array(z.string()),
  fused: z.boolean(),
  batchSize: z.number(),
  frames: z.number(),
  batches: z.number(),
  avgBatch: z.number(),
  batchSizes: z.record(z.string(), z.number()),
  /** Time inside the stage's nodes, in ms. */
  busyMs: z.number(),
  /** How a composed stage ran (one linked model, or sessions chained on the device); null when no family composed it. */
  strategy: z.enum(['composed', 'chained']).nullable(),
  /** The part of busyMs inside model runs (on a GPU: the device's work and its copies); the rest is host work. */
  modelMs: z.number(),
  fps: z.number(),
  /** busyMs / (wall time x replicas): 1 means the stage (every copy of it) never waited. */
  utilization: z.number(),
  /**
   * Busy milliseconds per frame after each copy's first batch (warm-up), divided among the
   * copies: what a frame costs the stage in a long run. Null until a second batch ran.
   */
  steadyMsPerFrame: z.number().nullable(),
  replicas: z.number(),
  /** Queues feeding the stage. */
  queues: z.array(zQueueMetrics),
});
export type StageMetrics = z.infer<typeof zStageMetrics>;

/** Latency percentiles in ms over the latest frames. */
export const zLatency = z.object({ p50: z.number(), p95: z.number(), max: z.number(), samples: z.number() });
export type Latency = z.infer<typeof zLatency>;

/** A latency-first (live) run's headline figures. */
export const zLiveMetrics = z.object({
  /** From capture (a frame read from the camera or stream) to a sink (LiveView, Stream, Encoder), ms. */
  latencyMs: zLatency.nullable(),
  /** Frames the live sources delivered per second, over the last few seconds. */
  fpsIn: z.number(),
  /** Frames that reached a sink per second, over the last few seconds. */
  fpsOut: z.number(),
  framesIn: z.number(),
  framesOut: z.number(),
  /** Frames dropped on the way, by stage id (oldest dropped from its queues, or unmatched at a join). */
  droppedByStage: z.record(z.string(), z.number()),
  dropped: z.number(),
});
export type LiveMetrics = z.infer<typeof zLiveMetrics>;

export const zRunMetrics = z.object({
  graph: z.string(),
  startedAt: z.string(),
  wallMs: z.number(),
  frames: z.number(),
  fps: z.number(),
  peakRssBytes: z.number(),
  /**
   * Loading: from the run's start until its sources delivered their first frame (workers
   * started, models loaded, every node opened). Null while nothing has flowed yet.
   */
  loadMs: z.number().nullable(),
  /** The pipeline: from the first source frame until the last frame left the last stage. */
  pipelineMs: z.number().nullable(),
  /** frames / pipelineMs: the throughput a longer video runs at, loading excluded. */
  pipelineFps: z.number().nullable(),
  /**
   * Busy time of the slowest stage (per copy) / pipeline time (wall time while nothing has
   * flowed): 1 means every other stage hid behind it.
   */
  efficiency: z.number(),
  stages: z.array(zStageMetrics),
  nodes: z.record(z.string(), zNodeMetrics),
  /** Present in latency-first runs (a live source). */
  live: zLiveMetrics.optional(),
});
export type RunMetrics = z.infer<typeof zRunMetrics>;
