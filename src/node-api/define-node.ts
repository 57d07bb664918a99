/**
 * The node-authoring API. A node type is one file in nodes/ whose default export is
 * `defineNode({...})`. The same definition drives validation, planning, execution, the
 * CLI and the editor's palette and forms: one source of truth.
 *
 * @example
 * ```ts
 * export default defineNode({
 *   type: 'Invert', version: 1, category: 'Filters', title: 'Invert',
 *   description: 'Inverts the colours of every frame.',
 *   kind: 'host',
 *   inputs: { frames: { type: 'Frames' } },
 *   outputs: { frames: { type: 'Frames' } },
 *   params: z.object({}),
 *   create: () => ({
 *     process: ({ inputs }) => ({ frames: inputs.frames.map(invert) }),
 *   }),
 * });
 * ```
 */
import type { z } from 'zod';
import type { PortType, PORT_TYPES } from '../model/port-types.js';
import type { PortValueMap, StreamInfoMap } from '../model/port-values.js';
import type { OutputPolicy } from '../files/output-policy.js';
import type { NodeKind } from '../model/catalog.js';
import type { FusedStrategy } from '../model/plan.js';
import type { ExecutionProvider } from '../model/providers.js';
import type { LiveHooks } from './live-hooks.js';
import type { FusionFamily } from './fusion.js';

export type { LiveHooks, BrowserFrame, BrowserFrameFeed, LiveViewOutlet } from './live-hooks.js';
export type { FusionMember, FusedInstance, FusionCandidate, FusionFamily } from './fusion.js';

/** A typed port of a node. */
export interface PortSpec<T extends PortType = PortType> {
  type: T;
  description?: string;
  /** An optional input may stay unconnected. Outputs are always optional to connect. */
  optional?: boolean;
}

export type PortSpecs = Record<string, PortSpec>;

/**
 * Where a node runs: `media` nodes own an ffmpeg process (Decoder, Encoder); `host` nodes
 * run on the main thread (keep them light: the main thread also pumps the pipes and the
 * queues); `compute` nodes do heavy JavaScript work (blurs, warps) in a worker thread of
 * their own; `accelerator` nodes run ONNX models in a worker, and consecutive ones are
 * fused into one stage.
 */
export type { NodeKind } from '../model/catalog.js';

/** Where ONNX models run (the names live in src/model/providers.ts; node authors get them here). */
export type { ExecutionProvider } from '../model/providers.js';

/** How a fused stage's models run (defined with the plan in src/model/plan.ts). */
export type { FusedStrategy } from '../model/plan.js';

type RateOf<T extends PortType> = (typeof PORT_TYPES)[T]['rate'];
type StreamKeys<S extends PortSpecs> = {
  [K in keyof S]: RateOf<S[K]['type']> extends 'stream' ? K : never;
}[keyof S];
type ValueKeys<S extends PortSpecs> = {
  [K in keyof S]: RateOf<S[K]['type']> extends 'value' ? K : never;
}[keyof S];
type StreamInfoOf<T extends PortType> = T extends keyof StreamInfoMap ? StreamInfoMap[T] : never;

/** What a node learns when the pipeline opens: stream facts and run-wide values of its inputs. */
export type OpenInputs<S extends PortSpecs> = {
  [K in StreamKeys<S>]?: StreamInfoOf<S[K]['type']>;
} & {
  [K in ValueKeys<S>]?: PortValueMap[S[K]['type']];
};

/** What a node announces when it opens: facts of its stream outputs, values of its value outputs. */
export type OpenOutputs<S extends PortSpecs> = {
  [K in StreamKeys<S>]?: StreamInfoOf<S[K]['type']>;
} & {
  [K in ValueKeys<S>]?: PortValueMap[S[K]['type']];
};

/** Per stream port, one value per frame of the batch. */
export type StreamArrays<S extends PortSpecs> = {
  [K in StreamKeys<S>]: PortValueMap[S[K]['type']][];
};

