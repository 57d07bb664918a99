/**
 * Model preparers: steps that make ONNX models from files framefuse finds locally (TFLite
 * and TF.js models shipped in npm packages). Converters register here; `framefuse models
 * prepare` runs every registered one.
 *
 * @example
 * ```ts
 * registerPreparer({
 *   id: 'blazeface_short',
 *   description: 'BlazeFace short range from @mediapipe/face_detection (TFLite -> ONNX)',
 *   outputs: ['blazeface_short.onnx'],
 *   prepare: async ({ modelsDir, log }) => { ...write the .onnx...; return { written: [path] }; },
 * });
 * ```
 */
export interface PrepareContext {
  modelsDir: string;
  /** Rebuild even when the outputs exist. */
  force: boolean;
  log: (message: string) => void;
  signal?: AbortSignal;
}

export interface PrepareResult {
  /** Files written (empty when everything was already there). */
  written: string[];
}

export interface ModelPreparer {
  id: string;
  description: string;
  /** File names it writes under the models folder. */
  outputs: string[];
  prepare(context: PrepareContext): Promise<PrepareResult>;
}

const preparers = new Map<string, ModelPreparer>();

/** Adds a preparer. Registering the same id twice is a bug and throws. */
export function registerPreparer(preparer: ModelPreparer): void {
  if (preparers.has(preparer.id)) throw new Error(`a model preparer with id ${preparer.id} is already registered`);
  preparers.set(preparer.id, preparer);
}

export function listPreparers(): ModelPreparer[] {
  return [...preparers.values()];
}

export interface PreparerOutcome {
  id: string;
  ok: boolean;
  written: string[];
  error?: string;
}

/** Runs the preparers (all, or those named), one after another; one failing does not stop the others. */
export async function runPreparers(context: PrepareContext, ids?: string[]): Promise<PreparerOutcome[]> {
  const chosen = ids && ids.length > 0 ? listPreparers().filter((p) => ids.includes(p.id)) : listPreparers();
  const outcomes: PreparerOutcome[] = [];
  for (const preparer of chosen) {
    try {
      const result = await preparer.prepare(context);
      outcomes.push({ id: preparer.id, ok: true, written: result.written });
    } catch (error) {
      outcomes.push({ id: preparer.id, ok: false, written: [], error: error instanceof Error ? error.message : String(error) });
    }
  }
  return outcomes;
}
