/** What the scheduler needs from a stage, wherever its nodes run. */
import type { FramefuseError } from '../errors.js';
import type { StageBatch } from './stage-spec.js';
import type { NodeStats } from './stage-stats.js';

export interface StageExecutor {
  /** Per node counters, as of the last completed call. */
  readonly stats: Record<string, NodeStats>;
  create(): Promise<void>;
  open(external: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** `transfer`: values of the batch whose buffers this stage may take (no other stage needs them any more). */
  process(batch: StageBatch, transfer?: readonly unknown[]): Promise<Record<string, unknown[]>>;
  finish(): Promise<Record<string, unknown>>;
  /**
   * New parameters for one node while the run goes (live-editable ones, already checked);
   * returns the value outputs that changed with them (`node.port` -> value).
   */
  setParams(node: string, params: unknown): Promise<Record<string, unknown>>;
  /** Value inputs from outside the stage that changed while the run goes (`node.port` -> value). */
  setInputs(values: Record<string, unknown>): Promise<void>;
  /** Asks nodes busy in another thread to stop (a stage on this thread stops through the run's signal). */
  abort?(): void;
  dispose(): Promise<FramefuseError[]>;
}
