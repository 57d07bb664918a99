/**
 * RetinaFace (MobileNet-0.25, biubug6/Pytorch_Retinaface) outputs as face candidates:
 * `loc` [N,P,4], `conf` [N,P,2] (column 1 = face) and `landmarks` [N,P,10] against SSD
 * priors: steps 8/16/32 with min sizes [16,32], [64,128], [256,512], ordered level, row,
 * column, min size; variances 0.1 (centres) and 0.2 (sizes).
 */
import type { Candidate } from '../detect/candidate.js';
import { imageShare } from '../detect/candidate.js';

const STEPS = [8, 16, 32] as const;
const MIN_SIZES = [[16, 32], [64, 128], [256, 512]] as const;
const VARIANCE_CENTER = 0.1;
const VARIANCE_SIZE = 0.2;

/** Priors as [cx, cy, w, h] in canvas pixels, 4 floats each. */
export function retinaFacePriors(canvasWidth: number, canvasHeight: number): Float32Array {
  const values: number[] = [];
  STEPS.forEach((step, level) => {
    const rows = Math.ceil(canvasHeight / step);
    const cols = Math.ceil(canvasWidth / step);
    for (let row = 0; row < rows; row++) {
      for (let col = 0; col < cols; col++) {
        for (const size of MIN_SIZES[level]!) values.push((col + 0.5) * step, (row + 0.5) * step, size, size);
      }
    }
  });
  return Float32Array.from(values);
}

/** The face probability of a conf pair: the export's softmax when present, else computed. */
function faceProbability(background: number, face: number): number {
  const sum = background + face;
  if (background >= 0 && face >= 0 && Math.abs(sum - 1) < 1e-3) return face;
  return 1 / (1 + Math.exp(background - face));
}

export interface RetinaFaceOutputs {
  loc: Float32Array;
  conf: Float32Array;
  landmarks: Float32Array;
}

/** Candidates of image `index` of a batch of `batch`, in canvas pixels. */
export function decodeRetinaFace(outputs: RetinaFaceOutputs, priors: Float32Array, index: number, batch: number, scoreThreshold: number): Candidate[] {
  const count = priors.length / 4;
  const loc = imageShare(outputs.loc, index, batch);
  const conf = imageShare(outputs.conf, index, batch);
  const ldm = imageShare(outputs.landmarks, index, batch);
  if (loc.length !== count * 4 || conf.length !== count * 2 || ldm.length !== count * 10) {
    throw new Error(`RetinaFace outputs have ${loc.length / 4}, ${conf.length / 2}, ${ldm.length / 10} rows; the canvas has ${count} priors`);
  }
  const found: Candidate[] = [];
  for (let p = 0; p < count; p++) {
    const score = faceProbability(conf[p * 2]!, conf[p * 2 + 1]!);
    if (!(score >= scoreThreshold)) continue;
    const [px, py, pw, ph] = [priors[p * 4]!, priors[p * 4 + 1]!, priors[p * 4 + 2]!, priors[p * 4 + 3]!];
    const cx = px + loc[p * 4]! * VARIANCE_CENTER * pw;
    const cy = py + loc[p * 4 + 1]! * VARIANCE_CENTER * ph;
    const w = pw * Math.exp(loc[p * 4 + 2]! * VARIANCE_SIZE);
    const h = ph * Math.exp(loc[p * 4 + 3]! * VARIANCE_SIZE);
    const landmarks = [];
    for (let k = 0; k < 5; k++) landmarks.push({ x: px + ldm[p * 10 + 2 * k]! * VARIANCE_CENTER * pw, y: py + ldm[p * 10 + 2 * k + 1]! * VARIANCE_CENTER * ph });
    found.push({ box: { x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2 }, score, landmarks });
  }
  return found;
}
