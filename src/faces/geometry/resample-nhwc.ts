/**
 * Affine resampling of an RGB24 frame into a float NHWC tensor: what both BlazeFace
 * (letterbox) and FaceMesh (rotated face crop) feed their models. The map goes from
 * output pixel to frame pixel, so any scale, shift and rotation is one code path. When the
 * map shrinks the frame by more than 1.5x, each output pixel averages a grid of bilinear
 * samples (up to 4 x 4) so small faces in large frames are not aliased away.
 */
import type { Frame } from '../../model/port-values.js';
import type { Affine } from './affine.js';
import { planeOfChannel, scaleBias, type PixelNormalization } from './normalization.js';

/**
 * Writes `width x height x 3` floats at `target[offset...]`, channels in `norm`'s order and
 * normalized. `map` takes output pixels to frame pixels (pixel-centre convention). Points
 * outside the frame read as black (0) before the normalization applies, as MediaPipe's
 * zero border does.
 */
export function warpAffineRgb(frame: Frame, map: Affine, width: number, height: number, norm: PixelNormalization, target: Float32Array, offset: number): void {
  const [a, b, c, d, e, f] = map;
  const { scale, bias } = scaleBias(norm);
  const [p0, p1, p2] = planeOfChannel(norm);
  const shrink = Math.max(Math.hypot(a, d), Math.hypot(b, e));
  const n = shrink > 1.5 ? Math.min(4, Math.ceil(shrink)) : 1;
  const { width: fw, height: fh, data } = frame;
  const acc = [0, 0, 0];
  const sample = (sx: number, sy: number) => {
    // Pixel centres sit at integer + 0.5: shift to sample-index space.
    const x = sx - 0.5;
    const y = sy - 0.5;
    const x0 = Math.floor(x);
    const y0 = Math.floor(y);
    const tx = x - x0;
    const ty = y - y0;
    for (let dy = 0; dy <= 1; dy++) {
      const yy = y0 + dy;
      const wy = dy === 0 ? 1 - ty : ty;
      if (yy < 0 || yy >= fh || wy === 0) continue;
      for (let dx = 0; dx <= 1; dx++) {
        const xx = x0 + dx;
        const w = wy * (dx === 0 ? 1 - tx : tx);
        if (xx < 0 || xx >= fw || w === 0) continue;
        const p = (yy * fw + xx) * 3;
        acc[0] = (acc[0] ?? 0) + w * (data[p] ?? 0);
        acc[1] = (acc[1] ?? 0) + w * (data[p + 1] ?? 0);
        acc[2] = (acc[2] ?? 0) + w * (data[p + 2] ?? 0);
      }
    }
  };
  const inv = 1 / (n * n);
  let o = offset;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      acc[0] = acc[1] = acc[2] = 0;
      for (let j = 0; j < n; j++) {
        const py = y + (j + 0.5) / n;
        for (let i = 0; i < n; i++) {
          const px = x + (i + 0.5) / n;
          sample(a * px + b * py + c, d * px + e * py + f);
        }
      }
      target[o + p0] = (acc[0] ?? 0) * inv * scale[p0] + bias[p0];
      target[o + p1] = (acc[1] ?? 0) * inv * scale[p1] + bias[p1];
      target[o + p2] = (acc[2] ?? 0) * inv * scale[p2] + bias[p2];
      o += 3;
    }
  }
}
