/** The shape of one operator converter, and access to its parsed options. */
import type { ConversionContext } from '../context.js';
import type { OperatorOptions, TfliteOperator } from '../model.js';

/** Converts one TFLite operator: reads its inputs from the context, defines its outputs. */
export type OpConverter = (ctx: ConversionContext, op: TfliteOperator) => void;

/** The operator's options of the expected kind (the reader always parses them for known operators). */
export function optionsOf<K extends OperatorOptions['kind']>(op: TfliteOperator, kind: K): Extract<OperatorOptions, { kind: K }> {
  if (op.options?.kind !== kind) throw new Error(`${op.opName} has no ${kind} options`);
  return op.options as Extract<OperatorOptions, { kind: K }>;
}

/** The i-th input tensor index; a missing required input is a corrupt operator. */
export function inputAt(op: TfliteOperator, i: number): number {
  const index = op.inputs[i];
  if (index === undefined || index < 0) throw new Error(`${op.opName} lacks input ${i}`);
  return index;
}

export function outputAt(op: TfliteOperator, i = 0): number {
  const index = op.outputs[i];
  if (index === undefined) throw new Error(`${op.opName} lacks output ${i}`);
  return index;
}
