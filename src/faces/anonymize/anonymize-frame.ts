/**
 * Anonymizing the faces of one frame: for each face, compute its region's coverage, the
 * replacement colours (blur, pixelate or fill) over that region, and blend them in by the
 * coverage. The result is a new frame: the input is only read, and every pixel whose
 * coverage is 0 keeps its exact value.
 *
 * @example
 * ```ts
 * const out = anonymizeFrame(frame, faces, { mode: 'blur', strength: 0.5, padding: 0.1, shape: 'ellipse', feather: 0.3 });
 * ```
 */
import type { Face, Frame } from '../../model/port-values.js';
import { blurredRegion, type RgbPatch } from './box-blur.js';
import { regionMask, type RegionOptions } from './face-region.js';
import { filledRegion, pixelatedRegion } from './pixelate.js';

export type AnonymizeMode = 'blur' | 'pixelate' | 'fill';

export interface AnonymizeOptions extends RegionOptions {
  mode: AnonymizeMode;
  /** Blur: radius as a fraction of the region's shorter side (0.5 -> radius = 12.5% of it). */
  strength?: number;
  /** Pixelate: block size in frame pixels. */
  blockSize?: number;
  /** Fill: the colour, RGB 0..255. */
  color?: readonly [number, number, number];
}

/** The blur radius in pixels for a region: strength x a quarter of its shorter side, at least 1. */
export function blurRadius(strength: number, width: number, height: number): number {
  return Math.max(1, Math.round(strength * 0.25 * Math.min(width, height)));
}

function replacement(frame: Frame, x: number, y: number, width: number, height: number, options: AnonymizeOptions): RgbPatch {
  switch (options.mode) {
    case 'blur':
      return blurredRegion(frame, x, y, width, height, blurRadius(options.strength ?? 0.5, width, height));
    case 'pixelate':
      return pixelatedRegion(frame, x, y, width, height, options.blockSize ?? 12);
    case 'fill':
      return filledRegion(x, y, width, height, options.color ?? [0, 0, 0]);
  }
}

/** A new frame with every face anonymized; `frame` is not changed. */
export function anonymizeFrame(frame: Frame, faces: readonly Face[], options: AnonymizeOptions): Frame {
  const out: Frame = { width: frame.width, height: frame.height, data: new Uint8Array(frame.data) };
  for (const face of faces) {
    const mask = regionMask(face, frame.width, frame.height, options);
    if (!mask) continue;
    // Read from `out`: overlapping faces anonymize what the previous ones left.
    const patch = replacement(out, mask.x, mask.y, mask.width, mask.height, options);
    for (let row = 0; row < mask.height; row++) {
      for (let col = 0; col < mask.width; col++) {
        const a = mask.alpha[row * mask.width + col]!;
        if (a === 0) continue;
        const o = ((mask.y + row) * frame.width + mask.x + col) * 3;
        const p = ((mask.y + row - patch.y) * patch.width + mask.x + col - patch.x) * 3;
        for (let c = 0; c < 3; c++) {
          const v = out.data[o + c]!;
          // Rounds half up: the value is never negative, and a Uint8Array store truncates.
          out.data[o + c] = v + (patch.data[p + c]! - v) * a + 0.5;
        }
      }
    }
  }
  return out;
}
