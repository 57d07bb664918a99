/**
 * Opening the shipped YuNet model for batched detection on a canvas of any size. The file
 * in models/ takes [1,3,640,640]; it is rewritten twice, each rewrite proven numerically
 * and cached under `<models>/cache` once per machine: free height and width (see
 * yunet-free-size.ts), then a dynamic batch (`openModel`'s batchify: batch N == N runs of
 * batch 1).
 */
import { cacheDir, defaultModelsDir, resolveModel } from '../../models/paths.js';
import { openModel } from '../../runtime/model-session.js';
import type { ModelSession, OpenModelOptions } from '../../runtime/model-session.js';
import type { ModelExpectation, TensorExpectation } from '../../runtime/signature.js';
import { freeSizeYunetFile } from './free-size.js';

/** The manifest id of the shipped detector (models/yunet_s_640_640.onnx). */
export const YUNET_MODEL_ID = 'yunet_2023mar';

/** The input and outputs detection relies on; a different file fails when opened, naming itself. */
const YUNET_EXPECTATION: ModelExpectation = {
  inputs: { input: { dims: [null, 3, null, null] } },
  outputs: Object.fromEntries(
    ['cls', 'obj', 'bbox', 'kps'].flatMap((kind) => [8, 16, 32].map((s): [string, TensorExpectation] => [`${kind}_${s}`, {}])),
  ),
};

/**
 * A session on the free-size rewrite that names the file it came from, as every other
 * session does, and says that the rewrite was applied.
 */
function fromSource(session: ModelSession, file: string, hash: string): ModelSession {
  return {
    file,
    loadedFile: session.loadedFile,
    hash,
    inputs: session.inputs,
    outputs: session.outputs,
    provider: session.provider,
    providerReason: session.providerReason,
    applied: ['free-size', ...session.applied],
    runBatch: session.runBatch,
    get runs() {
      return session.runs;
    },
    run: (feeds) => session.run(feeds),
    dispose: () => session.dispose(),
  };
}

/**
 * Opens YuNet (the shipped model, or `ref`: another id or .onnx path with the same
 * outputs) ready for batches of any size and, unless the model cannot be rewritten, any
 * canvas size.
 */
export async function openYunet(options: OpenModelOptions & { ref?: string } = {}): Promise<ModelSession> {
  const { ref, ...rest } = options;
  const modelsDir = rest.modelsDir ?? defaultModelsDir(rest.cwd);
  const { path: file } = await resolveModel(ref ?? YUNET_MODEL_ID, modelsDir, rest.cwd);
  const free = await freeSizeYunetFile(file, rest.cacheDir ?? cacheDir(modelsDir), rest.log);
  const session = await openModel(free?.path ?? file, { batchify: true, expect: YUNET_EXPECTATION, ...rest });
  return free && free.path !== file ? fromSource(session, file, free.sourceHash) : session;
}
