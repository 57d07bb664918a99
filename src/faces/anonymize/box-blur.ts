/**
 * Blur of a rectangle of an RGB24 frame: three passes of a separable box filter (close to
 * a Gaussian of sigma ~ radius), each a running sum, so the cost per pixel does not grow
 * with the radius. Only the rectangle and a margin around it (the filter's reach, clipped
 * to the frame) are read; edges clamp.
 *
 * A large radius runs on a reduced copy: the region is averaged down by a factor of about
 * radius / 4, blurred there with the radius scaled alike, and sampled back bilinearly. A
 * blur that wide keeps no detail the reduction could lose, and the work no longer grows
 * with the face's area: at 1080p, where a face is 300 pixels wide, full-size passes were
 * half of a per-frame anonymize run's time.
 */
import type { Frame } from '../../model/port-values.js';

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
    data.set(frame.data.subarray(from, from + w * 3), row * w * 3);
  }
  return { x: x0, y: y0, width: w, height: h, data };
}

/** One box pass along each row, window 2r+1, clamped edges. */
function horizontalPass(src: Float32Array, dst: Float32Array, width: number, height: number, radius: number): void {
  const norm = 1 / (2 * radius + 1);
  const last = width - 1;
  for (let row = 0; row < height; row++) {
    const base = row * width * 3;
    for (let c = 0; c < 3; c++) {
      const at = base + c;
      let sum = 0;
      for (let i = -radius; i <= radius; i++) sum += src[at + (i < 0 ? 0 : i > last ? last : i) * 3]!;
      for (let i = 0; i < width; i++) {
        dst[at + i * 3] = sum * norm;
        const add = i + radius + 1;
        const drop = i - radius;
        sum += src[at + (add > last ? last : add) * 3]! - src[at + (drop < 0 ? 0 : drop) * 3]!;
      }
    }
  }
}

/**
 * One box pass along each column, window 2r+1, clamped edges: a running sum per column,
 * all columns advanced a row at a time so memory is read in order.
 */
function verticalPass(src: Float32Array, dst: Float32Array, width: number, height: number, radius: number, sums: Float64Array): void {
  const norm = 1 / (2 * radius + 1);
  const stride = width * 3;
  const last = height - 1;
  sums.fill(0, 0, stride);
  for (let i = -radius; i <= radius; i++) {
    const row = (i < 0 ? 0 : i > last ? last : i) * stride;
    for (let k = 0; k < stride; k++) sums[k] = sums[k]! + src[row + k]!;
  }
  for (let i = 0; i < height; i++) {
    const out = i * stride;
    const add = i + radius + 1;
    const drop = i - radius;
    const addRow = (add > last ? last : add) * stride;
    const dropRow = (drop < 0 ? 0 : drop) * stride;
    for (let k = 0; k < stride; k++) {
      dst[out + k] = sums[k]! * norm;
      sums[k] = sums[k]! + (src[addRow + k]! - src[dropRow + k]!);
    }
  }
}

/** Blurs the patch in place with three box passes per axis. */
export function blurPatch(patch: RgbPatch, radius: number): void {
  const r = Math.max(0, Math.round(radius));
  if (r === 0 || patch.width === 0 || patch.height === 0) return;
  const tmp = new Float32Array(patch.data.length);
  const sums = new Float64Array(patch.width * 3);
  for (let pass = 0; pass < 3; pass++) {
    horizontalPass(patch.data, tmp, patch.width, patch.height, r);
    verticalPass(tmp, patch.data, patch.width, patch.height, r, sums);
  }
}

/** The reduction factor for a blur radius: 1 (full size) up to radius 7, then about radius / 4. */
export function blurReduction(radius: number): number {
  return radius < 8 ? 1 : Math.min(32, Math.floor(radius / 4));
}

