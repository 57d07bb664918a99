/**
 * Pixelation of a rectangle of an RGB24 frame: each block of `blockSize` x `blockSize`
 * pixels (anchored at the rectangle's top-left corner, the last ones cut by its edge)
 * takes the mean colour of its pixels.
 */
import type { Frame } from '../../model/port-values.js';
import type { RgbPatch } from './box-blur.js';

export function pixelatedRegion(frame: Frame, x: number, y: number, width: number, height: number, blockSize: number): RgbPatch {
  const size = Math.max(1, Math.round(blockSize));
  const data = new Float32Array(width * height * 3);
  for (let by = 0; by < height; by += size) {
    const bh = Math.min(size, height - by);
    for (let bx = 0; bx < width; bx += size) {
      const bw = Math.min(size, width - bx);
      const sum = [0, 0, 0];
      for (let row = by; row < by + bh; row++) {
        const from = ((y + row) * frame.width + x + bx) * 3;
        for (let i = 0; i < bw * 3; i++) sum[i % 3]! += frame.data[from + i]!;
      }
      const n = bw * bh;
      for (let row = by; row < by + bh; row++) {
        for (let col = bx; col < bx + bw; col++) {
          const o = (row * width + col) * 3;
          data[o] = sum[0]! / n;
          data[o + 1] = sum[1]! / n;
          data[o + 2] = sum[2]! / n;
        }
      }
    }
  }
  return { x, y, width, height, data };
}

/** A rectangle of one colour. */
export function filledRegion(x: number, y: number, width: number, height: number, rgb: readonly [number, number, number]): RgbPatch {
  const data = new Float32Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    data[i * 3] = rgb[0];
    data[i * 3 + 1] = rgb[1];
    data[i * 3 + 2] = rgb[2];
  }
  return { x, y, width, height, data };
}
