/**
 * The box mask a pasted face is blended through (FaceFusion's): ones, with borders zeroed
 * to the larger of half the blur and the padding, then a Gaussian blur with
 * sigma = blur amount / 4, where blur amount = 0.5 * crop size * blur.
 */
export interface BoxMaskOptions {
  /** 0..1: how soft the edge is, as a fraction of half the crop. Default 0.3. */
  blur?: number;
  /** Extra margin per side in percent of the crop: top, right, bottom, left. Default 0. */
  padding?: readonly [number, number, number, number];
}

export function gaussianKernel(sigma: number): Float32Array {
  const radius = Math.max(1, Math.ceil(sigma * 4));
  const kernel = new Float32Array(radius * 2 + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const v = Math.exp(-(i * i) / (2 * sigma * sigma));
    kernel[i + radius] = v;
    sum += v;
  }
  for (let i = 0; i < kernel.length; i++) kernel[i]! /= sum;
  return kernel;
}

/** Separable Gaussian blur of a single-channel float image, border replicated. */
export function gaussianBlur(src: Float32Array, width: number, height: number, sigma: number): Float32Array {
  if (sigma <= 0) return src.slice();
  const kernel = gaussianKernel(sigma);
  const radius = (kernel.length - 1) / 2;
  const tmp = new Float32Array(src.length);
  const out = new Float32Array(src.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let k = -radius; k <= radius; k++) {
        const xx = Math.min(width - 1, Math.max(0, x + k));
        acc += src[y * width + xx]! * kernel[k + radius]!;
      }
      tmp[y * width + x] = acc;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let k = -radius; k <= radius; k++) {
        const yy = Math.min(height - 1, Math.max(0, y + k));
        acc += tmp[yy * width + x]! * kernel[k + radius]!;
      }
      out[y * width + x] = acc;
    }
  }
  return out;
}

export function boxMask(size: number, options: BoxMaskOptions = {}): Float32Array {
  const blur = options.blur ?? 0.3;
  const [top, right, bottom, left] = options.padding ?? [0, 0, 0, 0];
  const blurAmount = Math.floor(size * 0.5 * blur);
  const blurArea = Math.max(Math.floor(blurAmount / 2), 1);
  const edge = (percent: number) => Math.max(blurArea, Math.floor((size * percent) / 100));
  const [t, r, b, l] = [edge(top), edge(right), edge(bottom), edge(left)];
  const mask = new Float32Array(size * size);
  for (let y = t; y < size - b; y++) mask.fill(1, y * size + l, y * size + Math.max(l, size - r));
  return blurAmount > 0 ? gaussianBlur(mask, size, size, blurAmount * 0.25) : mask;
}
