/**
 * The similarity transform (4 degrees of freedom: rotation, uniform scale, translation)
 * that maps `src` points onto `dst` points with the least squared error. Closed form on
 * centred coordinates: with q = M p, a = s cos(t), b = s sin(t),
 *   a = sum(px qx + py qy) / sum(|p|^2),   b = sum(px qy - py qx) / sum(|p|^2).
 */
import type { Point } from '../../model/port-values.js';
import type { Affine } from './affine.js';
import { templatePoints, type TemplateName } from './templates.js';

export function fitSimilarity(src: readonly Point[], dst: readonly Point[]): Affine {
  if (src.length !== dst.length || src.length < 2) throw new RangeError(`need two or more point pairs, got ${src.length} and ${dst.length}`);
  const n = src.length;
  const mean = (ps: readonly Point[]) => ({ x: ps.reduce((s, p) => s + p.x, 0) / n, y: ps.reduce((s, p) => s + p.y, 0) / n });
  const ms = mean(src);
  const md = mean(dst);
  let num = 0;
  let cross = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const px = src[i]!.x - ms.x;
    const py = src[i]!.y - ms.y;
    const qx = dst[i]!.x - md.x;
    const qy = dst[i]!.y - md.y;
    num += px * qx + py * qy;
    cross += px * qy - py * qx;
    norm += px * px + py * py;
  }
  if (norm < 1e-12) throw new RangeError('the source points coincide: no transform fits them');
  const a = num / norm;
  const b = cross / norm;
  return [a, -b, md.x - (a * ms.x - b * ms.y), b, a, md.y - (b * ms.x + a * ms.y)];
}

/** The transform from frame pixels to a `size` crop aligned to `template`, fitted on five landmarks. */
export function alignmentFor(landmarks: readonly Point[], template: TemplateName, size: number): Affine {
  return fitSimilarity(landmarks, templatePoints(template, size));
}
