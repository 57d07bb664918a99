/** Frame comparisons for the swap tests: differences inside and outside the faces' crop regions. */
import { alignmentFor, cropRegion } from '../../src/faces/geometry/index.js';
import type { Face, Frame } from '../../src/model/port-values.js';

/** 1 where a pixel lies in the ffhq_512 crop region of any face (the most a face chain may touch). */
export function faceRegionMask(frame: Frame, faces: readonly Face[]): Uint8Array {
  const mask = new Uint8Array(frame.width * frame.height);
  for (const face of faces) {
    const r = cropRegion(alignmentFor(face.landmarks, 'ffhq_512', 512), 512, frame.width, frame.height);
    for (let y = r.y0; y < r.y1; y++) mask.fill(1, y * frame.width + r.x0, y * frame.width + r.x1);
  }
  return mask;
}

export interface Difference {
  /** Largest channel difference, in levels. */
  max: number;
  /** Mean channel difference over the pixels considered. */
  mean: number;
  /** Pixels considered. */
  pixels: number;
}

/** Differences between two frames over the pixels where `where(i)` holds. */
export function difference(a: Frame, b: Frame, where: (pixel: number) => boolean = () => true): Difference {
  let max = 0;
  let sum = 0;
  let pixels = 0;
  for (let p = 0; p < a.width * a.height; p++) {
    if (!where(p)) continue;
    pixels++;
    for (let c = 0; c < 3; c++) {
      const d = Math.abs(a.data[p * 3 + c]! - b.data[p * 3 + c]!);
      sum += d;
      if (d > max) max = d;
    }
  }
  return { max, mean: pixels ? sum / (pixels * 3) : 0, pixels };
}

/** Pixels inside a face's detected box. */
export function inBox(frame: Frame, face: Face): (pixel: number) => boolean {
  return (p) => {
    const x = p % frame.width;
    const y = Math.floor(p / frame.width);
    return x >= face.box.x1 && x < face.box.x2 && y >= face.box.y1 && y < face.box.y2;
  };
}
