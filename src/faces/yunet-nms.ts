/**
 * Greedy non-maximum suppression for YuNet's candidates (kept private to YuNet until the
 * shared src/faces/nms.ts lands; the two are meant to merge).
 */

/** An axis-aligned box in pixels. */
export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** Intersection over union of two boxes; 0 when either is empty. */
export function boxIou(a: Box, b: Box): number {
  const iw = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const ih = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Keeps the best-scoring boxes, dropping any box whose IoU with a kept one exceeds
 * `iouThreshold`, at most `maxKeep` of them. Returns the kept items, best first; ties
 * keep input order, so the result does not depend on the sort's stability.
 */
export function greedyNms<T extends { box: Box; score: number }>(items: readonly T[], iouThreshold: number, maxKeep = Infinity): T[] {
  const order = items.map((_, i) => i).sort((a, b) => items[b]!.score - items[a]!.score || a - b);
  const kept: T[] = [];
  for (const index of order) {
    if (kept.length >= maxKeep) break;
    const candidate = items[index]!;
    if (kept.every((k) => boxIou(k.box, candidate.box) <= iouThreshold)) kept.push(candidate);
  }
  return kept;
}
