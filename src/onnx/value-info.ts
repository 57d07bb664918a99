/**
 * Typed graph inputs and outputs (ValueInfoProto): tensor element type and shape, where a
 * dimension is a number, a symbolic name (`'N'`) or unknown (`null`).
 */
import { elementCode, elementName, elementTypeOf, int64, onnx } from './proto.js';
import type { ElementType, Int64, ValueInfoProto } from './proto.js';

export type Dim = number | string | null;

/** A tensor's name, element type and shape, as read from or written to a model. */
export interface TensorInfo {
  name: string;
  /** Element type; `undefined` for types framefuse does not handle. */
  type: ElementType | undefined;
  /** Human-readable type (`float32`, `onnx type 16`), for messages. */
  typeName: string;
  /** Shape; `undefined` when the model does not state a rank. */
  dims: Dim[] | undefined;
}

export function makeValueInfo(name: string, type: ElementType, dims?: readonly Dim[]): ValueInfoProto {
  const tensorType = onnx.TypeProto.Tensor.create({ elemType: elementCode(type) });
  if (dims !== undefined) {
    tensorType.shape = onnx.TensorShapeProto.create({
      dim: dims.map((d) =>
        typeof d === 'number'
          ? onnx.TensorShapeProto.Dimension.create({ dimValue: d })
          : typeof d === 'string'
            ? onnx.TensorShapeProto.Dimension.create({ dimParam: d })
            : onnx.TensorShapeProto.Dimension.create({}),
      ),
    });
  }
  return onnx.ValueInfoProto.create({ name, type: onnx.TypeProto.create({ tensorType }) });
}

export function readValueInfo(info: ValueInfoProto): TensorInfo {
  const tensorType = info.type?.tensorType;
  const code = tensorType?.elemType ?? 0;
  const shape = tensorType?.shape;
  const dims = shape
    ? (shape.dim ?? []).map((dim): Dim => {
        const d = dim as InstanceType<typeof onnx.TensorShapeProto.Dimension>;
        // The oneof getter says which field is really set (both have defaults on the prototype).
        if (d.value === 'dimParam') return d.dimParam ?? null;
        if (d.value === 'dimValue') return int64(d.dimValue as Int64);
        return null;
      })
    : undefined;
  return { name: info.name, type: elementTypeOf(code), typeName: elementName(code), dims };
}

/** Formats a shape for messages: `[N,3,128,128]`, `?` for unknown dims. */
export function formatDims(dims: readonly Dim[] | undefined): string {
  if (dims === undefined) return '[unknown rank]';
  return `[${dims.map((d) => (d === null ? '?' : String(d))).join(',')}]`;
}

/** A model input's fixed batch (its first dim when it is a number), or null when it is free. */
export function fixedBatchOf(dims: readonly (number | string | null)[] | undefined): number | null {
  const first = dims?.[0];
  return typeof first === 'number' && first > 0 ? first : null;
}
