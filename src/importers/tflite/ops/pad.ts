/**
 * PAD -> Pad (constant 0). TFLite's paddings are an int32 [rank, 2] tensor of
 * (before, after) per NHWC axis; ONNX wants all befores then all afters, per axis of the
 * value as held (NCHW for 4-D activations).
 */
import { NHWC_TO_NCHW_AXIS } from '../tensor-data.js';
import { inputAt, outputAt } from './types.js';
import type { OpConverter } from './types.js';

export const convertPad: OpConverter = (ctx, op) => {
  const input = inputAt(op, 0);
  const paddings = ctx.requireConstant(op, inputAt(op, 1), 'paddings tensor');
  const rank = ctx.tensor(input).shape.length;
  if (paddings.values.length !== rank * 2) throw ctx.unsupported(op, `has ${paddings.values.length} padding values for a rank-${rank} input`);
  const layout = rank === 4 ? 'nchw' : 'nhwc';
  const before = new Array<number>(rank).fill(0);
  const after = new Array<number>(rank).fill(0);
  for (let axis = 0; axis < rank; axis++) {
    const target = layout === 'nchw' ? (NHWC_TO_NCHW_AXIS[axis] ?? axis) : axis;
    before[target] = paddings.values[axis * 2] ?? 0;
    after[target] = paddings.values[axis * 2 + 1] ?? 0;
  }
  if ((before[0] ?? 0) !== 0 || (after[0] ?? 0) !== 0) throw ctx.unsupported(op, 'pads the batch axis, which a batched model cannot do');
  const out = outputAt(op);
  const pads = ctx.graph.int64s(`${ctx.tensorName(out)}_pads`, [...before, ...after]);
  ctx.define(out, ctx.emit('Pad', [ctx.valueIn(input, layout), pads], { mode: 'constant' }, ctx.tensorName(out)), layout);
};
