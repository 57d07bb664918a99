/**
 * How frame pixels (0..255, RGB) become a model's values and back: the planes in the
 * model's colour order, value = (pixel - mean) / std per plane. The one normalization
 * type of the face code; a model's own comes from models/manifest.json
 * (`normalizationOf(inputSpec(id))`), never written again in code.
 */
import type { TensorSpec } from '../../models/manifest.js';

export type Triple = readonly [number, number, number];

export interface PixelNormalization {
  /** The model's plane (or channel) order. */
  order: 'rgb' | 'bgr';
  /** Per plane, in the model's order. */
  mean: Triple;
  std: Triple;
}

/** value = pixel / 255: RGB in 0..1 (inswapper's target, Real-ESRGAN). */
export const UNIT_RANGE: PixelNormalization = { order: 'rgb', mean: [0, 0, 0], std: [255, 255, 255] };

const triple = (v: number | readonly number[]): Triple => (typeof v === 'number' ? [v, v, v] : [v[0]!, v[1]!, v[2]!]);

/** A manifest tensor's normalization: its colour order (RGB when unsaid) and mean/std (raw pixels when unsaid). */
export function normalizationOf(spec: Pick<TensorSpec, 'colorOrder' | 'normalization'>): PixelNormalization {
  return {
    order: spec.colorOrder === 'BGR' ? 'bgr' : 'rgb',
    mean: triple(spec.normalization?.mean ?? 0),
    std: triple(spec.normalization?.std ?? 1),
  };
}

/** The same normalization as value = pixel * scale + bias per plane (model order), what the pixel loops multiply by. */
export function scaleBias(norm: PixelNormalization): { scale: Triple; bias: Triple } {
  const [s0, s1, s2] = norm.std;
  const [m0, m1, m2] = norm.mean;
  return { scale: [1 / s0, 1 / s1, 1 / s2], bias: [-m0 / s0, -m1 / s1, -m2 / s2] };
}

/** The one scale (1 / std) when every plane has the same std, else null. */
export function uniformScale(norm: PixelNormalization): number | null {
  const [s0, s1, s2] = norm.std;
  return s0 === s1 && s1 === s2 ? 1 / s0 : null;
}

export type Plane = 0 | 1 | 2;

/** For each frame channel R, G, B: the model plane it goes to. */
export function planeOfChannel(norm: PixelNormalization): readonly [Plane, Plane, Plane] {
  return norm.order === 'bgr' ? [2, 1, 0] : [0, 1, 2];
}

/** The model values that pixels 0 and 255 become (first plane): [0, 1] for 0..1 models, [-1, 1] for ffhq_512 enhancers. */
export function valueRange(norm: PixelNormalization): readonly [number, number] {
  return [(0 - norm.mean[0]) / norm.std[0], (255 - norm.mean[0]) / norm.std[0]];
}
