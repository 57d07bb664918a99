/**
 * Node attributes from and to plain JS values. A JS number is ambiguous (ONNX has INT and
 * FLOAT), so integers become INT unless the attribute name is one ONNX defines as a float
 * (`alpha`, `epsilon`, ...); wrap a value in `attr.float()` / `attr.ints()` ... to say it
 * explicitly.
 */
import { AttributeType, int64, onnx } from './proto.js';
import type { AttributeProto, GraphProto, Int64, TensorProto } from './proto.js';

/** An explicitly typed attribute value. */
export interface TypedAttribute {
  readonly kind: 'float' | 'int' | 'floats' | 'ints' | 'string' | 'strings' | 'tensor' | 'graph';
  readonly value: number | number[] | string | string[] | TensorProto | GraphProto;
}

/** A value a builder accepts for an attribute. */
export type AttributeValue = number | string | readonly number[] | readonly string[] | TypedAttribute | TensorProto;

/** Explicit attribute types, for when a JS number alone would be read the wrong way. */
export const attr = {
  float: (value: number): TypedAttribute => ({ kind: 'float', value }),
  int: (value: number): TypedAttribute => ({ kind: 'int', value }),
  floats: (value: readonly number[]): TypedAttribute => ({ kind: 'floats', value: [...value] }),
  ints: (value: readonly number[]): TypedAttribute => ({ kind: 'ints', value: [...value] }),
  string: (value: string): TypedAttribute => ({ kind: 'string', value }),
  strings: (value: readonly string[]): TypedAttribute => ({ kind: 'strings', value: [...value] }),
  tensor: (value: TensorProto): TypedAttribute => ({ kind: 'tensor', value }),
  graph: (value: GraphProto): TypedAttribute => ({ kind: 'graph', value }),
};

/** Attribute names that ONNX operators define as FLOAT, so `alpha: 1` is written as 1.0. */
const FLOAT_NAMES = new Set([
  'alpha', 'beta', 'gamma', 'epsilon', 'momentum', 'lambd', 'bias', 'cubic_coeff_a',
  'extrapolation_value', 'spatial_scale', 'threshold', 'ratio', 'scale', 'seed', 'min', 'max',
]);
const FLOATS_NAMES = new Set(['scales']);

function isTyped(value: AttributeValue): value is TypedAttribute {
  return typeof value === 'object' && value !== null && 'kind' in value && 'value' in value;
}

function isTensor(value: AttributeValue): value is TensorProto {
  return value instanceof onnx.TensorProto;
}

/** One AttributeProto from a JS value. */
export function makeAttribute(name: string, value: AttributeValue): AttributeProto {
  const typed = toTyped(name, value);
  const a = onnx.AttributeProto.create({ name });
  switch (typed.kind) {
    case 'float':
      a.type = AttributeType.FLOAT;
      a.f = typed.value as number;
      break;
    case 'int':
      a.type = AttributeType.INT;
      a.i = typed.value as number;
      break;
    case 'floats':
      a.type = AttributeType.FLOATS;
      a.floats = typed.value as number[];
      break;
    case 'ints':
      a.type = AttributeType.INTS;
      a.ints = typed.value as number[];
      break;
    case 'string':
      a.type = AttributeType.STRING;
      a.s = new TextEncoder().encode(typed.value as string);
      break;
    case 'strings':
      a.type = AttributeType.STRINGS;
      a.strings = (typed.value as string[]).map((s) => new TextEncoder().encode(s));
      break;
    case 'tensor':
      a.type = AttributeType.TENSOR;
      a.t = typed.value as TensorProto;
      break;
    case 'graph':
      a.type = AttributeType.GRAPH;
      a.g = typed.value as GraphProto;
      break;
  }
  return a;
}

function toTyped(name: string, value: AttributeValue): TypedAttribute {
  if (isTyped(value)) return value;
  if (isTensor(value)) return attr.tensor(value);
  if (typeof value === 'number') {
    return Number.isInteger(value) && !FLOAT_NAMES.has(name) ? attr.int(value) : attr.float(value);
  }
  if (typeof value === 'string') return attr.string(value);
  if (value.length > 0 && typeof value[0] === 'string') return attr.strings(value as readonly string[]);
  const numbers = value as readonly number[];
  return numbers.every((v) => Number.isInteger(v)) && !FLOATS_NAMES.has(name) ? attr.ints(numbers) : attr.floats(numbers);
}

/** An attribute's value as a plain JS value (ints as numbers, strings decoded). */
export function readAttribute(a: AttributeProto): number | number[] | string | string[] | TensorProto | GraphProto | undefined {
  switch (a.type) {
    case AttributeType.FLOAT:
      return a.f;
    case AttributeType.INT:
      return int64(a.i as Int64);
    case AttributeType.FLOATS:
      return [...a.floats];
    case AttributeType.INTS:
      return a.ints.map((v) => int64(v as Int64));
    case AttributeType.STRING:
      return new TextDecoder().decode(a.s);
    case AttributeType.STRINGS:
      return a.strings.map((s) => new TextDecoder().decode(s));
    case AttributeType.TENSOR:
      return (a.t ?? undefined) as TensorProto | undefined;
    case AttributeType.GRAPH:
      return (a.g ?? undefined) as GraphProto | undefined;
    default:
      return undefined;
  }
}
