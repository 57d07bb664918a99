/**
 * How an image side is cut into model windows. Each window is `tile` long (the whole side
 * when it is shorter), so every window of an image has one shape and they batch together.
 * Each window contributes only its core, which lies at least `overlap` pixels from any
 * window edge that is not an image edge: with an overlap at least the model's receptive
 * radius, the seams are invisible (the cores equal a whole-image run).
 */
export interface TileSpan {
  /** Window [start, start + length) fed to the model. */
  windowStart: number;
  windowLength: number;
  /** Core [coreStart, coreEnd) this window writes to the output. */
  coreStart: number;
  coreEnd: number;
}

/** Windows covering [0, length), in order; their cores partition it. */
export function tileSpans(length: number, tile: number, overlap: number): TileSpan[] {
  if (!(tile > 2 * overlap)) throw new Error(`a tile of ${tile} leaves no core with an overlap of ${overlap} on each side`);
  if (length <= tile) return [{ windowStart: 0, windowLength: length, coreStart: 0, coreEnd: length }];
  const step = tile - 2 * overlap;
  const spans: TileSpan[] = [];
  for (let coreStart = 0; coreStart < length; coreStart += step) {
    const coreEnd = Math.min(coreStart + step, length);
    const windowStart = Math.min(Math.max(coreStart - overlap, 0), length - tile);
    spans.push({ windowStart, windowLength: tile, coreStart, coreEnd });
  }
  return spans;
}
