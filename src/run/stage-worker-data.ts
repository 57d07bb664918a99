/**
 * What a stage worker thread starts with: a StageSpec with definitions replaced by the
 * modules that export them, less the run's output policy. The policy (overwrite, the files
 * the run reads, the graph embedded in what it writes) belongs to one run, so it comes with
 * each run's `create`: a thread kept warm for the next segment of a farm run serves it
 * although that segment's graph, and so its policy, differ.
 */
import type { OutputPolicy } from '../files/output-policy.js';
import type { StageSpec } from './stage-spec.js';

/** Params are the validated ones, plain data: they are cloned across. */
export type WorkerStageData = Omit<StageSpec, 'nodes' | 'output'> & {
  nodes: { id: string; moduleUrl: string; params: unknown }[];
  /** The run may keep this stage for the next one (warm-stages.ts): park its sessions from the first run on. */
  parkSessions: boolean;
};

/** The calls a stage worker answers (runtime/worker-serve.ts carries them). */
export type StageOp = 'create' | 'open' | 'process' | 'finish' | 'dispose' | 'recycle' | 'abort' | 'setParams' | 'setInputs';

/** What `create` carries: the run's part of the stage's spec. */
export interface StageRunData {
  output: OutputPolicy;
}
