/**
 * DEQUANTIZE of float16 weights: folded at conversion time into float32 initializers
 * (MediaPipe stores every weight as float16 behind one). A float16 value computed at run
 * time becomes a Cast. Integer (affine-quantized) dequantization is refused.
 */
import { inputAt, outputAt } from './types.js';
import type { OpConverter } from './types.js';

export const convertDequantize: OpConverter = (ctx, op) => {
  const input = inputAt(op, 0);
  const out = outputAt(op);
  const type = ctx.tensor(input).type;
  if (type !== 'float16') throw ctx.unsupported(op, `of the ${type} tensor ${ctx.tensorName(input)} is not supported; only float16 weights are`);
  if (ctx.isRuntime(input)) {
    const layout = ctx.layoutOf(input) ?? 'nhwc';
    ctx.define(out, ctx.emit('Cast', [ctx.valueIn(input, layout)], { to: 1 }, ctx.tensorName(out)), layout);
    return;
  }
  ctx.setConstant(out, ctx.requireConstant(op, input, 'float16 tensor'));
};
