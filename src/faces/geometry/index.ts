/** Face geometry: templates, alignment, letterboxes, warps into crops and model tensors, normalization, masks, paste-back. */
export { FACE_TEMPLATES, TEMPLATE_NAMES, templatePoints, type TemplateName } from './templates.js';
export { applyAffine, invertAffine, composeAffine, affineScale, IDENTITY, type Affine } from './affine.js';
export { fitSimilarity, alignmentFor } from './similarity.js';
export { warpToCrop, warpToTensor, tensorToCrop } from './warp.js';
export { warpAffineRgb } from './resample-nhwc.js';
export { letterboxFor, canvasToFrame, canvasToFrameAffine, type Letterbox, type LetterboxPlacement } from './letterbox.js';
export { writeLetterboxBgr } from './letterbox-planes.js';
export { normalizationOf, scaleBias, uniformScale, planeOfChannel, valueRange, UNIT_RANGE, type PixelNormalization, type Triple } from './normalization.js';
export { boxMask, gaussianBlur, gaussianKernel, type BoxMaskOptions } from './mask.js';
export { pasteBack, cropRegion, type FrameBuffer } from './paste.js';
