/**
 * SCRFD's nine outputs as face candidates (InsightFace's SCRFD, as FaceFusion runs it):
 * scores, boxes and keypoints for strides 8, 16 and 32, in that order. Each cell of a
 * stride's grid has two anchors (consecutive rows), centred on the cell's top-left corner
 * (col * s, row * s). Boxes are distances to the four sides and keypoints offsets from the
 * centre, both in strides; scores are already sigmoid.
 */
import type { Candidate } from '../detect/candidate.js';
import { imageShare } from '../detect/candidate.js';

export const SCRFD_STRIDES = [8, 16, 32] as const;
export const SCRFD_ANCHORS_PER_CELL = 2;

/**
 * `outputs` are the model's nine outputs in its own order (names differ between exports).
 * Candidates of image `index` of a batch of `batch`, in canvas pixels.
 */
export function decodeScrfd(outputs: readonly Float32Array[], index: number, batch: number, canvasWidth: number, canvasHeight: number, scoreThreshold: number): Candidate[] {
  if (outputs.length !== 9) throw new Error(`SCRFD has 9 outputs (scores, boxes, keypoints x 3 strides); this model has ${outputs.length}`);
  const found: Candidate[] = [];
  SCRFD_STRIDES.forEach((stride, level) => {
    const cols = Math.ceil(canvasWidth / stride);
    const rows = Math.ceil(canvasHeight / stride);
    const anchors = cols * rows * SCRFD_ANCHORS_PER_CELL;
    const scores = imageShare(outputs[level]!, index, batch);
    const boxes = imageShare(outputs[level + 3]!, index, batch);
    const kps = imageShare(outputs[level + 6]!, index, batch);
    if (scores.length !== anchors || boxes.length !== anchors * 4 || kps.length !== anchors * 10) {
      throw new Error(`SCRFD stride ${stride} on a ${canvasWidth}x${canvasHeight} canvas needs ${anchors} anchors; the outputs have ${scores.length}, ${boxes.length / 4}, ${kps.length / 10}`);
    }
    for (let a = 0; a < anchors; a++) {
      const score = scores[a]!;
      if (!(score >= scoreThreshold)) continue;
      const cell = Math.floor(a / SCRFD_ANCHORS_PER_CELL);
      const cx = (cell % cols) * stride;
      const cy = Math.floor(cell / cols) * stride;
      const landmarks = [];
      for (let k = 0; k < 5; k++) landmarks.push({ x: cx + kps[a * 10 + 2 * k]! * stride, y: cy + kps[a * 10 + 2 * k + 1]! * stride });
      found.push({
        box: { x1: cx - boxes[a * 4]! * stride, y1: cy - boxes[a * 4 + 1]! * stride, x2: cx + boxes[a * 4 + 2]! * stride, y2: cy + boxes[a * 4 + 3]! * stride },
        score,
        landmarks,
      });
    }
  });
  return found;
}
