/**
 * DEPTHWISE_CONV_2D -> Conv with group = input channels. TFLite's kernel is
 * [1, kh, kw, in * multiplier], output channel c * multiplier + m reading input channel c;
 * ONNX's grouped Conv with weight [in * multiplier, 1, kh, kw] and group = in maps output
 * channel o to input channel floor(o / multiplier): the same order.
 */
import { transposeValues } from '../tensor-data.js';
import { emitConv } from './conv2d.js';
import { inputAt, optionsOf } from './types.js';
import type { OpConverter } from './types.js';

export const convertDepthwiseConv2D: OpConverter = (ctx, op) => {
  const o = optionsOf(op, 'depthwise');
  const input = inputAt(op, 0);
  const inC = ctx.tensor(input).shape[3] ?? 0;
  const kernel = ctx.requireConstant(op, inputAt(op, 1), 'kernel');
  const [, kh = 1, kw = 1, outC = 0] = kernel.shape;
  if (inC === 0 || outC % inC !== 0) throw ctx.unsupported(op, `has ${outC} output channels for ${inC} input channels`);
  const weight = ctx.graph.initializer(
    ctx.graph.uniqueName(`${ctx.tensorName(inputAt(op, 1))}_oihw`),
    transposeValues(kernel.values, kernel.shape, [3, 0, 1, 2]),
    [outC, 1, kh, kw],
  );
  emitConv(ctx, op, weight, o, [kh, kw], inC);
};