/** The patch averaged down by `factor`: each pixel the mean of its factor x factor block (clipped at the edges). */
function reduce(patch: RgbPatch, factor: number): RgbPatch {
  const width = Math.ceil(patch.width / factor);
  const height = Math.ceil(patch.height / factor);
  const data = new Float32Array(width * height * 3);
  const src = patch.data;
  for (let row = 0; row < patch.height; row++) {
    const out = Math.floor(row / factor) * width * 3;
    let from = row * patch.width * 3;
    // Whole blocks of `factor` columns, then the clipped last one.
    for (let cell = 0, col = 0; col < patch.width; cell++) {
      const end = Math.min(col + factor, patch.width);
      let r = 0;
      let g = 0;
      let b = 0;
      for (; col < end; col++, from += 3) {
        r += src[from]!;
        g += src[from + 1]!;
        b += src[from + 2]!;
      }
      const at = out + cell * 3;
      data[at] = data[at]! + r;
      data[at + 1] = data[at + 1]! + g;
      data[at + 2] = data[at + 2]! + b;
    }
  }
  for (let cell = 0; cell < width * height; cell++) {
    const cols = Math.min(factor, patch.width - (cell % width) * factor);
    const rows = Math.min(factor, patch.height - Math.floor(cell / width) * factor);
    const inv = 1 / (cols * rows);
    data[cell * 3] = data[cell * 3]! * inv;
    data[cell * 3 + 1] = data[cell * 3 + 1]! * inv;
    data[cell * 3 + 2] = data[cell * 3 + 2]! * inv;
  }
  return { x: patch.x, y: patch.y, width, height, data };
}

/**
 * The colours of `small` (a reduction by `factor` of a patch at `small.x`, `small.y`)
 * sampled bilinearly at the pixel centres of the frame rectangle x, y, width, height.
 */
function enlarge(small: RgbPatch, factor: number, x: number, y: number, width: number, height: number): RgbPatch {
  const data = new Float32Array(width * height * 3);
  const cols = new Int32Array(width * 2);
  const wx = new Float32Array(width);
  for (let col = 0; col < width; col++) {
    // The cell whose centre is at or left of this pixel's centre, in the reduced grid.
    const u = Math.min(Math.max((x + col + 0.5 - small.x) / factor - 0.5, 0), small.width - 1);
    const left = Math.floor(u);
    cols[col * 2] = left * 3;
    cols[col * 2 + 1] = Math.min(left + 1, small.width - 1) * 3;
    wx[col] = u - left;
  }
  // Each reduced row sampled at the output's columns once: every output row then blends two.
  const line = width * 3;
  const across = new Float32Array(small.height * line);
  for (let k = 0; k < small.height; k++) {
    const row = k * small.width * 3;
    for (let col = 0; col < width; col++) {
      const a = row + cols[col * 2]!;
      const b = row + cols[col * 2 + 1]!;
      const u = wx[col]!;
      const out = k * line + col * 3;
      across[out] = small.data[a]! + (small.data[b]! - small.data[a]!) * u;
      across[out + 1] = small.data[a + 1]! + (small.data[b + 1]! - small.data[a + 1]!) * u;
      across[out + 2] = small.data[a + 2]! + (small.data[b + 2]! - small.data[a + 2]!) * u;
    }
  }
  for (let row = 0; row < height; row++) {
    const v = Math.min(Math.max((y + row + 0.5 - small.y) / factor - 0.5, 0), small.height - 1);
    const top = Math.floor(v);
    const wy = v - top;
    const upper = top * line;
    const lower = Math.min(top + 1, small.height - 1) * line;
    const out = row * line;
    for (let i = 0; i < line; i++) data[out + i] = across[upper + i]! + (across[lower + i]! - across[upper + i]!) * wy;
  }
  return { x, y, width, height, data };
}

/**
 * The blurred colours of a rectangle of the frame (clipped to it): read with a margin of
 * three radii (the reach of three passes) so its border blends with real surroundings.
 * The patch returned covers at least the rectangle.
 */
export function blurredRegion(frame: Frame, x: number, y: number, width: number, height: number, radius: number): RgbPatch {
  const r = Math.max(0, Math.round(radius));
  const margin = 3 * r;
  const patch = readPatch(frame, x - margin, y - margin, width + 2 * margin, height + 2 * margin);
  const factor = blurReduction(r);
  if (factor === 1) {
    blurPatch(patch, r);
    return patch;
  }
  const small = reduce(patch, factor);
  blurPatch(small, r / factor);
  const x0 = Math.max(0, x);
  const y0 = Math.max(0, y);
  return enlarge(small, factor, x0, y0, Math.max(0, Math.min(frame.width, x + width) - x0), Math.max(0, Math.min(frame.height, y + height) - y0));
}
