/** The Keras layer classes the converter knows, by class name. Anything else is refused by name. */
import { convertActivation } from './activation.js';
import { convertAdd } from './add.js';
import { convertConcatenate } from './concatenate.js';
import { convertConv2D } from './conv2d.js';
import { convertUpSampling2D } from './upsampling2d.js';
import type { LayerConverter } from './layer-context.js';

export const LAYER_CONVERTERS: Readonly<Record<string, LayerConverter>> = {
  Conv2D: convertConv2D,
  Activation: convertActivation,
  Concatenate: convertConcatenate,
  Add: convertAdd,
  UpSampling2D: convertUpSampling2D,
};
