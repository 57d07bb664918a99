/**
 * The layout an element-wise operator works in. When every run-time input is a 4-D
 * activation already held NCHW, it stays NCHW (constants are permuted to broadcast the
 * same way); otherwise everything is brought to TFLite's order, where TFLite's own
 * broadcasting rules apply unchanged.
 */
import type { ConversionContext, Layout } from '../context.js';

export function elementwiseLayout(ctx: ConversionContext, inputs: readonly number[]): Layout {
  const runtime = inputs.filter((i) => ctx.isRuntime(i));
  const all4d = runtime.every((i) => ctx.tensor(i).shape.length === 4);
  const constantsFit = inputs.filter((i) => !ctx.isRuntime(i)).every((i) => ctx.tensor(i).shape.length <= 4);
  return runtime.length > 0 && all4d && constantsFit && runtime.some((i) => ctx.layoutOf(i) === 'nchw') ? 'nchw' : 'nhwc';
}

/** Each input as an ONNX value in `layout` (constants as broadcastable initializers). */
export function operandsIn(ctx: ConversionContext, inputs: readonly number[], layout: Layout, rank: number): string[] {
  return inputs.map((i) => {
    if (ctx.isRuntime(i)) return ctx.valueIn(i, layout);
    const c = ctx.constant(i);
    if (!c) throw new Error(`tensor ${ctx.tensorName(i)} is used before it is computed`);
    return ctx.constantIn(c, layout, rank, ctx.tensorName(i));
  });
}
