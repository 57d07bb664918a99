/**
 * Bilinear warps between a frame and a square face crop. `m` always maps frame pixels to
 * crop pixels; sampling walks the destination and looks up the source through the inverse,
 * clamping at the frame's border (border replicate, as FaceFusion's crops do).
 */
import type { Frame } from '../../model/port-values.js';
import { invertAffine, type Affine } from './affine.js';
import { planeOfChannel, scaleBias, UNIT_RANGE, type PixelNormalization } from './normalization.js';

function sampler(frame: Frame, m: Affine, size: number, write: (index: number, r: number, g: number, b: number) => void): void {
  const inv = invertAffine(m);
  const { width, height, data } = frame;
  const maxX = width - 1;
  const maxY = height - 1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let sx = inv[0] * x + inv[1] * y + inv[2];
      let sy = inv[3] * x + inv[4] * y + inv[5];
      sx = sx < 0 ? 0 : sx > maxX ? maxX : sx;
      sy = sy < 0 ? 0 : sy > maxY ? maxY : sy;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const x1 = x0 < maxX ? x0 + 1 : x0;
      const y1 = y0 < maxY ? y0 + 1 : y0;
      const fx = sx - x0;
      const fy = sy - y0;
      const i00 = (y0 * width + x0) * 3;
      const i01 = (y0 * width + x1) * 3;
      const i10 = (y1 * width + x0) * 3;
      const i11 = (y1 * width + x1) * 3;
      const w00 = (1 - fx) * (1 - fy);
      const w01 = fx * (1 - fy);
      const w10 = (1 - fx) * fy;
      const w11 = fx * fy;
      write(
        y * size + x,
        data[i00]! * w00 + data[i01]! * w01 + data[i10]! * w10 + data[i11]! * w11,
        data[i00 + 1]! * w00 + data[i01 + 1]! * w01 + data[i10 + 1]! * w10 + data[i11 + 1]! * w11,
        data[i00 + 2]! * w00 + data[i01 + 2]! * w01 + data[i10 + 2]! * w10 + data[i11 + 2]! * w11,
      );
    }
  }
}

/** The crop as RGB24, `size` x `size`. */
export function warpToCrop(frame: Frame, m: Affine, size: number): Uint8Array {
  const out = new Uint8Array(size * size * 3);
  sampler(frame, m, size, (i, r, g, b) => {
    out[i * 3] = r + 0.5;
    out[i * 3 + 1] = g + 0.5;
    out[i * 3 + 2] = b + 0.5;
  });
  return out;
}

/**
 * The crop written straight into a model's NCHW float input at `offset` (the start of this
 * item of the batch), normalized on the way: no intermediate RGB crop.
 */
export function warpToTensor(frame: Frame, m: Affine, size: number, out: Float32Array, offset: number, norm: PixelNormalization = UNIT_RANGE): void {
  const plane = size * size;
  const [c0, c1, c2] = planeOfChannel(norm);
  const { scale, bias } = scaleBias(norm);
  const [s0, s1, s2] = [scale[c0], scale[c1], scale[c2]];
  const [b0, b1, b2] = [bias[c0], bias[c1], bias[c2]];
  sampler(frame, m, size, (i, r, g, b) => {
    out[offset + c0 * plane + i] = r * s0 + b0;
    out[offset + c1 * plane + i] = g * s1 + b1;
    out[offset + c2 * plane + i] = b * s2 + b2;
  });
}

/** An NCHW float crop (item `item` of a batch) back to RGB24, undoing a normalization. */
export function tensorToCrop(tensor: Float32Array, item: number, size: number, norm: PixelNormalization = UNIT_RANGE): Uint8Array {
  const plane = size * size;
  const offset = item * 3 * plane;
  const out = new Uint8Array(plane * 3);
  const [c0, c1, c2] = planeOfChannel(norm);
  const { scale, bias } = scaleBias(norm);
  // A clamped view: model outputs can leave 0..255, and a plain Uint8Array would wrap them.
  const clamped = new Uint8ClampedArray(out.buffer);
  for (let i = 0; i < plane; i++) {
    clamped[i * 3] = (tensor[offset + c0 * plane + i]! - bias[c0]) / scale[c0];
    clamped[i * 3 + 1] = (tensor[offset + c1 * plane + i]! - bias[c1]) / scale[c1];
    clamped[i * 3 + 2] = (tensor[offset + c2 * plane + i]! - bias[c2]) / scale[c2];
  }
  return out;
}
