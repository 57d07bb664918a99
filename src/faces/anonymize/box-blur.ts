/**
 * Blur of a rectangle of an RGB24 frame: three passes of a separable box filter (close to
 * a Gaussian of sigma ~ radius), each a running sum, so the cost per pixel does not grow
 * with the radius. Only the rectangle and a margin around it (the filter's reach, clipped
 * to the frame) are read; edges clamp.
 */
import type { Frame } from '../../run/media-types.js';

/** A float RGB copy of a rectangle: `data[(row * width + col) * 3 + channel]`. */
export interface RgbPatch {
  x: number;
  y: number;
  width: number;
  height: number;
  data: Float32Array;
}

/** Copies a rectangle of the frame (clipped to it) into floats. */
export function readPatch(frame: Frame, x: number, y: number, width: number, height: number): RgbPatch {
  const x0 = Math.max(0, x);
  const y0 = Math.max(0, y);
  const w = Math.max(0, Math.min(frame.width, x + width) - x0);
  const h = Math.max(0, Math.min(frame.height, y + height) - y0);
  const data = new Float32Array(w * h * 3);
  for (let row = 0; row < h; row++) {
    const from = ((y0 + row) * frame.width + x0) * 3;
    for (let i = 0; i < w * 3; i++) data[row * w * 3 + i] = frame.data[from + i]!;
  }
  return { x: x0, y: y0, width: w, height: h, data };
}

/** One box pass along rows (`horizontal`) or columns, window 2r+1, clamped edges. */
function boxPass(src: Float32Array, dst: Float32Array, width: number, height: number, radius: number, horizontal: boolean): void {
  const lines = horizontal ? height : width;
  const length = horizontal ? width : height;
  const step = horizontal ? 3 : width * 3;
  const norm = 1 / (2 * radius + 1);
  for (let line = 0; line < lines; line++) {
    const base = horizontal ? line * width * 3 : line * 3;
    for (let c = 0; c < 3; c++) {
      const at = (i: number) => src[base + Math.min(Math.max(i, 0), length - 1) * step + c]!;
      let sum = 0;
      for (let i = -radius; i <= radius; i++) sum += at(i);
      for (let i = 0; i < length; i++) {
        dst[base + i * step + c] = sum * norm;
        sum += at(i + radius + 1) - at(i - radius);
      }
    }
  }
}

/** Blurs the patch in place with three box passes per axis. */
export function blurPatch(patch: RgbPatch, radius: number): void {
  const r = Math.max(0, Math.round(radius));
  if (r === 0 || patch.width === 0 || patch.height === 0) return;
  const tmp = new Float32Array(patch.data.length);
  for (let pass = 0; pass < 3; pass++) {
    boxPass(patch.data, tmp, patch.width, patch.height, r, true);
    boxPass(tmp, patch.data, patch.width, patch.height, r, false);
  }
}

/**
 * The blurred colours of a rectangle of the frame: the rectangle is read with a margin of
 * three radii (the reach of three passes) so its border blends with real surroundings.
 */
export function blurredRegion(frame: Frame, x: number, y: number, width: number, height: number, radius: number): RgbPatch {
  const margin = 3 * Math.max(0, Math.round(radius));
  const patch = readPatch(frame, x - margin, y - margin, width + 2 * margin, height + 2 * margin);
  blurPatch(patch, radius);
  return patch;
}
