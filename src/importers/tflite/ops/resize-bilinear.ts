/**
 * RESIZE_BILINEAR -> Resize (linear). TFLite's three coordinate conventions map onto
 * ONNX's: align_corners -> align_corners, half_pixel_centers -> half_pixel, neither ->
 * asymmetric (out * in/out). Scales rather than sizes, so the batch axis stays free.
 */
import { inputAt, optionsOf, outputAt } from './types.js';
import type { OpConverter } from './types.js';

export const convertResizeBilinear: OpConverter = (ctx, op) => {
  const o = optionsOf(op, 'resize_bilinear');
  const input = inputAt(op, 0);
  const size = ctx.requireConstant(op, inputAt(op, 1), 'size');
  const [, inH = 1, inW = 1] = ctx.tensor(input).shape;
  const outH = size.values[0] ?? inH;
  const outW = size.values[1] ?? inW;
  const mode = o.alignCorners ? 'align_corners' : o.halfPixelCenters ? 'half_pixel' : 'asymmetric';
  const scales = ctx.graph.initializer(ctx.graph.uniqueName('resize_scales'), new Float32Array([1, 1, outH / inH, outW / inW]), [4]);
  const out = outputAt(op);
  ctx.define(
    out,
    ctx.emit('Resize', [ctx.valueIn(input, 'nchw'), '', scales], { mode: 'linear', coordinate_transformation_mode: mode }, ctx.tensorName(out)),
    'nchw',
  );
};