/** A batch of consecutive frames as a node receives it. */
export interface Batch<S extends PortSpecs = PortSpecs> {
  /** Frame indices, ascending. */
  indices: number[];
  /** Presentation timestamps in seconds, one per frame. */
  pts: number[];
  /** Values of the connected stream inputs, one per frame. An unconnected optional input is absent. */
  inputs: StreamArrays<S>;
}

/** What a source yields: a run of consecutive frames and their stream outputs. */
export interface SourceChunk<S extends PortSpecs = PortSpecs> {
  indices: number[];
  pts: number[];
  outputs: StreamArrays<S>;
  /**
   * Live sources: when each frame was captured (performance.now() ms), where end-to-end
   * latency starts; and what the browser that sent it wants echoed back to its LiveView.
   */
  capturedAt?: number[];
  echo?: ({ sentAt: number; seq: number } | null)[];
}

export interface NodeLog {
  info(message: string): void;
  warn(message: string): void;
}

/** What a node instance is given when it is created. */
export interface NodeContext<P> {
  /** The node's id in the graph. */
  id: string;
  /** Parameters, parsed and defaulted by the node's schema. */
  params: P;
  /** Aborts when the run is cancelled or another node failed. */
  signal: AbortSignal;
  log: NodeLog;
  /** Execution providers to try, in order (accelerator nodes). */
  providers: ExecutionProvider[];
  /** CPU threads this node may use for inference, chosen so stages do not oversubscribe the cores. */
  threads: number;
  /** The batch size of the node's stage (set by an upstream Batcher, else 1). */
  batchSize: number;
  /**
   * How a fusion family runs its fused stage on the stage's provider: linked into one model
   * (`composed`) or as one session per part with the values between them kept on the device
   * (`chained`). The planner picks it from `framefuse tune`'s measurements, else by provider.
   */
  strategy: FusedStrategy;
  /**
   * Whether per-pixel host work (letterboxing, crops, paste-back) may move into ONNX glue
   * that runs on the device, on a GPU provider. False in the per-frame baseline, which runs
   * the way tools without it do.
   */
  deviceGlue: boolean;
  /** Folders: models live in `models`, relative paths in params resolve against `cwd`. */
  paths: NodePaths;
  /**
   * How this run writes files: a free numbered name unless overwrite is on, and never over
   * a file the run reads. A node that writes files passes it to `prepareOutput`.
   */
  output: OutputPolicy;
  /** Live-run hooks (see LiveHooks); absent in worker threads and where a caller gives none. */
  live?: LiveHooks;
}

export interface NodePaths {
  cwd: string;
  models: string;
}

/**
 * A running node. Every hook is optional; which ones a node implements follows from its
 * ports: a node with stream outputs and no stream inputs `produce`s, a node with stream
 * inputs `process`es, a node that writes something `finish`es. `dispose` always runs, after
 * success, failure or cancel, and must release every resource the node holds.
 */
export interface NodeInstance<I extends PortSpecs = PortSpecs, O extends PortSpecs = PortSpecs> {
  /** Called once, in topological order, before any frame flows. */
  open?(inputs: OpenInputs<I>): Promise<OpenOutputs<O>> | OpenOutputs<O> | Promise<void> | void;
  /** Sources: yields chunks of consecutive frames until the stream ends. */
  produce?(): AsyncIterable<SourceChunk<O>>;
  /** Maps a batch of frames to its stream outputs, one value per frame and port. */
  process?(batch: Batch<I>): Promise<StreamArrays<O>> | StreamArrays<O>;
  /** Called once after the last frame when the run succeeded; commit outputs here. The value is the node's result. */
  finish?(): Promise<unknown> | unknown;
  /** Releases resources; runs exactly once, whatever happened. */
  dispose?(): Promise<void> | void;
  /**
   * Takes new parameters while the run goes (only those the definition marks live-editable
   * changed; already checked by the schema). Applies from the next batch on. A node whose
   * value outputs follow from the change (an Image given a new path) returns them: the run
   * hands them to the nodes that read them (`setInputs`).
   */
  setParams?(params: unknown): Promise<Partial<OpenOutputs<O>> | void> | Partial<OpenOutputs<O>> | void;
  /**
   * Takes value inputs that changed while the run goes (a new source face from an Image whose
   * path changed live). Applies from the next batch on; throwing refuses the change and the
   * node keeps what it had. A node without it cannot take new values while it runs.
   */
  setInputs?(inputs: Partial<OpenInputs<I>>): Promise<void> | void;
}

