/** CONCATENATION -> Concat, with the NHWC axis mapped when the inputs are held NCHW. */
import { elementwiseLayout, operandsIn } from './broadcast-layout.js';
import { applyFusedActivation } from './fused-activation.js';
import { NHWC_TO_NCHW_AXIS } from '../tensor-data.js';
import { optionsOf, outputAt } from './types.js';
import type { OpConverter } from './types.js';

export const convertConcatenation: OpConverter = (ctx, op) => {
  const o = optionsOf(op, 'concatenation');
  const inputs = op.inputs.filter((i) => i >= 0);
  const out = outputAt(op);
  const rank = ctx.tensor(out).shape.length;
  const axis = o.axis < 0 ? o.axis + rank : o.axis;
  if (axis === 0) throw ctx.unsupported(op, 'concatenates along the batch axis, which a batched model cannot do');
  const layout = rank === 4 ? elementwiseLayout(ctx, inputs) : 'nhwc';
  const onnxAxis = layout === 'nchw' ? (NHWC_TO_NCHW_AXIS[axis] ?? axis) : axis;
  const joined = ctx.emit('Concat', operandsIn(ctx, inputs, layout, rank), { axis: onnxAxis }, o.activation === 'NONE' ? ctx.tensorName(out) : `${ctx.tensorName(out)}_linear`);
  ctx.define(out, applyFusedActivation(ctx, op, joined, o.activation, ctx.tensorName(out)), layout);
};
