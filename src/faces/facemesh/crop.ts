/**
 * The face crop FaceMesh reads, as MediaPipe builds it from a detection
 * (FaceDetectionFrontDetectionToRoi): centred on the face box, a square 1.5x the box's
 * longer side, rotated so the line from the right eye to the left eye is horizontal.
 */
import type { Face, Point } from '../../model/port-values.js';
import type { Affine } from '../geometry/index.js';

export const FACEMESH_INPUT = 192;
/** MediaPipe's RectTransformation scale for the landmark ROI. */
export const FACEMESH_CROP_SCALE = 1.5;

/** A rotated square in the frame: centre, side and angle (radians; positive turns x towards y). */
export interface FaceCrop {
  center: Point;
  size: number;
  angle: number;
}

/** The crop for a face: its box and, from its first two landmarks, the eye line's angle. */
export function faceCrop(face: Pick<Face, 'box' | 'landmarks'>, scale = FACEMESH_CROP_SCALE): FaceCrop {
  const { x1, y1, x2, y2 } = face.box;
  const rightEye = face.landmarks[0];
  const leftEye = face.landmarks[1];
  const angle = rightEye && leftEye ? Math.atan2(leftEye.y - rightEye.y, leftEye.x - rightEye.x) : 0;
  return { center: { x: (x1 + x2) / 2, y: (y1 + y2) / 2 }, size: Math.max(x2 - x1, y2 - y1) * scale, angle };
}

/** Map from crop pixels (0..inputSize) to frame pixels. */
export function cropToFrame(crop: FaceCrop, inputSize = FACEMESH_INPUT): Affine {
  const s = crop.size / inputSize;
  const cos = Math.cos(crop.angle) * s;
  const sin = Math.sin(crop.angle) * s;
  const half = inputSize / 2;
  return [cos, -sin, crop.center.x - cos * half + sin * half, sin, cos, crop.center.y - sin * half - cos * half];
}
