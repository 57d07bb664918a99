/** RetinaFace as a detector family: a canvas detector, opened batchified, decoded against its SSD priors. */
import type { Outputs } from '../../runtime/tensors.js';
import type { ModelSession } from '../../runtime/model-session.js';
import { detectOnCanvas, floatsInOrder } from '../detect/canvas-detect.js';
import type { DetectorFamily } from '../detect/face-detector.js';
import { openBatched } from '../detect/open-batched.js';
import { normalizationOf } from '../geometry/index.js';
import { inputSpec } from '../../models/model-facts.js';
import { decodeRetinaFace, retinaFacePriors } from './decode.js';

/** RetinaFace's three outputs told apart by their last dimension (4, 2, 10). */
function retinaOutputs(session: Pick<ModelSession, 'outputs'>, outputs: Outputs) {
  const all = floatsInOrder(session, outputs);
  const byLast = (k: number): Float32Array => {
    const i = session.outputs.findIndex((o) => outputs[o.name]?.dims.at(-1) === k);
    if (i < 0) throw new Error(`RetinaFace needs outputs [N,P,4], [N,P,2], [N,P,10]; got ${session.outputs.map((o) => `[${outputs[o.name]?.dims.join(',')}]`).join(', ')}`);
    return all[i]!;
  };
  return { loc: byLast(4), conf: byLast(2), landmarks: byLast(10) };
}

export const retinafaceFamily: DetectorFamily = {
  open: (info, { modelPath, ...options }) => openBatched(modelPath ?? info.modelId, options),
  canvas: {},
  detect: (session, info, frames, settings) =>
    detectOnCanvas(info.id, session, normalizationOf(inputSpec(info.modelId)), frames, settings, (s, canvas) => {
      const priors = retinaFacePriors(canvas.width, canvas.height);
      return (outputs, index, batch, threshold) => decodeRetinaFace(retinaOutputs(s, outputs), priors, index, batch, threshold);
    }),
};
