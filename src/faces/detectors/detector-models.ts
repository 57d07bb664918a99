/**
 * The face detectors the Detector node offers: which manifest model each one runs, which
 * family runs it, where the file comes from (shipped in the repository, prepared from an
 * npm package, or pulled from the network) and its defaults. How a model's input is fed
 * (colour order, normalization) is the manifest's, read by the family.
 */
import type { DetectorModelInfo } from '../detect/face-detector.js';
import { BLAZEFACE_CONFIGS } from '../blazeface/config.js';
import { YUNET_DEFAULTS } from '../yunet/yunet.js';

export type { DetectorModelInfo, DetectorFamilyName } from '../detect/face-detector.js';

export const DETECTOR_MODELS = ['yunet', 'blazeface_short', 'blazeface_full', 'retinaface', 'scrfd_2.5g', 'yoloface_8n'] as const;
export type DetectorModel = (typeof DETECTOR_MODELS)[number];

const blazeface = (variant: 'short' | 'full'): DetectorModelInfo => {
  const c = BLAZEFACE_CONFIGS[variant];
  return { id: c.modelId, family: 'blazeface', modelId: c.modelId, origin: 'prepared', scoreThreshold: c.scoreThreshold, nmsIou: c.nmsIou };
};

export const DETECTORS: Record<DetectorModel, DetectorModelInfo & { id: DetectorModel }> = {
  yunet: { id: 'yunet', family: 'yunet', modelId: 'yunet_2023mar', origin: 'shipped', ...YUNET_DEFAULTS },
  blazeface_short: { ...blazeface('short'), id: 'blazeface_short' },
  blazeface_full: { ...blazeface('full'), id: 'blazeface_full' },
  retinaface: { id: 'retinaface', family: 'retinaface', modelId: 'retinaface_mnet025', origin: 'shipped', scoreThreshold: 0.7, nmsIou: 0.4 },
  'scrfd_2.5g': { id: 'scrfd_2.5g', family: 'scrfd', modelId: 'scrfd_2.5g', origin: 'pulled', scoreThreshold: 0.5, nmsIou: 0.4 },
  yoloface_8n: { id: 'yoloface_8n', family: 'yoloface', modelId: 'yoloface_8n', origin: 'pulled', scoreThreshold: 0.5, nmsIou: 0.4 },
};
