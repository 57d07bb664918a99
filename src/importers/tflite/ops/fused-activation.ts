/**
 * TFLite folds an activation into many operators (fused_activation_function); ONNX has
 * no such field, so it becomes a node after the operator.
 */
import type { ConversionContext } from '../context.js';
import type { Activation, TfliteOperator } from '../model.js';

export function applyFusedActivation(ctx: ConversionContext, op: TfliteOperator, value: string, activation: Activation, hint: string): string {
  switch (activation) {
    case 'NONE':
      return value;
    case 'RELU':
      return ctx.emit('Relu', [value], {}, hint);
    case 'RELU6':
      return ctx.emit('Clip', [value, ctx.graph.scalar('zero', 0), ctx.graph.scalar('six', 6)], {}, hint);
    case 'RELU_N1_TO_1':
      return ctx.emit('Clip', [value, ctx.graph.scalar('minus_one', -1), ctx.graph.scalar('one', 1)], {}, hint);
    case 'TANH':
      return ctx.emit('Tanh', [value], {}, hint);
    case 'SIGN_BIT':
      throw ctx.unsupported(op, 'with the fused activation SIGN_BIT is not supported');
  }
}
