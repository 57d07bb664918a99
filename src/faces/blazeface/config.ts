/**
 * The two BlazeFace models' settings, from MediaPipe's face detection graphs
 * (face_detection_short_range.pbtxt, face_detection_full_range.pbtxt): input size,
 * anchors, box decoding scale and score threshold. The anchor counts (896 and 2304) are
 * checked against the models' outputs in the tests.
 */
import { generateSsdAnchors } from './anchors.js';
import type { Anchor, SsdAnchorOptions } from './anchors.js';

export type BlazeFaceVariant = 'short' | 'full';

export interface BlazeFaceConfig {
  variant: BlazeFaceVariant;
  /** Prepared model id (see src/importers/tflite/sources.ts). */
  modelId: 'blazeface_short' | 'blazeface_full';
  inputSize: number;
  anchors: SsdAnchorOptions;
  /** Regressed coordinates are in input pixels: divide by this to normalize. */
  decodeScale: number;
  /** MediaPipe's default minimum score. */
  scoreThreshold: number;
  /** Raw logits are clipped to +-this before the sigmoid. */
  scoreClip: number;
  /** MediaPipe's weighted-NMS overlap. */
  nmsIou: number;
}

const common = {
  minScale: 0.1484375,
  maxScale: 0.75,
  aspectRatios: [1],
  anchorOffsetX: 0.5,
  anchorOffsetY: 0.5,
  fixedAnchorSize: true,
};

export const BLAZEFACE_CONFIGS: Readonly<Record<BlazeFaceVariant, BlazeFaceConfig>> = {
  short: {
    variant: 'short',
    modelId: 'blazeface_short',
    inputSize: 128,
    anchors: { ...common, inputWidth: 128, inputHeight: 128, numLayers: 4, strides: [8, 16, 16, 16], interpolatedScaleAspectRatio: 1 },
    decodeScale: 128,
    scoreThreshold: 0.5,
    scoreClip: 100,
    nmsIou: 0.3,
  },
  full: {
    variant: 'full',
    modelId: 'blazeface_full',
    inputSize: 192,
    anchors: { ...common, inputWidth: 192, inputHeight: 192, numLayers: 1, strides: [4], interpolatedScaleAspectRatio: 0 },
    decodeScale: 192,
    scoreThreshold: 0.6,
    scoreClip: 100,
    nmsIou: 0.3,
  },
};

const anchorCache = new Map<BlazeFaceVariant, Anchor[]>();

/** The variant's anchors (generated once). */
export function blazeFaceAnchors(variant: BlazeFaceVariant): Anchor[] {
  let anchors = anchorCache.get(variant);
  if (!anchors) {
    anchors = generateSsdAnchors(BLAZEFACE_CONFIGS[variant].anchors);
    anchorCache.set(variant, anchors);
  }
  return anchors;
}
