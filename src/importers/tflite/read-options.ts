/**
 * Builtin options tables of schema.fbs, read into plain values. Field numbers are the
 * declaration order in the schema (e.g. Conv2DOptions: padding 0, stride_w 1, stride_h 2,
 * fused_activation_function 3, dilation_w_factor 4, dilation_h_factor 5).
 */
import type { FlatTable } from './flatbuffer.js';
import { ACTIVATIONS } from './model.js';
import type { Activation, OperatorOptions, Padding } from './model.js';

function padding(code: number): Padding {
  if (code === 0) return 'SAME';
  if (code === 1) return 'VALID';
  throw new RangeError(`unknown padding code ${code}`);
}

function activation(code: number): Activation {
  const name = ACTIVATIONS[code];
  if (!name) throw new RangeError(`unknown fused activation code ${code}`);
  return name;
}

/** Options of the operators the converter supports; undefined for any other operator. */
export function readOptions(opName: string, table: FlatTable | null): OperatorOptions | undefined {
  // An absent table means every field takes its schema default.
  const t = table;
  const int = (field: number, fallback = 0): number => (t ? t.int32(field, fallback) : fallback);
  const byte = (field: number): number => (t ? t.int8(field) : 0);
  const flag = (field: number): boolean => (t ? t.bool(field) : false);
  switch (opName) {
    case 'CONV_2D':
      return { kind: 'conv2d', padding: padding(byte(0)), strideW: int(1), strideH: int(2), activation: activation(byte(3)), dilationW: int(4, 1), dilationH: int(5, 1) };
    case 'DEPTHWISE_CONV_2D':
      return {
        kind: 'depthwise',
        padding: padding(byte(0)),
        strideW: int(1),
        strideH: int(2),
        depthMultiplier: int(3),
        activation: activation(byte(4)),
        dilationW: int(5, 1),
        dilationH: int(6, 1),
      };
    case 'MAX_POOL_2D':
      return { kind: 'pool2d', padding: padding(byte(0)), strideW: int(1), strideH: int(2), filterW: int(3), filterH: int(4), activation: activation(byte(5)) };
    case 'ADD':
      return { kind: 'add', activation: activation(byte(0)) };
    case 'CONCATENATION':
      return { kind: 'concatenation', axis: int(0), activation: activation(byte(1)) };
    case 'RESHAPE':
      return { kind: 'reshape', newShape: t && t.has(0) ? t.int32s(0) : null };
    case 'RESIZE_BILINEAR':
      // Fields 0 and 1 (new_height, new_width) are deprecated: the size is the second input.
      return { kind: 'resize_bilinear', alignCorners: flag(2), halfPixelCenters: flag(3) };
    default:
      return undefined;
  }
}
