/**
 * What a stage is made of, wherever it runs: its nodes with their validated params, the
 * edges into them (each with its producer's key), the streams it hands on, and its batch,
 * threads and providers. Also how an error thrown by a node comes to name it.
 */
import type { AnyNodeDefinition, ExecutionProvider, FusedStrategy, NodePaths } from '../node-api/define-node.js';
import type { OutputPolicy } from '../files/output-policy.js';
import { FramefuseError, operationalError } from '../errors.js';
import { nodeOfKey, type PortKey } from '../model/port-key.js';

export interface StageNode {
  id: string;
  definition: AnyNodeDefinition;
  /** Params as validation parsed them (defaults applied). */
  params: unknown;
}

/** An edge into a node of the stage, with its producer's key. */
export interface StageInput {
  node: string;
  port: string;
  from: PortKey;
  rate: 'stream' | 'value';
}

export interface StageSpec {
  id: string;
  nodes: StageNode[];
  /** Every edge into a node of this stage (internal or external). */
  inputs: StageInput[];
  /** Producer keys of streams other stages consume. */
  outputs: PortKey[];
  batchSize: number;
  threads: number;
  providers: ExecutionProvider[];
  /** How a fusion family runs the stage (plan's strategy); default composed. */
  strategy?: FusedStrategy;
  paths: NodePaths;
  output: OutputPolicy;
  /** Let a fusion family compose the stage's nodes into one instance (default true). */
  compose?: boolean;
}

export interface StageBatch {
  indices: number[];
  pts: number[];
  /** External stream inputs by producer key. */
  streams: Record<string, unknown[]>;
}

export type LogSink = (level: 'info' | 'warn', node: string, message: string) => void;

/** Wraps an error thrown by a node so it names the node. */
export function attribute(error: unknown, node: string): FramefuseError {
  if (error instanceof FramefuseError) return error.forNode(node);
  const message = error instanceof Error ? error.message : String(error);
  return operationalError('FF_NODE_FAILED', message, { node, cause: error });
}

/** The edges into `node` (a member of the stage). */
export function inputsOf(spec: StageSpec, node: string): StageInput[] {
  return spec.inputs.filter((i) => i.node === node);
}

/** True when the producer of `from` is a member of the stage. */
export function isInternal(spec: StageSpec, from: PortKey): boolean {
  return spec.nodes.some((n) => n.id === nodeOfKey(from));
}

/** One member's inputs, sorted once per stage (the per-batch loops read these, never the spec). */
export interface MemberInputs {
  all: StageInput[];
  /** Inputs at stream rate (one value per frame). */
  streams: StageInput[];
  /** Inputs whose producer is outside the stage. */
  external: StageInput[];
  /** Stream inputs whose producer is outside the stage. */
  externalStreams: StageInput[];
}

/** Every member's inputs by node id: what `inputsOf` and `isInternal` give, worked out once. */
export function memberInputs(spec: StageSpec): Map<string, MemberInputs> {
  const members = new Map<string, MemberInputs>();
  for (const node of spec.nodes) {
    const all = inputsOf(spec, node.id);
    const external = all.filter((i) => !isInternal(spec, i.from));
    members.set(node.id, { all, streams: all.filter((i) => i.rate === 'stream'), external, externalStreams: external.filter((i) => i.rate === 'stream') });
  }
  return members;
}
