/**
 * Detection batches padded to a small fixed set of sizes: every new input shape costs the
 * CUDA and TensorRT providers a re-plan, so a partial batch of 5 frames runs as 8 (three
 * blank frames whose results are dropped) instead of creating a sixth shape.
 */
import type { Frame } from '../../model/port-values.js';
import { LARGEST_BATCH as LARGEST, paddedBatchSize } from '../../plan/batch-sizes.js';

export { paddedBatchSize };

/**
 * Runs `detect` on `frames` in chunks of at most 32, each padded with black frames of the
 * first frame's size to a size of the set; returns the results of the real frames only.
 */
export async function detectPadded<T>(frames: readonly Frame[], detect: (chunk: Frame[]) => Promise<T[]>): Promise<T[]> {
  const results: T[] = [];
  let blank: Frame | null = null;
  for (let start = 0; start < frames.length; start += LARGEST) {
    const chunk = frames.slice(start, start + LARGEST);
    const size = paddedBatchSize(chunk.length);
    const first = chunk[0]!;
    if (size > chunk.length) {
      if (!blank || blank.width !== first.width || blank.height !== first.height) {
        blank = { width: first.width, height: first.height, data: new Uint8Array(first.width * first.height * 3) };
      }
    }
    const padded = [...chunk];
    while (padded.length < size) padded.push(blank!);
    const out = await detect(padded);
    results.push(...out.slice(0, chunk.length));
  }
  return results;
}
