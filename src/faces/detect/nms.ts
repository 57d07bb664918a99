/**
 * Non-maximum suppression over scored boxes. `nms` keeps the best box of each overlapping
 * group (what YuNet, SCRFD and most detectors use); `weightedNms` replaces each group by
 * its score-weighted average (MediaPipe's WEIGHTED algorithm for BlazeFace, which steadies
 * boxes and keypoints between frames).
 */
import { iou } from './iou.js';
import type { Box } from './iou.js';

export interface ScoredBox {
  box: Box;
  score: number;
}

/** A detection whose points are averaged along with its box by `weightedNms`. */
export interface ScoredBoxWithPoints extends ScoredBox {
  points: { x: number; y: number }[];
}

/** Greedy NMS: best first, dropping boxes with IoU above `iouThreshold` against a kept one. */
export function nms<T extends ScoredBox>(items: readonly T[], iouThreshold: number, maxKeep = Infinity): T[] {
  const sorted = [...items].sort((a, b) => b.score - a.score);
  const kept: T[] = [];
  for (const item of sorted) {
    if (kept.length >= maxKeep) break;
    if (kept.every((k) => iou(k.box, item.box) <= iouThreshold)) kept.push(item);
  }
  return kept;
}

/**
 * Weighted NMS as MediaPipe's NonMaxSuppressionCalculator does it: take the best remaining
 * detection, gather every remaining one overlapping it by more than `iouThreshold`
 * (itself included), and output the score-weighted mean of their boxes and points with
 * the best one's score.
 */
export function weightedNms<T extends ScoredBoxWithPoints>(items: readonly T[], iouThreshold: number, maxKeep = Infinity): T[] {
  let remaining = [...items].sort((a, b) => b.score - a.score);
  const out: T[] = [];
  while (remaining.length > 0 && out.length < maxKeep) {
    const best = remaining[0] as T;
    const cluster: T[] = [];
    const rest: T[] = [];
    for (const d of remaining) (iou(best.box, d.box) > iouThreshold ? cluster : rest).push(d);
    // The best box always overlaps itself, except when it is empty: keep it alone then.
    if (cluster.length === 0) cluster.push(best);
    remaining = rest.filter((d) => d !== best);
    // A lone detection is kept exactly as it is (no rounding from averaging one value).
    if (cluster.length === 1) {
      out.push(best);
      continue;
    }
    const total = cluster.reduce((s, d) => s + d.score, 0);
    const mean = (pick: (d: T) => number) => cluster.reduce((s, d) => s + pick(d) * d.score, 0) / total;
    out.push({
      ...best,
      box: { x1: mean((d) => d.box.x1), y1: mean((d) => d.box.y1), x2: mean((d) => d.box.x2), y2: mean((d) => d.box.y2) },
      points: best.points.map((_, i) => ({ x: mean((d) => d.points[i]?.x ?? 0), y: mean((d) => d.points[i]?.y ?? 0) })),
    });
  }
  return out;
}
