/** The operators the converter knows, by TFLite name. Anything else is refused by name. */
import { convertAdd } from './add.js';
import { convertConcatenation } from './concatenation.js';
import { convertConv2D } from './conv2d.js';
import { convertDepthwiseConv2D } from './depthwise-conv2d.js';
import { convertDequantize } from './dequantize.js';
import { convertMaxPool2D } from './max-pool2d.js';
import { convertPad } from './pad.js';
import { convertPrelu } from './prelu.js';
import { convertRelu } from './relu.js';
import { convertReshape } from './reshape.js';
import { convertResizeBilinear } from './resize-bilinear.js';
import type { OpConverter } from './types.js';

export const OP_CONVERTERS: ReadonlyMap<string, OpConverter> = new Map([
  ['ADD', convertAdd],
  ['CONCATENATION', convertConcatenation],
  ['CONV_2D', convertConv2D],
  ['DEPTHWISE_CONV_2D', convertDepthwiseConv2D],
  ['DEQUANTIZE', convertDequantize],
  ['MAX_POOL_2D', convertMaxPool2D],
  ['PAD', convertPad],
  ['PRELU', convertPrelu],
  ['RELU', convertRelu],
  ['RESHAPE', convertReshape],
  ['RESIZE_BILINEAR', convertResizeBilinear],
]);
