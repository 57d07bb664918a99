/**
 * A letterbox: a frame scaled onto a model's canvas with its aspect kept, the rest padded.
 * The one placement type of every detector: YuNet and the canvas families put the picture
 * at the top-left corner (the way back is a division), BlazeFace centres it (MediaPipe's
 * keep_aspect_ratio).
 */
import type { Point } from '../../model/port-values.js';
import type { Affine } from './affine.js';

export interface Letterbox {
  /** Canvas pixels per frame pixel (the same along both axes). */
  scale: number;
  /** Top-left corner of the picture on the canvas, in canvas pixels. */
  offsetX: number;
  offsetY: number;
  /** Size of the scaled picture on the canvas, whole pixels (the rest is padding). */
  width: number;
  height: number;
}

export type LetterboxPlacement = 'top-left' | 'centre';

/** The placement of a `frameWidth` x `frameHeight` frame on a `canvasWidth` x `canvasHeight` canvas. */
export function letterboxFor(frameWidth: number, frameHeight: number, canvasWidth: number, canvasHeight: number, placement: LetterboxPlacement = 'top-left'): Letterbox {
  const scale = Math.min(canvasWidth / frameWidth, canvasHeight / frameHeight);
  const centre = placement === 'centre';
  return {
    scale,
    offsetX: centre ? (canvasWidth - frameWidth * scale) / 2 : 0,
    offsetY: centre ? (canvasHeight - frameHeight * scale) / 2 : 0,
    width: Math.min(canvasWidth, Math.max(1, Math.round(frameWidth * scale))),
    height: Math.min(canvasHeight, Math.max(1, Math.round(frameHeight * scale))),
  };
}

/** A canvas point in frame pixels. */
export function canvasToFrame(box: Letterbox, p: Point): Point {
  return { x: (p.x - box.offsetX) / box.scale, y: (p.y - box.offsetY) / box.scale };
}

/** The map from canvas pixels to frame pixels, as an affine transform. */
export function canvasToFrameAffine(box: Letterbox): Affine {
  return [1 / box.scale, 0, -box.offsetX / box.scale, 0, 1 / box.scale, -box.offsetY / box.scale];
}
