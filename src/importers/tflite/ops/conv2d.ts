/**
 * CONV_2D -> Conv. TFLite kernels are OHWI ([out, kh, kw, in]); ONNX wants OIHW.
 */
import { transposeValues } from '../tensor-data.js';
import { applyFusedActivation } from './fused-activation.js';
import { onnxPads } from './spatial-padding.js';
import { inputAt, optionsOf, outputAt } from './types.js';
import type { OpConverter } from './types.js';

export const convertConv2D: OpConverter = (ctx, op) => {
  const o = optionsOf(op, 'conv2d');
  const input = inputAt(op, 0);
  const kernel = ctx.requireConstant(op, inputAt(op, 1), 'kernel');
  const [outC = 0, kh = 1, kw = 1, inC = 0] = kernel.shape;
  const weight = ctx.graph.initializer(
    ctx.graph.uniqueName(`${ctx.tensorName(inputAt(op, 1))}_oihw`),
    transposeValues(kernel.values, kernel.shape, [0, 3, 1, 2]),
    [outC, inC, kh, kw],
  );
  const inputs = [ctx.valueIn(input, 'nchw'), weight];
  const biasIndex = op.inputs[2] ?? -1;
  if (biasIndex >= 0) inputs.push(ctx.constantIn(ctx.requireConstant(op, biasIndex, 'bias'), 'nhwc', 1, ctx.tensorName(biasIndex)));
  const out = outputAt(op);
  const conv = ctx.emit(
    'Conv',
    inputs,
    {
      kernel_shape: [kh, kw],
      strides: [o.strideH, o.strideW],
      dilations: [o.dilationH, o.dilationW],
      pads: onnxPads(o.padding, ctx.tensor(input).shape, [kh, kw], [o.strideH, o.strideW], [o.dilationH, o.dilationW]),
    },
    o.activation === 'NONE' ? ctx.tensorName(out) : `${ctx.tensorName(out)}_linear`,
  );
  ctx.define(out, applyFusedActivation(ctx, op, conv, o.activation, ctx.tensorName(out)), 'nchw');
};
