/** BlazeFace (short and full range) as a detector family: its own centred letterbox and SSD decoding, never on a canvas. */
import { openModel } from '../../runtime/model-session.js';
import type { DetectorFamily, DetectorModelInfo } from '../detect/face-detector.js';
import { detectBlazeFace, openBlazeFace } from './blazeface.js';
import type { BlazeFaceVariant } from './config.js';

const variantOf = (info: DetectorModelInfo): BlazeFaceVariant => (info.modelId === 'blazeface_full' ? 'full' : 'short');

export const blazefaceFamily: DetectorFamily = {
  open: (info, { modelPath, ...options }) => (modelPath ? openModel(modelPath, options) : openBlazeFace(variantOf(info), options)),
  detect: (session, info, frames, settings) =>
    detectBlazeFace(session, frames, { variant: variantOf(info), scoreThreshold: settings.scoreThreshold, nmsIou: settings.nmsIou, maxFaces: settings.maxFaces }),
};
