/**
 * Face selection, after detection and tracking: `many` keeps every face, `one` the largest
 * box, `reference` the faces whose identity embedding lies within a distance of the
 * reference face's (cosine distance, 1 - cos: 0 for the same direction, 2 for opposite).
 */
import type { Face } from '../../model/port-values.js';
import { boxArea } from './iou.js';
import { embeddingDistance } from '../embedding/embedding-distance.js';

export const FACE_SELECTORS = ['many', 'one', 'reference'] as const;
export type FaceSelector = (typeof FACE_SELECTORS)[number];

export interface SelectOptions {
  selector: FaceSelector;
  /** `reference`: the reference face's embedding. */
  reference?: Float32Array | null;
  /** `reference`: the largest distance kept (the Detector's `referenceDistance`). */
  maxDistance?: number;
}

export function selectFaces(faces: readonly Face[], options: SelectOptions): Face[] {
  switch (options.selector) {
    case 'many':
      return [...faces];
    case 'one': {
      let best: Face | undefined;
      for (const face of faces) if (!best || boxArea(face.box) > boxArea(best.box)) best = face;
      return best ? [best] : [];
    }
    case 'reference': {
      const reference = options.reference;
      if (!reference) throw new Error('the reference selector needs the reference face\'s embedding');
      const limit = options.maxDistance;
      if (limit === undefined) throw new Error('the reference selector needs the largest distance kept (maxDistance)');
      return faces.filter((f) => f.embedding !== undefined && embeddingDistance(f.embedding, reference) <= limit);
    }
  }
}
