/**
 * A face as a decoder finds it on the model's canvas, and the way back to frame pixels.
 * Every detector framefuse runs places the frame at the canvas's top-left corner, scaled
 * by one factor, so going back is a division.
 */
import type { Face, Frame, Point } from '../../model/port-values.js';
import type { Box } from './iou.js';

export interface Candidate {
  box: Box;
  score: number;
  /** Right eye, left eye, nose, right mouth corner, left mouth corner. */
  landmarks: Point[];
}

/** The candidate in frame pixels: box clamped to the frame, points as they are. */
export function toFrameFace(candidate: Candidate, scale: number, frame: Pick<Frame, 'width' | 'height'>): Face {
  const back = (v: number, limit: number): number => Math.min(Math.max(v / scale, 0), limit);
  return {
    box: {
      x1: back(candidate.box.x1, frame.width),
      y1: back(candidate.box.y1, frame.height),
      x2: back(candidate.box.x2, frame.width),
      y2: back(candidate.box.y2, frame.height),
    },
    score: candidate.score,
    landmarks: candidate.landmarks.map((p) => ({ x: p.x / scale, y: p.y / scale })),
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
