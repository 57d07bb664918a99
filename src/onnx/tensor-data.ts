/**
 * TensorProto <-> typed arrays. ONNX stores tensor values either as little-endian
 * `raw_data` or in typed repeated fields (float16, int8 and bool hide in `int32_data`);
 * readers must accept both, writers here always use `raw_data` because it is compact and
 * what exporters emit.
 */
import { operationalError } from '../errors.js';
import { DataType, elementCode, elementName, elementTypeOf, int64, onnx } from './proto.js';
import type { ElementType, Int64, TensorProto } from './proto.js';

/** Typed array holding a tensor's values. float16 is held as its bits in a Uint16Array, bool as a Uint8Array. */
export type TensorArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | string[];

/** A tensor's values, element type and shape, decoded from a TensorProto. */
export interface TensorValue {
  type: ElementType;
  dims: number[];
  data: TensorArray;
}

interface NumericCtor {
  new (buffer: ArrayBuffer, offset?: number, length?: number): Exclude<TensorArray, string[]>;
  readonly BYTES_PER_ELEMENT: number;
}

const CTORS: Record<Exclude<ElementType, 'string'>, NumericCtor> = {
  float32: Float32Array,
  float16: Uint16Array,
  float64: Float64Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  bool: Uint8Array,
};

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  // raw_data is little-endian by the ONNX spec; reading it through typed arrays needs a little-endian host.
  throw new Error('framefuse needs a little-endian machine to read ONNX raw tensor data');
}

/** Number of elements of a shape (1 for a scalar). */
export function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Builds a TensorProto (values in raw_data). `data` must hold exactly `elementCount(dims)` values. */
export function makeTensor(name: string, type: ElementType, dims: readonly number[], data: TensorArray): TensorProto {
  const count = elementCount(dims);
  if (data.length !== count) {
    throw new Error(`tensor ${name}: ${data.length} values do not fill shape [${dims.join(',')}] (${count} values)`);
  }
  if (type === 'string') {
    return onnx.TensorProto.create({
      name,
      dataType: DataType.STRING,
      dims: [...dims],
      stringData: (data as string[]).map((s) => new TextEncoder().encode(s)),
    });
  }
  const typed = data as Exclude<TensorArray, string[]>;
  const raw = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength).slice();
  return onnx.TensorProto.create({ name, dataType: elementCode(type), dims: [...dims], rawData: raw });
}

/** Decodes a TensorProto's values. Refuses tensors whose data lives in an external file. */
export function readTensor(tensor: TensorProto): TensorValue {
  const type = elementTypeOf(tensor.dataType);
  const dims = tensor.dims.map((d) => int64(d as Int64));
  const name = tensor.name || '(unnamed)';
  if (type === undefined) {
    throw operationalError('FF_MODEL_UNSUPPORTED', `tensor ${name} has element type ${elementName(tensor.dataType)}, which framefuse cannot read`);
  }
  if (tensor.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
    throw operationalError(
      'FF_MODEL_UNSUPPORTED',
      `tensor ${name} keeps its data in an external file, which framefuse does not read`,
      { fix: 'save the model with its weights inside the .onnx file (onnx.save(model, path, save_as_external_data=False))' },
    );
  }
  const count = elementCount(dims);
  if (type === 'string') {
    return { type, dims, data: tensor.stringData.map((b) => new TextDecoder().decode(b)) };
  }
  const Ctor = CTORS[type];
  if (tensor.rawData && tensor.rawData.length > 0) {
    // Copy so the view is aligned and does not pin the whole model buffer.
    // (Buffer#slice would return a view into the pool, hence a fresh Uint8Array.)
    const bytes = new Uint8Array(tensor.rawData);
    return { type, dims, data: new Ctor(bytes.buffer, 0, bytes.byteLength / bytesPerElement(type)) };
  }
  return { type, dims, data: fromTypedFields(tensor, type, count) };
}

function bytesPerElement(type: Exclude<ElementType, 'string'>): number {
  return CTORS[type].BYTES_PER_ELEMENT;
}

function fromTypedFields(tensor: TensorProto, type: Exclude<ElementType, 'string'>, count: number): TensorArray {
  switch (type) {
    case 'float32':
      return Float32Array.from(tensor.floatData);
    case 'float64':
      return Float64Array.from(tensor.doubleData);
    case 'int64':
      return BigInt64Array.from(tensor.int64Data, (v) => BigInt(int64(v as Int64)));
    case 'uint32':
      return Uint32Array.from(tensor.uint64Data, (v) => int64(v as Int64));
    case 'uint64':
      return BigUint64Array.from(tensor.uint64Data, (v) => BigInt(int64(v as Int64)));
    default: {
      // float16 (as bits), int8/16/32, uint8/16 and bool all travel in int32_data.
      const out = new CTORS[type](new ArrayBuffer(count * bytesPerElement(type)));
      const source = tensor.int32Data;
      for (let i = 0; i < count; i++) (out as Int32Array)[i] = source[i] ?? 0;
      return out;
    }
  }
}

/** A tensor's values as plain numbers (int64 converted), for shape constants and small tensors. */
export function tensorNumbers(value: TensorValue): number[] {
  if (value.type === 'string') throw new Error('a string tensor has no numbers');
  return Array.from(value.data as ArrayLike<number | bigint>, (v) => Number(v));
}