/** A problem that a node's own `check` finds in its parameters (a missing file, say). */
export interface NodeCheckProblem {
  code: string;
  severity?: 'error' | 'warning';
  param?: string;
  port?: string;
  message: string;
}

export interface CheckEnv {
  cwd: string;
  models: string;
  providers: ExecutionProvider[];
}

/** A node that sets the batch size for the nodes downstream of it (the Batcher). */
export interface BatchPolicy {
  /** Frames per batch, or `auto`: measured by `framefuse tune` for the stage's models on this device, else the provider's default. */
  size: number | 'auto';
  /** How long a partial batch may wait for more frames before it is flushed, in milliseconds. */
  deadlineMs: number;
}

export interface NodeDefinition<
  P extends z.ZodObject = z.ZodObject,
  I extends PortSpecs = PortSpecs,
  O extends PortSpecs = PortSpecs,
> {
  /** Unique type name, PascalCase: `Detector`. */
  type: string;
  /** Version of this node type's parameters; bump it and add a `migrate` step when they change. */
  version: number;
  /** Palette group: `Media`, `Faces`, `Batching`, ... */
  category: string;
  title: string;
  description: string;
  kind: NodeKind;
  inputs: I;
  outputs: O;
  /** Parameters: defaults, ranges and `.describe()` texts become the editor's form. */
  params: P;
  /**
   * Makes the node a batch-setting pass-through: it gets no stage of its own, its single
   * input flows on to its consumers, and they run with this batch policy.
   */
  batching?: (params: z.output<P>) => BatchPolicy;
  /**
   * A live source (a camera, a stream): a graph with one runs latency first (batch 1,
   * queues of two that drop the oldest frame) instead of throughput first.
   */
  liveSource?: boolean | ((params: z.output<P>) => boolean);
  /** Upgrades params saved by version `from` to version `from + 1`. */
  migrate?: Record<number, (params: Record<string, unknown>) => Record<string, unknown>>;
  /** Checks beyond the schema (files present, models pulled). Runs during validation. */
  check?: (params: z.output<P>, env: CheckEnv) => NodeCheckProblem[] | Promise<NodeCheckProblem[]>;
  /** The fusion family this node can be composed with, when several run in one fused stage. */
  fusion?: FusionFamily;
  /**
   * Each batch is independent of the batches before it (no tracking, no temporal state),
   * so a stage of such nodes may run as several copies working on alternate batches
   * (data parallelism, as Triton's instance groups), results kept in order. On CPUs this
   * scales where more intra-op threads do not. A function decides per params (a detector
   * that tracks between detection frames is not replicable; one that detects every frame is).
   */
  replicable?: boolean | ((params: z.output<P>) => boolean);
  /**
   * The models the node loads (manifest ids or .onnx paths), so the planner can tell how
   * much memory each copy of its stage needs.
   */
  models?: (params: z.output<P>) => string[];
  create(ctx: NodeContext<z.output<P>>): NodeInstance<I, O> | Promise<NodeInstance<I, O>>;
}

/** Identity function that gives a node definition its types. */
export function defineNode<P extends z.ZodObject, I extends PortSpecs, O extends PortSpecs>(
  definition: NodeDefinition<P, I, O>,
): NodeDefinition<P, I, O> {
  return definition;
}

/** A definition with its types erased, as the registry and executor hold it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyNodeDefinition = NodeDefinition<any, PortSpecs, PortSpecs>;
