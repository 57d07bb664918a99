/**
 * Keras activations: the Activation layer, and the `activation` field other layers fuse.
 * Only the ones ESRGAN-slim uses (relu, linear) are mapped; others are refused by name
 * rather than approximated.
 */
import { single, unsupported } from './layer-context.js';
import type { LayerContext, LayerConverter, Value } from './layer-context.js';

/** `value` passed through the named activation (`linear`, `relu`, or absent). */
export function applyActivation(ctx: LayerContext, value: Value, activation: unknown): Value {
  if (activation === undefined || activation === null || activation === 'linear') return value;
  if (activation === 'relu') return { ...value, name: ctx.graph.node('Relu', [value.name], {}, { name: ctx.graph.uniqueName(`${ctx.layer.name}_relu`) }) };
  throw unsupported(ctx, `activation ${JSON.stringify(activation)} (the converter maps relu and linear)`);
}

export const convertActivation: LayerConverter = (ctx, inputs) => {
  const input = single(ctx, inputs);
  const activation = ctx.layer.config['activation'];
  if (activation === undefined || activation === 'linear') {
    // An identity layer still needs its own ONNX value so its name can be an output.
    return { ...input, name: ctx.graph.node('Identity', [input.name], {}, { name: ctx.layer.name }) };
  }
  return applyActivation(ctx, input, activation);
};
