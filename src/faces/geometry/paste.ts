/**
 * Paste-back: a processed crop goes back into the frame through its mask. Only the frame's
 * region that the crop covers is touched: the crop's corners, mapped back into the frame,
 * bound the loop, so the cost follows the face, not the frame.
 */
import { applyAffine, invertAffine, type Affine } from './affine.js';

export interface FrameBuffer {
  width: number;
  height: number;
  /** RGB24; written in place. */
  data: Uint8Array;
}

/** The frame region (clipped, integer, end exclusive) that a `size` crop under `m` covers. */
export function cropRegion(m: Affine, size: number, width: number, height: number): { x0: number; y0: number; x1: number; y1: number } {
  const inv = invertAffine(m);
  const corners = [
    { x: 0, y: 0 },
    { x: size, y: 0 },
    { x: 0, y: size },
    { x: size, y: size },
  ].map((p) => applyAffine(inv, p));
  const xs = corners.map((p) => p.x);
  const ys = corners.map((p) => p.y);
  return {
    x0: Math.max(0, Math.floor(Math.min(...xs))),
    y0: Math.max(0, Math.floor(Math.min(...ys))),
    x1: Math.min(width, Math.ceil(Math.max(...xs)) + 1),
    y1: Math.min(height, Math.ceil(Math.max(...ys)) + 1),
  };
}

/**
 * Blends `crop` (RGB24, size x size) into `target` through `mask` (size x size, 0..1):
 * target = target * (1 - m) + crop * m, with crop and mask sampled bilinearly at the crop
 * position of each frame pixel. `m` maps frame pixels to crop pixels.
 */
export function pasteBack(target: FrameBuffer, crop: Uint8Array, size: number, m: Affine, mask: Float32Array): void {
  const { width, height, data } = target;
  const { x0, y0, x1, y1 } = cropRegion(m, size, width, height);
  const max = size - 1;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const u = m[0] * x + m[1] * y + m[2];
      const v = m[3] * x + m[4] * y + m[5];
      if (u < 0 || v < 0 || u > max || v > max) continue;
      const ux = Math.floor(u);
      const vy = Math.floor(v);
      const ux1 = ux < max ? ux + 1 : ux;
      const vy1 = vy < max ? vy + 1 : vy;
      const fx = u - ux;
      const fy = v - vy;
      const w00 = (1 - fx) * (1 - fy);
      const w01 = fx * (1 - fy);
      const w10 = (1 - fx) * fy;
      const w11 = fx * fy;
      const j00 = vy * size + ux;
      const j01 = vy * size + ux1;
      const j10 = vy1 * size + ux;
      const j11 = vy1 * size + ux1;
      const alpha = mask[j00]! * w00 + mask[j01]! * w01 + mask[j10]! * w10 + mask[j11]! * w11;
      if (alpha <= 0) continue;
      const o = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) {
        const value = crop[j00 * 3 + c]! * w00 + crop[j01 * 3 + c]! * w01 + crop[j10 * 3 + c]! * w10 + crop[j11 * 3 + c]! * w11;
        data[o + c] = data[o + c]! * (1 - alpha) + value * alpha + 0.5;
      }
    }
  }
}
