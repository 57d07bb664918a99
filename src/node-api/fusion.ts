// Fused stages as the node-authoring API sees them (re-exported by define-node.ts).
import type { AnyNodeDefinition, NodeContext } from './define-node.js';

/** A member of a fused stage, as its fusion family sees it. */
export interface FusionMember {
  id: string;
  definition: AnyNodeDefinition;
  /** Params parsed by the node's schema. */
  params: unknown;
  ctx: NodeContext<unknown>;
  /** Where each connected input comes from; `internal` when another member produces it. */
  inputs: { port: string; from: string; internal: boolean; rate: 'stream' | 'value' }[];
  /** This member's stream outputs that other stages consume: the fused instance must return them. */
  consumedOutputs: string[];
}

/**
 * One instance doing the work of every member of a fused stage. Values are keyed by member
 * id, then port: `inputs` holds what comes from outside the stage; results hold at least
 * every output another stage consumes.
 */
export interface FusedInstance {
  open?(inputs: Record<string, Record<string, unknown>>): Promise<Record<string, Record<string, unknown>> | void> | Record<string, Record<string, unknown>> | void;
  process(batch: {
    indices: number[];
    pts: number[];
    inputs: Record<string, Record<string, unknown[]>>;
  }): Promise<Record<string, Record<string, unknown[]>>> | Record<string, Record<string, unknown[]>>;
  /**
   * A member's new parameters while a live run goes (only live-editable ones changed, already
   * checked). Without it, no member of the stage can change while it runs.
   */
  setParams?(member: string, params: unknown): Promise<void> | void;
  /** A member's value inputs that changed while the run goes (a new source face); throwing refuses them. */
  setInputs?(member: string, inputs: Record<string, unknown>): Promise<void> | void;
  /** Results by member id, as the members' own finish() would give them. */
  finish?(): Promise<Record<string, unknown> | void> | Record<string, unknown> | void;
  dispose?(): Promise<void> | void;
}

/** What the planner knows of a member before the run: everything but its context. */
export type FusionCandidate = Omit<FusionMember, 'ctx'>;

/**
 * Nodes of one family that the planner puts in one fused stage run as one instance: the
 * family composes their work (their ONNX models into one graph, so intermediates never
 * leave the device and a batch takes one session run). Declining (null) is always safe:
 * the stage then runs its nodes one after another in its worker.
 */
export interface FusionFamily {
  /** Stable name, shown in plans and logs: `face-crop-chain`. */
  id: string;
  /**
   * Why the family would decline to compose these members, or null when it would. The
   * planner calls it, so a plan never shows a composed stage that the run then refuses;
   * `fuse` may still decline for what only the run can know (a model that cannot compose).
   */
  check?(members: FusionCandidate[]): string | null;
  fuse(members: FusionMember[]): Promise<FusedInstance | null>;
}
