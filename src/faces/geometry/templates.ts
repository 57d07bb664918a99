/**
 * Five-point alignment templates, normalized to a unit crop (multiply by the crop size):
 * right eye, left eye, nose tip, right mouth corner, left mouth corner. A model trained on
 * crops aligned to a template must be fed crops aligned to the same one.
 */
import type { Point } from '../../model/port-values.js';

export const FACE_TEMPLATES = {
  arcface_112_v2: [
    [0.34191607, 0.46157411],
    [0.65653393, 0.45983393],
    [0.500225, 0.64050536],
    [0.37097589, 0.82469196],
    [0.63151696, 0.82325089],
  ],
  arcface_128: [
    [0.36167656, 0.40387734],
    [0.63696719, 0.40235469],
    [0.50019687, 0.56044219],
    [0.38710391, 0.72160547],
    [0.61507734, 0.72034453],
  ],
  ffhq_512: [
    [0.37691676, 0.46864664],
    [0.62285697, 0.46912813],
    [0.50123859, 0.61331904],
    [0.39308822, 0.725411],
    [0.61150205, 0.72490465],
  ],
} as const;

export type TemplateName = keyof typeof FACE_TEMPLATES;
export const TEMPLATE_NAMES = Object.keys(FACE_TEMPLATES) as TemplateName[];

/** The template's five points in pixels of a `size` x `size` crop. */
export function templatePoints(template: TemplateName, size: number): Point[] {
  return FACE_TEMPLATES[template].map(([x, y]) => ({ x: x * size, y: y * size }));
}
