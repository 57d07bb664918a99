/**
 * MAX_POOL_2D -> MaxPool. With SAME padding TFLite ignores the padded positions, as
 * ONNX's MaxPool does with explicit pads.
 */
import { applyFusedActivation } from './fused-activation.js';
import { onnxPads } from './spatial-padding.js';
import { inputAt, optionsOf, outputAt } from './types.js';
import type { OpConverter } from './types.js';

export const convertMaxPool2D: OpConverter = (ctx, op) => {
  const o = optionsOf(op, 'pool2d');
  const input = inputAt(op, 0);
  const out = outputAt(op);
  const pooled = ctx.emit(
    'MaxPool',
    [ctx.valueIn(input, 'nchw')],
    {
      kernel_shape: [o.filterH, o.filterW],
      strides: [o.strideH, o.strideW],
      pads: onnxPads(o.padding, ctx.tensor(input).shape, [o.filterH, o.filterW], [o.strideH, o.strideW]),
    },
    ctx.tensorName(out),
  );
  ctx.define(out, applyFusedActivation(ctx, op, pooled, o.activation, `${ctx.tensorName(out)}_act`), 'nchw');
};
