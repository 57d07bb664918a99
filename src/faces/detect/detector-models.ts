/**
 * The face detectors the Detector node offers: which manifest model each one runs, where
 * the file comes from (shipped in the repository, prepared from an npm package, or pulled
 * from the network), how its input is fed and its defaults.
 */

export const DETECTOR_MODELS = ['yunet', 'blazeface_short', 'blazeface_full', 'retinaface', 'scrfd_2.5g', 'yoloface_8n'] as const;
export type DetectorModel = (typeof DETECTOR_MODELS)[number];

export type DetectorFamily = 'yunet' | 'blazeface' | 'retinaface' | 'scrfd' | 'yoloface';

/** How frame pixels (0..255) become the model's input: planes in `order`, value = (p - mean) * scale. */
export interface InputNormalization {
  order: 'rgb' | 'bgr';
  /** Per plane, in the model's plane order. */
  mean: readonly [number, number, number];
  scale: number;
}

export interface DetectorModelInfo {
  id: DetectorModel;
  family: DetectorFamily;
  /** The manifest id of its file. */
  modelId: string;
  /** shipped: in the repository; prepared: converted from an npm package on first use; pulled: `framefuse models pull`. */
  origin: 'shipped' | 'prepared' | 'pulled';
  scoreThreshold: number;
  nmsIou: number;
  /** Input normalization (the families with their own input code leave it out). */
  input?: InputNormalization;
}

export const DETECTORS: Record<DetectorModel, DetectorModelInfo> = {
  // 0.7: real faces in the project's photos and clip score 0.85-0.95, a robot's eye lights 0.63.
  yunet: { id: 'yunet', family: 'yunet', modelId: 'yunet_2023mar', origin: 'shipped', scoreThreshold: 0.7, nmsIou: 0.3 },
  blazeface_short: { id: 'blazeface_short', family: 'blazeface', modelId: 'blazeface_short', origin: 'prepared', scoreThreshold: 0.5, nmsIou: 0.3 },
  blazeface_full: { id: 'blazeface_full', family: 'blazeface', modelId: 'blazeface_full', origin: 'prepared', scoreThreshold: 0.6, nmsIou: 0.3 },
  retinaface: {
    id: 'retinaface',
    family: 'retinaface',
    modelId: 'retinaface_mnet025',
    origin: 'shipped',
    scoreThreshold: 0.7,
    nmsIou: 0.4,
    input: { order: 'bgr', mean: [104, 117, 123], scale: 1 },
  },
  'scrfd_2.5g': {
    id: 'scrfd_2.5g',
    family: 'scrfd',
    modelId: 'scrfd_2.5g',
    origin: 'pulled',
    scoreThreshold: 0.5,
    nmsIou: 0.4,
    input: { order: 'rgb', mean: [127.5, 127.5, 127.5], scale: 1 / 128 },
  },
  yoloface_8n: {
    id: 'yoloface_8n',
    family: 'yoloface',
    modelId: 'yoloface_8n',
    origin: 'pulled',
    scoreThreshold: 0.5,
    nmsIou: 0.4,
    input: { order: 'bgr', mean: [0, 0, 0], scale: 1 / 255 },
  },
};
