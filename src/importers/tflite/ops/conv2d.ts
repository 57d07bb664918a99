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
  const kernel = ctx.requireConstant(op, inputAt(op, 1), 'kernel');
  const [outC = 0, kh = 1, kw = 1, inC = 0] = kernel.shape;
  const weight = ctx.graph.initializer(
    ctx.graph.uniqueName(`${ctx.tensorName(inputAt(op, 1))}_oihw`),
    transposeValues(kernel.values, kernel.shape, [0, 3, 1, 2]),
    [outC, inC, kh, kw],
  );
  emitConv(ctx, op, weight, o, [kh, kw]);
};

/** The options a TFLite convolution carries for its ONNX Conv. */
export interface ConvSettings {
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  padding: Parameters<typeof onnxPads>[0];
  activation: Parameters<typeof applyFusedActivation>[3];
}

/**
 * The ONNX Conv of a TFLite convolution whose weight is already OIHW: its input in NCHW,
 * the optional bias, TFLite's padding as explicit pads, `group` (depthwise: the input
 * channels), then the fused activation. CONV_2D and DEPTHWISE_CONV_2D share it.
 */
export function emitConv(ctx: Parameters<OpConverter>[0], op: Parameters<OpConverter>[1], weight: string, o: ConvSettings, kernel: [number, number], group?: number): void {
  const input = inputAt(op, 0);
  const inputs = [ctx.valueIn(input, 'nchw'), weight];
  const biasIndex = op.inputs[2] ?? -1;
  if (biasIndex >= 0) inputs.push(ctx.constantIn(ctx.requireConstant(op, biasIndex, 'bias'), 'nhwc', 1, ctx.tensorName(biasIndex)));
  const out = outputAt(op);
  const conv = ctx.emit(
    'Conv',
    inputs,
    {
      ...(group === undefined ? {} : { group }),
      kernel_shape: kernel,
      strides: [o.strideH, o.strideW],
      dilations: [o.dilationH, o.dilationW],
      pads: onnxPads(o.padding, ctx.tensor(input).shape, kernel, [o.strideH, o.strideW], [o.dilationH, o.dilationW]),
    },
    o.activation === 'NONE' ? ctx.tensorName(out) : `${ctx.tensorName(out)}_linear`,
  );
  ctx.define(out, applyFusedActivation(ctx, op, conv, o.activation, ctx.tensorName(out)), 'nchw');
}
