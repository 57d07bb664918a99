/**
 * The execution plan: derived from a validated graph and the machine, never edited. It is
 * what `framefuse plan` prints, what the editor draws as stage groups, and what the
 * scheduler runs.
 */
import type { ExecutionProvider, FusedStrategy, NodeKind } from '../node-api/define-node.js';

/** An output port of a node: where a stream or value comes from. */
export interface PortRef {
  node: string;
  port: string;
}

export type StageKind = NodeKind;

export interface PlanStage {
  /** `s1`, `s2`, ... in topological order. */
  id: string;
  kind: StageKind;
  /** Node ids in the order they run within the stage. */
  nodes: string[];
  /** True when several accelerator nodes run as one batched call chain in one worker. */
  fused: boolean;
  /** The fusion family that composes a fused stage's nodes into one instance, or null (they run one by one). */
  composedBy: string | null;
  /** Why the nodes' fusion family declines to compose this stage (it then runs its nodes one by one). */
  composeDeclined?: string;
  /** How the family runs on the stage's provider: one linked model, or sessions chained on the device. */
  strategy: FusedStrategy;
  /** Why that strategy: measured by `framefuse tune`, or the provider's default. */
  strategyReason?: string;
  /** Whether frames flow through the stage, or it only computes run-wide values when the run opens. */
  streaming: boolean;
  /** True for a stage that produces frames without consuming any (a Decoder). */
  source: boolean;
  batchSize: number;
  /** Where the batch size came from: a Batcher's pinned size, framefuse tune's measurement, or the provider's default. */
  batchReason?: string;
  /** What framefuse tune measured for this stage, when it did: provider, batch, strategy and speed. */
  tuned?: string;
  /** How long a partial batch waits for more frames before it is flushed, in ms. */
  deadlineMs: number;
  /** The Batcher that set the batch policy, or null for the default (1). */
  batchSetBy: string | null;
  /** Streams consumed from other stages (after pass-through nodes are looked through). */
  inputs: PortRef[];
  /** Streams produced for other stages. */
  outputs: PortRef[];
  /** Stages this one needs values or frames from. */
  after: string[];
  /** Providers to try for accelerator stages, in order; empty for other stages. */
  providers: ExecutionProvider[];
  /** Intra-op CPU threads for each session of the stage. */
  threads: number;
  /** Copies of the stage working on alternate batches (replicable nodes on CPU); 1 otherwise. */
  replicas: number;
  /** Why the stage has fewer copies than cores (memory), for `framefuse plan` and the run's log. */
  replicasNote?: string;
}

export interface PassThroughNode {
  node: string;
  /** The stream it forwards. */
  from: PortRef;
  /** A pinned size, or auto (each stage after it takes its measured or default size). */
  batchSize: number | 'auto';
  deadlineMs: number;
}

export interface Plan {
  planVersion: 1;
  graph: string;
  providers: ExecutionProvider[];
  /** Why these providers: as asked, or what auto measured. */
  providerReason: string;
  stages: PlanStage[];
  /** Batch-setting nodes that have no stage of their own. */
  passThrough: PassThroughNode[];
}
