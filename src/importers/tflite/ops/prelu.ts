/**
 * PRELU -> PRelu. TFLite's alpha broadcasts against the NHWC input (typically [1, 1, C]);
 * it becomes a slope that broadcasts against the NCHW value ([1, C, 1, 1]).
 */
import { elementwiseLayout, operandsIn } from './broadcast-layout.js';
import { inputAt, outputAt } from './types.js';
import type { OpConverter } from './types.js';

export const convertPrelu: OpConverter = (ctx, op) => {
  const inputs = [inputAt(op, 0), inputAt(op, 1)];
  const out = outputAt(op);
  const layout = elementwiseLayout(ctx, inputs);
  const rank = ctx.tensor(out).shape.length;
  ctx.define(out, ctx.emit('PRelu', operandsIn(ctx, inputs, layout, rank), {}, ctx.tensorName(out)), layout);
};
