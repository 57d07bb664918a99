/**
 * Opening the shipped YuNet model for batched detection. The file in models/ has a fixed
 * batch of 1; `openModel` rewrites it to a dynamic batch, proves the rewrite numerically
 * (batch N == N runs of batch 1) and caches it under `<models>/cache`, once per machine.
 */
import { openModel } from '../runtime/model-session.js';
import type { ModelSession, OpenModelOptions } from '../runtime/model-session.js';
import type { ModelExpectation, TensorExpectation } from '../runtime/signature.js';

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
 * Opens YuNet (the shipped model, or `ref`: another id or .onnx path with the same
 * outputs) ready for batches of any size.
 */
export async function openYunet(options: OpenModelOptions & { ref?: string } = {}): Promise<ModelSession> {
  const { ref, ...rest } = options;
  return openModel(ref ?? YUNET_MODEL_ID, { batchify: true, expect: YUNET_EXPECTATION, ...rest });
}
