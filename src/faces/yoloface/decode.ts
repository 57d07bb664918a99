/**
 * YOLOFace 8n's output [N, 20, P] as face candidates: per prediction (a column), rows
 * cx, cy, w, h (canvas pixels), score, then five keypoints as (x, y, visibility).
 */
import type { Candidate } from '../detect/candidate.js';
import { imageShare } from '../detect/candidate.js';

export const YOLOFACE_ROWS = 20;

/** Candidates of image `index` of a batch of `batch`, in canvas pixels. */
export function decodeYoloFace(output: Float32Array, index: number, batch: number, scoreThreshold: number): Candidate[] {
  const data = imageShare(output, index, batch);
  const count = data.length / YOLOFACE_ROWS;
  if (!Number.isInteger(count)) throw new Error(`YOLOFace's output should be [N,${YOLOFACE_ROWS},P]; ${data.length} values per image do not fit`);
  const at = (row: number, p: number): number => data[row * count + p]!;
  const found: Candidate[] = [];
  for (let p = 0; p < count; p++) {
    const score = at(4, p);
    if (!(score >= scoreThreshold)) continue;
    const cx = at(0, p);
    const cy = at(1, p);
    const w = at(2, p);
    const h = at(3, p);
    const landmarks = [];
    for (let k = 0; k < 5; k++) landmarks.push({ x: at(5 + 3 * k, p), y: at(6 + 3 * k, p) });
    found.push({ box: { x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2 }, score, landmarks });
  }
  return found;
}
