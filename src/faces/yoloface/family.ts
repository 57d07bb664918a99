/** YOLOFace as a detector family: a canvas detector, opened batchified, one [N,20,P] output. */
import { detectOnCanvas, floatsInOrder } from '../detect/canvas-detect.js';
import type { DetectorFamily } from '../detect/face-detector.js';
import { openBatched } from '../detect/open-batched.js';
import { normalizationOf } from '../geometry/index.js';
import { inputSpec } from '../../models/model-facts.js';
import { decodeYoloFace } from './decode.js';

export const yolofaceFamily: DetectorFamily = {
  open: (info, { modelPath, ...options }) => openBatched(modelPath ?? info.modelId, options),
  canvas: {},
  detect: (session, info, frames, settings) =>
    detectOnCanvas(info.id, session, normalizationOf(inputSpec(info.modelId)), frames, settings, (s) => (outputs, index, batch, threshold) =>
      decodeYoloFace(floatsInOrder(s, outputs)[0]!, index, batch, threshold),
    ),
};
