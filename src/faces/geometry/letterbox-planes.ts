/**
 * A frame letterboxed at the canvas's top-left corner (see letterbox.ts), written as planar
 * BGR floats of raw pixel values 0..255, the rest left as padding: the canvas every canvas
 * detector starts from (YuNet takes it as it is; canvas-input.ts normalizes it for the
 * others).
 */
import type { Frame } from '../../model/port-values.js';
import type { Letterbox } from './letterbox.js';

/**
 * Writes `frame` letterboxed into `target` (planar BGR, `3 * canvasWidth * canvasHeight`
 * floats starting at `offset`) with bilinear sampling at pixel centres, as OpenCV's
 * INTER_LINEAR does. Padding is left as zeros, so `target` must arrive zeroed.
 */
export function writeLetterboxBgr(
  frame: Frame,
  box: Letterbox,
  target: Float32Array,
  offset: number,
  canvasWidth: number,
  canvasHeight: number,
): void {
  const { width: fw, height: fh, data } = frame;
  const plane = canvasWidth * canvasHeight;
  if (box.width === fw && box.height === fh) {
    // The frame fits the canvas as it is (640-wide video on a 640 canvas): bilinear sampling
    // at the pixel centres would return every pixel unchanged, so copy it.
    for (let y = 0; y < fh; y++) {
      const row = y * fw * 3;
      const out = offset + y * canvasWidth;
      for (let x = 0; x < fw; x++) {
        const i = row + x * 3;
        target[out + 2 * plane + x] = data[i]!;
        target[out + plane + x] = data[i + 1]!;
        target[out + x] = data[i + 2]!;
      }
    }
    return;
  }
  // The exact ratio per axis (not 1/scale): the scaled size was rounded to whole pixels.
  const sx = fw / box.width;
  const sy = fh / box.height;
  const x0 = new Int32Array(box.width);
  const x1 = new Int32Array(box.width);
  const wx = new Float32Array(box.width);
  for (let x = 0; x < box.width; x++) {
    const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), fw - 1);
    const left = Math.floor(fx);
    x0[x] = left * 3;
    x1[x] = Math.min(left + 1, fw - 1) * 3;
    wx[x] = fx - left;
  }
  // An odd whole ratio (1080p onto a 640 canvas: 3) puts every sample on a pixel centre:
  // the weights are all 0 and each output pixel is one input pixel.
  const onCentres = wx.every((w) => w === 0);
  for (let y = 0; y < box.height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), fh - 1);
    const top = Math.floor(fy);
    const wy = fy - top;
    const row0 = top * fw * 3;
    if (onCentres && wy === 0) {
      const out = offset + y * canvasWidth;
      for (let x = 0; x < box.width; x++) {
        const a = row0 + x0[x]!;
        target[out + 2 * plane + x] = data[a]!;
        target[out + plane + x] = data[a + 1]!;
        target[out + x] = data[a + 2]!;
      }
      continue;
    }
    const row1 = Math.min(top + 1, fh - 1) * fw * 3;
    const out = offset + y * canvasWidth;
    for (let x = 0; x < box.width; x++) {
      const a = row0 + x0[x]!;
      const b = row0 + x1[x]!;
      const c = row1 + x0[x]!;
      const d = row1 + x1[x]!;
      const u = wx[x]!;
      // RGB in, BGR planes out: channel 0 (R) goes to plane 2.
      const rTop = data[a]! + (data[b]! - data[a]!) * u;
      const rBottom = data[c]! + (data[d]! - data[c]!) * u;
      target[out + 2 * plane + x] = rTop + (rBottom - rTop) * wy;
      const gTop = data[a + 1]! + (data[b + 1]! - data[a + 1]!) * u;
      const gBottom = data[c + 1]! + (data[d + 1]! - data[c + 1]!) * u;
      target[out + plane + x] = gTop + (gBottom - gTop) * wy;
      const bTop = data[a + 2]! + (data[b + 2]! - data[a + 2]!) * u;
      const bBottom = data[c + 2]! + (data[d + 2]! - data[c + 2]!) * u;
      target[out + x] = bTop + (bBottom - bTop) * wy;
    }
  }
}
