/**
 * A face as a decoder finds it on the model's canvas, and the way back to frame pixels
 * through the frame's letterbox.
 */
import type { Face, Frame, Point } from '../../model/port-values.js';
import { canvasToFrame, type Letterbox } from '../geometry/index.js';
import type { Box } from './iou.js';

export interface Candidate {
  box: Box;
  score: number;
  /** Right eye, left eye, nose, right mouth corner, left mouth corner. */
  landmarks: Point[];
}

/** The candidate in frame pixels: box clamped to the frame, points as they are. */
export function toFrameFace(candidate: Candidate, box: Letterbox, frame: Pick<Frame, 'width' | 'height'>): Face {
  const topLeft = canvasToFrame(box, { x: candidate.box.x1, y: candidate.box.y1 });
  const bottomRight = canvasToFrame(box, { x: candidate.box.x2, y: candidate.box.y2 });
  const clamp = (v: number, limit: number): number => Math.min(Math.max(v, 0), limit);
  return {
    box: { x1: clamp(topLeft.x, frame.width), y1: clamp(topLeft.y, frame.height), x2: clamp(bottomRight.x, frame.width), y2: clamp(bottomRight.y, frame.height) },
    score: candidate.score,
    landmarks: candidate.landmarks.map((p) => canvasToFrame(box, p)),
  };
}

/**
 * The part of a batched output that belongs to image `index`: exports differ in whether
 * they keep the batch axis ([N, P, k]) or fold it into the rows ([N*P, k]); either way
 * each image owns an equal, contiguous share.
 */
export function imageShare(data: Float32Array, index: number, batch: number): Float32Array {
  const size = data.length / batch;
  if (!Number.isInteger(size)) throw new Error(`an output of ${data.length} values does not split into ${batch} images`);
  return data.subarray(index * size, (index + 1) * size);
}
