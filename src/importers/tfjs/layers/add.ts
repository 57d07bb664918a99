/** Keras Add (element-wise sum of two or more same-shaped inputs) as a chain of ONNX Add. */
import { unsupported } from './layer-context.js';
import type { LayerConverter } from './layer-context.js';

export const convertAdd: LayerConverter = (ctx, inputs) => {
  const [first, ...rest] = inputs;
  if (!first || rest.length === 0) throw unsupported(ctx, `needs at least two inputs, got ${inputs.length}`);
  let sum = first.name;
  rest.forEach((v, i) => {
    sum = ctx.graph.node('Add', [sum, v.name], {}, { name: i === rest.length - 1 ? ctx.layer.name : ctx.graph.uniqueName(`${ctx.layer.name}_${i}`) });
  });
  return { ...first, name: sum };
};
