/** SCRFD as a detector family: a canvas detector, opened batchified, nine outputs in the model's own order. */
import { detectOnCanvas, floatsInOrder } from '../detect/canvas-detect.js';
import type { DetectorFamily } from '../detect/face-detector.js';
import { openBatched } from '../detect/open-batched.js';
import { normalizationOf } from '../geometry/index.js';
import { inputSpec } from '../../models/model-facts.js';
import { decodeScrfd } from './decode.js';

export const scrfdFamily: DetectorFamily = {
  open: (info, { modelPath, ...options }) => openBatched(modelPath ?? info.modelId, options),
  canvas: {},
  detect: (session, info, frames, settings) =>
    detectOnCanvas(info.id, session, normalizationOf(inputSpec(info.modelId)), frames, settings, (s, canvas) => (outputs, index, batch, threshold) =>
      decodeScrfd(floatsInOrder(s, outputs), index, batch, canvas.width, canvas.height, threshold),
    ),
};
