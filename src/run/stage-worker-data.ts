/** What a stage worker thread starts with: a StageSpec with definitions replaced by the modules that export them. */
import type { StageSpec } from './stage-spec.js';

/** Params are the validated ones, plain data: they are cloned across. */
export type WorkerStageData = Omit<StageSpec, 'nodes'> & {
  nodes: { id: string; moduleUrl: string; params: unknown }[];
  /** The run may keep this stage for the next one (warm-stages.ts): park its sessions from the first run on. */
  parkSessions: boolean;
};

/** The calls a stage worker answers (runtime/worker-serve.ts carries them). */
export type StageOp = 'create' | 'open' | 'process' | 'finish' | 'dispose' | 'recycle' | 'abort' | 'setParams' | 'setInputs';
