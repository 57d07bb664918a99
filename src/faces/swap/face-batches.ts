/**
 * Face crops from every frame of a batch, cut into model batches. A frame with three faces
 * and one with none still fill one batch; each chunk is padded up to a size of a small
 * fixed set, because every new input shape costs the CUDA and TensorRT providers a
 * re-plan (the padding items are zeros and their results are dropped).
 */
import type { Face } from '../../model/port-values.js';
import { LARGEST_BATCH, paddedBatchSize } from '../../plan/batch-sizes.js';

/** One face of one frame of the batch. */
export interface FaceJob {
  /** Index of the frame in the batch. */
  frame: number;
  face: Face;
}

/** Every face of every frame, in frame order. */
export function faceJobs(facesPerFrame: readonly (readonly Face[] | undefined)[]): FaceJob[] {
  return facesPerFrame.flatMap((faces, frame) => (faces ?? []).map((face) => ({ frame, face })));
}


/**
 * Jobs in chunks the model takes: `fixed` items each for a model with a fixed batch (the
 * last chunk padded to it), else at most 32, padded to a size of the set.
 */
export function faceChunks<T>(jobs: readonly T[], fixed: number | null): { jobs: T[]; size: number }[] {
  const limit = fixed ?? LARGEST_BATCH;
  const chunks: { jobs: T[]; size: number }[] = [];
  for (let start = 0; start < jobs.length; start += limit) {
    const part = jobs.slice(start, start + limit);
    chunks.push({ jobs: part, size: fixed ?? paddedBatchSize(part.length) });
  }
  return chunks;
}
