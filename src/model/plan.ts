/**
 * The execution plan: derived from a validated graph and the machine, never edited. It is
 * what `framefuse plan` prints, what the editor draws as stage groups, and what the
 * scheduler runs. Written as zod schemas so the editor checks a plan it receives (over HTTP
 * or in a run event) with the same definition the planner's types come from.
 */
import { z } from 'zod';
import { zNodeKind } from './catalog.js';
import { zExecutionProvider } from './providers.js';

/** An output port of a node: where a stream or value comes from. */
export const zPlanPortRef = z.object({ node: z.string(), port: z.string() });
export type PortRef = z.infer<typeof zPlanPortRef>;

export const zStageKind = zNodeKind;
export type StageKind = z.infer<typeof zStageKind>;

/** How a fused stage's models run: one linked model, or chained sessions whose values stay on the device. */
export const zFusedStrategy = z.enum(['composed', 'chained']);
export type FusedStrategy = z.infer<typeof zFusedStrategy>;

export const zPlanStage = z.object({
  /** `s1`, `s2`, ... in topological order. */
  id: z.string(),
  kind: zStageKind,
  /** Node ids in the order they run within the stage. */
  nodes: z.array(z.string()),
  /** True when several accelerator nodes run as one batched call chain in one worker. */
  fused: z.boolean(),
  /** The fusion family that composes a fused stage's nodes into one instance, or null (they run one by one). */
  composedBy: z.string().nullable(),
  /** Why the nodes' fusion family declines to compose this stage (it then runs its nodes one by one). */
  composeDeclined: z.string().optional(),
  /** How the family runs on the stage's provider: one linked model, or sessions chained on the device. */
  strategy: zFusedStrategy,
  /** Why that strategy: measured by `framefuse tune`, or the provider's default. */
  strategyReason: z.string().optional(),
  /** Whether frames flow through the stage, or it only computes run-wide values when the run opens. */
  streaming: z.boolean(),
  /** True for a stage that produces frames without consuming any (a Decoder). */
  source: z.boolean(),
  batchSize: z.number(),
  /** Where the batch size came from: a Batcher's pinned size, framefuse tune's measurement, or the provider's default. */
  batchReason: z.string().optional(),
  /** What framefuse tune measured for this stage, when it did: provider, batch, strategy and speed. */
  tuned: z.string().optional(),
  /** How long a partial batch waits for more frames before it is flushed, in ms. */
  deadlineMs: z.number(),
  /** The Batcher that set the batch policy, or null for the default (1). */
  batchSetBy: z.string().nullable(),
  /** Streams consumed from other stages (after pass-through nodes are looked through). */
  inputs: z.array(zPlanPortRef),
  /** Streams produced for other stages. */
  outputs: z.array(zPlanPortRef),
  /** Stages this one needs values or frames from. */
  after: z.array(z.string()),
  /** Providers to try for accelerator stages, in order; empty for other stages. */
  providers: z.array(zExecutionProvider),
  /** Intra-op CPU threads for each session of the stage. */
  threads: z.number(),
  /** Copies of the stage working on alternate batches (replicable nodes on CPU); 1 otherwise. */
  replicas: z.number(),
  /** Why the stage has fewer copies than cores (memory), for `framefuse plan` and the run's log. */
  replicasNote: z.string().optional(),
});
export type PlanStage = z.infer<typeof zPlanStage>;

export const zPassThroughNode = z.object({
  node: z.string(),
  /** The stream it forwards. */
  from: zPlanPortRef,
  /** A pinned size, or auto (each stage after it takes its measured or default size). */
  batchSize: z.union([z.number(), z.literal('auto')]),
  deadlineMs: z.number(),
});
export type PassThroughNode = z.infer<typeof zPassThroughNode>;

/**
 * How the run is scheduled: `throughput` (files: batches, deep queues that wait) or
 * `latency` (a live source: batch 1, queues of two that drop the oldest frame).
 */
export const zRunMode = z.enum(['throughput', 'latency']);
export type RunMode = z.infer<typeof zRunMode>;

export const zPlan = z.object({
  planVersion: z.literal(1),
  /** Absent in plans written before live mode: throughput. */
  mode: zRunMode.optional(),
  /** Why this mode (the live source that asked for latency). */
  modeReason: z.string().optional(),
  graph: z.string(),
  providers: z.array(zExecutionProvider),
  /** Why these providers: as asked, or what auto measured. */
  providerReason: z.string(),
  stages: z.array(zPlanStage),
  /** Batch-setting nodes that have no stage of their own. */
  passThrough: z.array(zPassThroughNode),
});
export type Plan = z.infer<typeof zPlan>;
