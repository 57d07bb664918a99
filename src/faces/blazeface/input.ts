/**
 * BlazeFace's input: each frame letterboxed (aspect kept, centred, black bars) onto the
 * model's square, as MediaPipe's ImageToTensorCalculator does with keep_aspect_ratio, in
 * NHWC RGB scaled to [-1, 1].
 */
import type { Frame, Point } from '../../model/port-values.js';
import { warpAffineRgb } from './warp.js';

/** Where a frame sits on the model's square. */
export interface Letterbox {
  /** Input pixels per frame pixel. */
  scale: number;
  /** Offset of the picture on the square, in input pixels. */
  offsetX: number;
  offsetY: number;
  size: number;
}

export function letterbox(frame: Pick<Frame, 'width' | 'height'>, size: number): Letterbox {
  const scale = Math.min(size / frame.width, size / frame.height);
  return { scale, offsetX: (size - frame.width * scale) / 2, offsetY: (size - frame.height * scale) / 2, size };
}

/** A point normalized to the model input ([0, 1]) in frame pixels. */
export function toFramePoint(box: Letterbox, p: Point): Point {
  return { x: (p.x * box.size - box.offsetX) / box.scale, y: (p.y * box.size - box.offsetY) / box.scale };
}

/** The batch tensor [frames.length, size, size, 3] and each frame's letterbox. */
export function blazeFaceInput(frames: readonly Frame[], size: number): { data: Float32Array; dims: number[]; boxes: Letterbox[] } {
  const data = new Float32Array(frames.length * size * size * 3);
  const boxes = frames.map((frame, i) => {
    const box = letterbox(frame, size);
    const map = { a: 1 / box.scale, b: 0, c: -box.offsetX / box.scale, d: 0, e: 1 / box.scale, f: -box.offsetY / box.scale };
    warpAffineRgb(frame, map, size, size, { scale: 1 / 127.5, offset: -1 }, data, i * size * size * 3);
    return box;
  });
  return { data, dims: [frames.length, size, size, 3], boxes };
}
