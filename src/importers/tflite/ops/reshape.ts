/**
 * RESHAPE -> Reshape on the NHWC value (reshape follows memory order, so the layout
 * matters). The target comes from the output tensor's static shape; its batch axis
 * becomes -1 so the converted model takes any batch.
 */
import { inputAt, outputAt } from './types.js';
import type { OpConverter } from './types.js';

export const convertReshape: OpConverter = (ctx, op) => {
  const input = inputAt(op, 0);
  const out = outputAt(op);
  const inShape = ctx.tensor(input).shape;
  const outShape = [...ctx.tensor(out).shape];
  if (outShape.length === 0 || outShape.some((d) => d < 0)) throw ctx.unsupported(op, `has no static output shape ([${outShape.join(',')}])`);
  if (inShape[0] !== outShape[0]) throw ctx.unsupported(op, `mixes the batch axis into others ([${inShape.join(',')}] -> [${outShape.join(',')}])`);
  outShape[0] = -1;
  const shape = ctx.graph.int64s(`${ctx.tensorName(out)}_shape`, outShape);
  ctx.define(out, ctx.emit('Reshape', [ctx.valueIn(input, 'nhwc'), shape], {}, ctx.tensorName(out)), 'nhwc');
};
