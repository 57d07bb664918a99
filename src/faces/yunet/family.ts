/**
 * YuNet as a detector family: the shipped model opened for any batch and canvas size
 * (model.ts), detected on the shared canvas loop (yunet.ts). On the device, the letterbox
 * is linked in front of the free-size rewrite, as on the host.
 */
import type { DetectorFamily } from '../detect/face-detector.js';
import { freeSizeYunetFile } from './free-size.js';
import { openYunet } from './model.js';
import { detectFaces } from './yunet.js';

export const yunetFamily: DetectorFamily = {
  open: (_info, { modelPath, ...options }) => openYunet({ ...options, ...(modelPath ? { ref: modelPath } : {}) }),
  canvas: {
    // YuNet's shipped file is 640x640 only: its proven free-size rewrite first.
    deviceSource: async (file, cacheDir, log) => (await freeSizeYunetFile(file, cacheDir, log))?.path ?? file,
  },
  detect: (session, _info, frames, settings) =>
    detectFaces(session, frames, { scoreThreshold: settings.scoreThreshold, nmsIou: settings.nmsIou, maxFaces: settings.maxFaces, inputSize: settings.detectionSize }),
};
