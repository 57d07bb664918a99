/**
 * The ONNX protobuf classes (onnx.proto v1.10.2, IR version 8, via onnx-proto's static
 * protobufjs module) and the small conversions every other file in src/onnx needs.
 * Everything here reads and writes plain `onnx.ModelProto` objects: there is no second
 * in-memory model format to keep in sync.
 */
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';

export const onnx = onnxProto.onnx;
export type { OnnxTypes };
export type ModelProto = OnnxTypes.ModelProto;
export type GraphProto = OnnxTypes.GraphProto;
export type NodeProto = OnnxTypes.NodeProto;
export type TensorProto = OnnxTypes.TensorProto;
export type ValueInfoProto = OnnxTypes.ValueInfoProto;
export type AttributeProto = OnnxTypes.AttributeProto;

export const DataType = onnx.TensorProto.DataType;
export const AttributeType = onnx.AttributeProto.AttributeType;

/** protobufjs decodes int64 fields as Long objects; encoders accept plain numbers. */
export type Int64 = number | { toNumber(): number } | null | undefined;

/** An int64 field as a JS number (0 when absent). Values beyond 2^53 lose precision, as ONNX dims never reach them. */
export function int64(value: Int64): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

/** Element type names, as onnxruntime's `Tensor.Type` spells them. */
export type ElementType =
  | 'float32'
  | 'float16'
  | 'float64'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'bool'
  | 'string';

const ELEMENT_CODES: Record<ElementType, number> = {
  float32: DataType.FLOAT,
  float16: DataType.FLOAT16,
  float64: DataType.DOUBLE,
  int8: DataType.INT8,
  uint8: DataType.UINT8,
  int16: DataType.INT16,
  uint16: DataType.UINT16,
  int32: DataType.INT32,
  uint32: DataType.UINT32,
  int64: DataType.INT64,
  uint64: DataType.UINT64,
  bool: DataType.BOOL,
  string: DataType.STRING,
};

/** The TensorProto.DataType code of an element type. */
export function elementCode(type: ElementType): number {
  return ELEMENT_CODES[type];
}

/** The element type of a TensorProto.DataType code, or `undefined` for types framefuse does not handle (bfloat16, complex, float8). */
export function elementTypeOf(code: number): ElementType | undefined {
  for (const [name, value] of Object.entries(ELEMENT_CODES)) if (value === code) return name as ElementType;
  return undefined;
}

/** The name of a TensorProto.DataType code, for messages. */
export function elementName(code: number): string {
  return elementTypeOf(code) ?? `onnx type ${code}`;
}

/**
 * ONNX IR version matching an opset of the default domain (onnx/onnx docs/Versioning.md).
 * Opsets above 18 need IR 9+, which onnx.proto v1.10.2 cannot describe field by field but
 * writes fine: the fields added since are optional.
 */
export function irVersionForOpset(opset: number): number {
  if (opset <= 8) return 3;
  if (opset === 9) return 4;
  if (opset === 10) return 5;
  if (opset === 11) return 6;
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  if (opset <= 22) return 10;
  return 11;
}
