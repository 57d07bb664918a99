/**
 * Keras UpSampling2D (nearest) as ONNX Resize. Nearest upsampling by an integer factor
 * repeats each pixel: output pixel o reads input floor(o / factor), which is Resize's
 * `asymmetric` coordinates with `floor` rounding. Bilinear is refused: Keras and ONNX
 * disagree on its sampling grid unless configured with care, and no model here needs it.
 */
import { intPair, requireChannelsLast, single, unsupported } from './layer-context.js';
import type { LayerConverter } from './layer-context.js';

export const convertUpSampling2D: LayerConverter = (ctx, inputs) => {
  const input = single(ctx, inputs);
  requireChannelsLast(ctx);
  if (input.rank !== 4) throw unsupported(ctx, `input rank ${input.rank} (UpSampling2D needs 4)`);
  const interpolation = String(ctx.layer.config['interpolation'] ?? 'nearest');
  if (interpolation !== 'nearest') throw unsupported(ctx, `interpolation ${interpolation} (only nearest)`);
  const [sh, sw] = intPair(ctx, 'size', [2, 2]);
  if (sh < 1 || sw < 1) throw unsupported(ctx, `size [${sh},${sw}]`);
  const g = ctx.graph;
  const scales = g.initializer(g.uniqueName(`${ctx.layer.name}_scales`), new Float32Array([1, 1, sh, sw]), [4]);
  const name = g.node('Resize', [input.name, '', scales], {
    mode: 'nearest',
    coordinate_transformation_mode: 'asymmetric',
    nearest_mode: 'floor',
  }, { name: ctx.layer.name });
  return { ...input, name, scale: input.scale !== null && sh === sw ? input.scale * sh : null };
};
