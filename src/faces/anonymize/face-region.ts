/**
 * The part of a frame an anonymizer covers for one face: the face box grown by a padding,
 * and a coverage (alpha) per pixel of that rectangle, 1 inside the shape, falling to 0
 * across a feathered edge, 0 outside. Pixels with coverage 0 are never written, which is
 * what keeps the rest of the frame bit-exact.
 */
import type { Face } from '../../model/port-values.js';

export type RegionShape = 'ellipse' | 'box';

export interface RegionOptions {
  /** Growth of the box on each side, as a fraction of its width (x) and height (y). */
  padding: number;
  shape: RegionShape;
  /**
   * Width of the soft edge as a fraction of the shape's half-size (0 = hard edge, 1 = the
   * ramp reaches the centre).
   */
  feather: number;
}

/** A rectangle of the frame (whole pixels, clipped to the frame) and its coverage. */
export interface RegionMask {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Coverage 0..1 per pixel of the rectangle, row-major. */
  alpha: Float32Array;
}

/** The padded face box in frame pixels (fractional, not clipped). */
export function paddedBox(face: Pick<Face, 'box'>, padding: number): { x1: number; y1: number; x2: number; y2: number } {
  const { x1, y1, x2, y2 } = face.box;
  const px = (x2 - x1) * padding;
  const py = (y2 - y1) * padding;
  return { x1: x1 - px, y1: y1 - py, x2: x2 + px, y2: y2 + py };
}

/** The coverage of one face, or null when its region misses the frame or is empty. */
export function regionMask(face: Pick<Face, 'box'>, frameWidth: number, frameHeight: number, options: RegionOptions): RegionMask | null {
  const b = paddedBox(face, options.padding);
  if (!(b.x2 > b.x1 && b.y2 > b.y1)) return null;
  const x = Math.max(0, Math.floor(b.x1));
  const y = Math.max(0, Math.floor(b.y1));
  const right = Math.min(frameWidth, Math.ceil(b.x2));
  const bottom = Math.min(frameHeight, Math.ceil(b.y2));
  const width = right - x;
  const height = bottom - y;
  if (width <= 0 || height <= 0) return null;
  const alpha = new Float32Array(width * height);
  const cx = (b.x1 + b.x2) / 2;
  const cy = (b.y1 + b.y2) / 2;
  const hx = (b.x2 - b.x1) / 2;
  const hy = (b.y2 - b.y1) / 2;
  const feather = Math.min(Math.max(options.feather, 0), 1);
  for (let row = 0; row < height; row++) {
    // Pixel centres: a pixel belongs to the shape by where its centre lies.
    const dy = (y + row + 0.5 - cy) / hy;
    for (let col = 0; col < width; col++) {
      const dx = (x + col + 0.5 - cx) / hx;
      // Distance inward from the edge, in units of the half-size: 1 at the centre, 0 on the edge.
      const inside = options.shape === 'ellipse' ? 1 - Math.sqrt(dx * dx + dy * dy) : 1 - Math.max(Math.abs(dx), Math.abs(dy));
      let a: number;
      if (inside <= 0) a = 0;
      else if (feather === 0 || inside >= feather) a = 1;
      else a = inside / feather;
      alpha[row * width + col] = a;
    }
  }
  return { x, y, width, height, alpha };
}
