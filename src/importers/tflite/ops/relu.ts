/** RELU -> Relu, in whatever layout its input is held. */
import { inputAt, outputAt } from './types.js';
import type { OpConverter } from './types.js';

export const convertRelu: OpConverter = (ctx, op) => {
  const input = inputAt(op, 0);
  const layout = ctx.layoutOf(input) ?? 'nhwc';
  const out = outputAt(op);
  ctx.define(out, ctx.emit('Relu', [ctx.valueIn(input, layout)], {}, ctx.tensorName(out)), layout);
};
