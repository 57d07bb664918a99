/** Face geometry: templates, alignment, warps into crops and model tensors, masks, paste-back. */
export { FACE_TEMPLATES, TEMPLATE_NAMES, templatePoints, type TemplateName } from './templates.js';
export { applyAffine, invertAffine, composeAffine, affineScale, IDENTITY, type Affine } from './affine.js';
export { fitSimilarity, alignmentFor } from './similarity.js';
export { warpToCrop, warpToTensor, tensorToCrop, UNIT_RANGE, type TensorNormalization } from './warp.js';
export { boxMask, gaussianBlur, gaussianKernel, type BoxMaskOptions } from './mask.js';
export { pasteBack, cropRegion, type FrameBuffer } from './paste.js';
