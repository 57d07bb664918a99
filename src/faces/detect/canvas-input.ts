/**
 * The input of a canvas detector (YuNet, RetinaFace, SCRFD, YOLOFace) for a batch of
 * frames: each frame letterboxed at the canvas's top-left corner (see
 * geometry/letterbox-planes.ts), then put in the model's plane order and normalization.
 * Padding is normalized like pixels of value 0, as FaceFusion pads before normalizing.
 */
import type { Frame } from '../../model/port-values.js';
import { letterboxFor, writeLetterboxBgr, type Letterbox, type PixelNormalization } from '../geometry/index.js';

export interface CanvasBatch {
  data: Float32Array;
  dims: [number, 3, number, number];
  boxes: Letterbox[];
}

/** `into`, when given, is a zeroed array of the batch's length to fill instead of a new one. */
export function canvasBatch(frames: readonly Frame[], canvasWidth: number, canvasHeight: number, norm: PixelNormalization, into?: Float32Array): CanvasBatch {
  const plane = canvasWidth * canvasHeight;
  const data = into ?? new Float32Array(frames.length * 3 * plane);
  const boxes = frames.map((frame, i) => {
    const box = letterboxFor(frame.width, frame.height, canvasWidth, canvasHeight);
    writeLetterboxBgr(frame, box, data, i * 3 * plane, canvasWidth, canvasHeight);
    const base = i * 3 * plane;
    if (norm.order === 'rgb') {
      for (let p = 0; p < plane; p++) {
        const b = data[base + p]!;
        data[base + p] = data[base + 2 * plane + p]!;
        data[base + 2 * plane + p] = b;
      }
    }
    for (const c of [0, 1, 2] as const) {
      const mean = norm.mean[c];
      const scale = 1 / norm.std[c];
      // Raw pixel values (YuNet): the planes are already the model's input.
      if (mean === 0 && scale === 1) continue;
      for (let p = base + c * plane, end = p + plane; p < end; p++) data[p] = (data[p]! - mean) * scale;
    }
    return box;
  });
  return { data, dims: [frames.length, 3, canvasHeight, canvasWidth], boxes };
}

/**
 * The canvas for a model input [N,3,H,W]: its own size when fixed, else the frames fitted
 * in `side` x `side` with each side rounded up to a multiple of 32 (the coarsest stride).
 */
export function canvasSize(dims: readonly (number | string | null)[] | undefined, frames: readonly Frame[], side: number): { width: number; height: number } {
  const h = dims?.[2];
  const w = dims?.[3];
  if (typeof h === 'number' && typeof w === 'number') return { width: w, height: h };
  let width = 32;
  let height = 32;
  for (const frame of frames) {
    const box = letterboxFor(frame.width, frame.height, side, side);
    width = Math.max(width, Math.ceil(box.width / 32) * 32);
    height = Math.max(height, Math.ceil(box.height / 32) * 32);
  }
  return { width, height };
}
