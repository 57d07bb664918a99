/**
 * FaceMesh's topology as far as alignment needs it: the indices of the eye corners, nose
 * tip and mouth corners among the 468 points (subject's right = image left on a frontal
 * face), and the five alignment points derived from them.
 */
import type { Point } from '../../model/port-values.js';

export const FACEMESH_POINTS = 468;

export const FACEMESH_INDEX = {
  rightEyeOuter: 33,
  rightEyeInner: 133,
  leftEyeInner: 362,
  leftEyeOuter: 263,
  noseTip: 1,
  rightMouthCorner: 61,
  leftMouthCorner: 291,
} as const;

/** Five points in framefuse's order: right eye, left eye (corner midpoints), nose tip, right and left mouth corners. */
export function fivePointsFromMesh(mesh: readonly Point[]): Point[] {
  const at = (i: number): Point => mesh[i] ?? { x: 0, y: 0 };
  const mid = (a: number, b: number): Point => ({ x: (at(a).x + at(b).x) / 2, y: (at(a).y + at(b).y) / 2 });
  const i = FACEMESH_INDEX;
  return [mid(i.rightEyeOuter, i.rightEyeInner), mid(i.leftEyeInner, i.leftEyeOuter), at(i.noseTip), at(i.rightMouthCorner), at(i.leftMouthCorner)];
}
