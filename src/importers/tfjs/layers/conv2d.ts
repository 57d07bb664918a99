/**
 * Keras Conv2D as ONNX Conv (+ Relu for a fused `activation: relu`). The kernel moves from
 * Keras's [kh, kw, in/groups, out] to ONNX's [out, in/groups, kh, kw]. TensorFlow's "same"
 * padding puts the odd pixel at the end (bottom, right): explicit pads at stride 1,
 * SAME_UPPER otherwise (its size then depends on the input).
 */
import { layerWeight, intPair, requireChannelsLast, single, unsupported } from './layer-context.js';
import type { LayerConverter } from './layer-context.js';
import { applyActivation } from './activation.js';

/** [kh, kw, cin, cout] -> [cout, cin, kh, kw]. */
export function kerasKernelToOnnx(kernel: Float32Array, shape: readonly number[]): Float32Array {
  const [kh, kw, cin, cout] = shape as [number, number, number, number];
  const out = new Float32Array(kernel.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let i = 0; i < cin; i++) {
        for (let o = 0; o < cout; o++) {
          out[((o * cin + i) * kh + y) * kw + x] = kernel[((y * kw + x) * cin + i) * cout + o]!;
        }
      }
    }
  }
  return out;
}

export const convertConv2D: LayerConverter = (ctx, inputs) => {
  const input = single(ctx, inputs);
  requireChannelsLast(ctx);
  if (input.rank !== 4) throw unsupported(ctx, `input rank ${input.rank} (Conv2D needs 4)`);
  const [kh, kw] = intPair(ctx, 'kernel_size', [1, 1]);
  const strides = intPair(ctx, 'strides', [1, 1]);
  const dilations = intPair(ctx, 'dilation_rate', [1, 1]);
  const groups = Number(ctx.layer.config['groups'] ?? 1);
  const padding = String(ctx.layer.config['padding'] ?? 'valid');
  const kernel = layerWeight(ctx, 'kernel', 4);
  const [wkh, wkw, cin, cout] = kernel.shape as [number, number, number, number];
  if (wkh !== kh || wkw !== kw) throw unsupported(ctx, `kernel weight [${kernel.shape.join(',')}] does not match kernel_size [${kh},${kw}]`);
  if (input.channels !== null && input.channels !== cin * groups) {
    throw unsupported(ctx, `kernel expects ${cin * groups} input channels, the input has ${input.channels}`);
  }
  const filters = ctx.layer.config['filters'];
  if (filters !== undefined && filters !== cout) throw unsupported(ctx, `filters ${String(filters)} but the kernel has ${cout} outputs`);
  const g = ctx.graph;
  const operands = [input.name, g.initializer(g.uniqueName(`${ctx.layer.name}_W`), kerasKernelToOnnx(kernel.data, kernel.shape), [cout, cin, kh, kw])];
  if (ctx.layer.config['use_bias'] !== false) {
    const bias = layerWeight(ctx, 'bias', 1);
    if (bias.shape[0] !== cout) throw unsupported(ctx, `bias has ${bias.shape[0]} values for ${cout} filters`);
    operands.push(g.initializer(g.uniqueName(`${ctx.layer.name}_B`), bias.data, [cout]));
  }
  let pads: number[] | undefined;
  let autoPad: string | undefined;
  if (padding === 'valid') {
    pads = [0, 0, 0, 0];
  } else if (padding === 'same') {
    if (strides[0] === 1 && strides[1] === 1) {
      const total = [(kh - 1) * dilations[0], (kw - 1) * dilations[1]] as const;
      const begin = [Math.floor(total[0] / 2), Math.floor(total[1] / 2)];
      pads = [begin[0]!, begin[1]!, total[0] - begin[0]!, total[1] - begin[1]!];
    } else {
      autoPad = 'SAME_UPPER';
    }
  } else {
    throw unsupported(ctx, `padding ${padding} (valid or same)`);
  }
  const conv = g.node('Conv', operands, {
    kernel_shape: [kh, kw],
    strides: [...strides],
    dilations: [...dilations],
    group: groups,
    pads,
    auto_pad: autoPad,
  }, { name: ctx.layer.name });
  const strided = strides[0] !== 1 || strides[1] !== 1 || padding === 'valid' && (kh > 1 || kw > 1);
  const value = { name: conv, rank: 4, channels: cout, scale: strided ? null : input.scale };
  return applyActivation(ctx, value, ctx.layer.config['activation']);
};
