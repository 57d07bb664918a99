/**
 * Decoding BlazeFace's raw outputs for one image, as MediaPipe's
 * TensorsToDetectionsCalculator does: per anchor, 16 values (box centre x, y, width,
 * height, then 6 keypoints x, y) in input pixels relative to the anchor centre, and a score
 * logit (clipped, then sigmoid). Results are normalized to the model input ([0, 1]).
 */
import type { Anchor } from './anchors.js';
import type { ScoredBoxWithPoints } from '../detect/nms.js';

export const BLAZEFACE_KEYPOINTS = 6;
const VALUES_PER_ANCHOR = 4 + BLAZEFACE_KEYPOINTS * 2;

export interface DecodeSettings {
  decodeScale: number;
  scoreClip: number;
  scoreThreshold: number;
}

/**
 * Candidates above the threshold from one image's outputs.
 * @param regressors `anchors.length * 16` values starting at `offset * 16`
 * @param scores `anchors.length` logits starting at `offset`
 */
export function decodeBlazeFace(
  regressors: Float32Array,
  scores: Float32Array,
  anchors: readonly Anchor[],
  settings: DecodeSettings,
  imageIndex = 0,
): ScoredBoxWithPoints[] {
  const out: ScoredBoxWithPoints[] = [];
  const base = imageIndex * anchors.length;
  const s = settings.decodeScale;
  // Compare logits, not probabilities: the sigmoid is monotonic, and most anchors are far below.
  const logitThreshold = Math.log(settings.scoreThreshold / (1 - settings.scoreThreshold));
  for (let i = 0; i < anchors.length; i++) {
    const raw = Math.min(Math.max(scores[base + i] ?? -Infinity, -settings.scoreClip), settings.scoreClip);
    if (raw < logitThreshold) continue;
    const a = anchors[i] as Anchor;
    const r = (base + i) * VALUES_PER_ANCHOR;
    const v = (k: number) => regressors[r + k] ?? 0;
    const cx = (v(0) / s) * a.w + a.xCenter;
    const cy = (v(1) / s) * a.h + a.yCenter;
    const w = (v(2) / s) * a.w;
    const h = (v(3) / s) * a.h;
    const points = Array.from({ length: BLAZEFACE_KEYPOINTS }, (_, k) => ({
      x: (v(4 + k * 2) / s) * a.w + a.xCenter,
      y: (v(5 + k * 2) / s) * a.h + a.yCenter,
    }));
    out.push({ box: { x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2 }, score: 1 / (1 + Math.exp(-raw)), points });
  }
  return out;
}
