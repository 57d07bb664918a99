/** Keras Concatenate as ONNX Concat, its channels-last axis moved to NCHW. */
import { nchwAxis, unsupported } from './layer-context.js';
import type { LayerConverter } from './layer-context.js';

export const convertConcatenate: LayerConverter = (ctx, inputs) => {
  if (inputs.length < 2) throw unsupported(ctx, `needs at least two inputs, got ${inputs.length}`);
  const rank = inputs[0]!.rank;
  if (inputs.some((v) => v.rank !== rank)) throw unsupported(ctx, 'inputs of different ranks');
  const axis = Number(ctx.layer.config['axis'] ?? -1);
  const onnxAxis = nchwAxis(axis, rank);
  const name = ctx.graph.node('Concat', inputs.map((v) => v.name), { axis: onnxAxis }, { name: ctx.layer.name });
  const channels = onnxAxis === 1 ? (inputs.every((v) => v.channels !== null) ? inputs.reduce((s, v) => s + (v.channels ?? 0), 0) : null) : inputs[0]!.channels;
  const scale = inputs.every((v) => v.scale === inputs[0]!.scale) ? inputs[0]!.scale : null;
  return { name, rank, channels, scale };
};
