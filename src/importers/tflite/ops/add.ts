/** ADD -> Add (numpy broadcasting in both), plus its fused activation. */
import { elementwiseLayout, operandsIn } from './broadcast-layout.js';
import { applyFusedActivation } from './fused-activation.js';
import { inputAt, optionsOf, outputAt } from './types.js';
import type { OpConverter } from './types.js';

export const convertAdd: OpConverter = (ctx, op) => {
  const o = optionsOf(op, 'add');
  const inputs = [inputAt(op, 0), inputAt(op, 1)];
  const out = outputAt(op);
  const layout = elementwiseLayout(ctx, inputs);
  const rank = ctx.tensor(out).shape.length;
  const sum = ctx.emit('Add', operandsIn(ctx, inputs, layout, rank), {}, o.activation === 'NONE' ? ctx.tensorName(out) : `${ctx.tensorName(out)}_linear`);
  ctx.define(out, applyFusedActivation(ctx, op, sum, o.activation, ctx.tensorName(out)), layout);
};
