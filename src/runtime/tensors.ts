/**
 * Tensors as plain data: a typed array and its dims. This is what crosses worker threads
 * (the array's buffer is transferred) and what nodes hand to `run()`; onnxruntime's own
 * Tensor class stays inside the runtime.
 */
import ort from '../onnx/ort.js';
import type { ElementType } from '../onnx/proto.js';
import type { TensorArray } from '../onnx/tensor-data.js';

/** The numeric typed arrays of the ONNX toolkit's TensorArray: what onnxruntime takes and gives. */
export type TensorArrayData = Exclude<TensorArray, string[]>;

/** A tensor: values and shape, plus its element type when the array alone is ambiguous (Uint16Array for float16, Uint8Array for bool). */
export interface TensorData {
  data: TensorArrayData;
  dims: number[];
  type?: ElementType;
}

export type Feeds = Record<string, TensorData>;
export type Outputs = Record<string, TensorData>;

/** The element type an array implies by itself. */
export function arrayElementType(data: TensorArrayData): ElementType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint16Array) return 'float16';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint32Array) return 'uint32';
  if (data instanceof BigInt64Array) return 'int64';
  return 'uint64';
}

/** An onnxruntime tensor over the same memory (no copy). */
export function toOrtTensor(tensor: TensorData, expected?: ElementType): ort.Tensor {
  const type = tensor.type ?? expected ?? arrayElementType(tensor.data);
  return new ort.Tensor(type as ort.Tensor.Type, tensor.data as never, tensor.dims);
}

/**
 * Plain data from an onnxruntime output tensor on the host. A tensor left on a GPU
 * (`preferredOutputLocation: 'gpu-buffer'`) is refused: reading one with getData() aborts
 * the whole process in onnxruntime-node 1.30 (a C++ terminate), so device tensors are
 * only ever fed to another session, and the last session of a chain writes to the host
 * (see session-chain.ts).
 */
export function fromOrtTensor(tensor: ort.Tensor): TensorData {
  if (tensor.location !== 'cpu' && tensor.location !== 'cpu-pinned') {
    throw new Error(`an output stayed on the device (${tensor.location}) where the host needed it: read device tensors only through a session that writes to the CPU`);
  }
  return { data: tensor.data as TensorArrayData, dims: [...tensor.dims], type: tensor.type as ElementType };
}
