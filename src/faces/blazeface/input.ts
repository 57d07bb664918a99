/**
 * BlazeFace's input: each frame letterboxed (aspect kept, centred, black bars) onto the
 * model's square, as MediaPipe's ImageToTensorCalculator does with keep_aspect_ratio, in
 * NHWC and the model's normalization (the manifest's: RGB in [-1, 1]).
 */
import type { Frame, Point } from '../../model/port-values.js';
import { canvasToFrame, canvasToFrameAffine, letterboxFor, warpAffineRgb, type Letterbox, type PixelNormalization } from '../geometry/index.js';

/** A point normalized to the model input ([0, 1] of a `size` square) in frame pixels. */
export function toFramePoint(box: Letterbox, size: number, p: Point): Point {
  return canvasToFrame(box, { x: p.x * size, y: p.y * size });
}

/** The batch tensor [frames.length, size, size, 3] and each frame's letterbox. */
export function blazeFaceInput(frames: readonly Frame[], size: number, norm: PixelNormalization): { data: Float32Array; dims: number[]; boxes: Letterbox[] } {
  const data = new Float32Array(frames.length * size * size * 3);
  const boxes = frames.map((frame, i) => {
    const box = letterboxFor(frame.width, frame.height, size, size, 'centre');
    warpAffineRgb(frame, canvasToFrameAffine(box), size, size, norm, data, i * size * size * 3);
    return box;
  });
  return { data, dims: [frames.length, size, size, 3], boxes };
}
