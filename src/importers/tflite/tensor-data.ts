/**
 * Constant tensor contents: decoding TFLite's little-endian buffers into typed arrays and
 * permuting them between TFLite's layouts (NHWC activations, OHWI kernels) and ONNX's.
 */
import { float16ToFloat32 } from '../../onnx/float16.js';
import { operationalError, userError } from '../../errors.js';
import type { TfliteTensor } from './model.js';

/** A constant's values, float32 or int32, with its TFLite shape. */
export interface ConstantData {
  shape: number[];
  values: Float32Array | Int32Array;
}

function copyBytes(bytes: Uint8Array): ArrayBuffer {
  // Buffers inside a flatbuffer are not guaranteed to be 4-byte aligned: copy first.
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}

/** Decodes a constant tensor (float32, float16 or int32). */
export function decodeConstant(tensor: TfliteTensor, source: string): ConstantData {
  const data = tensor.data;
  if (!data) throw new Error(`tensor ${tensor.name} has no constant data`);
  const count = tensor.shape.reduce((a, b) => a * b, 1);
  const expect = (bytesPerValue: number) => {
    if (data.byteLength !== count * bytesPerValue) {
      throw operationalError('FF_TFLITE_CORRUPT', `${source}: tensor ${tensor.name} holds ${data.byteLength} bytes, its shape [${tensor.shape.join(',')}] of ${tensor.type} needs ${count * bytesPerValue}`);
    }
  };
  switch (tensor.type) {
    case 'float32':
      expect(4);
      return { shape: [...tensor.shape], values: new Float32Array(copyBytes(data)) };
    case 'float16':
      expect(2);
      return { shape: [...tensor.shape], values: float16ToFloat32(new Uint16Array(copyBytes(data))) };
    case 'int32':
      expect(4);
      return { shape: [...tensor.shape], values: new Int32Array(copyBytes(data)) };
    default:
      throw userError('FF_TFLITE_UNSUPPORTED', `${source}: constant tensor ${tensor.name} is ${tensor.type}; the converter reads float32, float16 and int32 constants`);
  }
}

/** Permutes the axes of a row-major array: output axis i is input axis perm[i]. */
export function transposeValues<T extends Float32Array | Int32Array>(values: T, shape: readonly number[], perm: readonly number[]): T {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p] ?? 1);
  const inStrides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) inStrides[i] = (inStrides[i + 1] ?? 1) * (shape[i + 1] ?? 1);
  const strideOfOut = perm.map((p) => inStrides[p] ?? 0);
  const out = new (values.constructor as new (n: number) => T)(values.length);
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < values.length; o++) {
    let source = 0;
    for (let i = 0; i < rank; i++) source += (index[i] ?? 0) * (strideOfOut[i] ?? 0);
    out[o] = values[source] ?? 0;
    for (let i = rank - 1; i >= 0; i--) {
      index[i] = (index[i] ?? 0) + 1;
      if ((index[i] ?? 0) < (outShape[i] ?? 1)) break;
      index[i] = 0;
    }
  }
  return out;
}

/** NHWC axis -> NCHW axis. */
export const NHWC_TO_NCHW_AXIS: readonly number[] = [0, 2, 3, 1];
/** Transpose perms between the two layouts. */
export const TO_NCHW: readonly number[] = [0, 3, 1, 2];
export const TO_NHWC: readonly number[] = [0, 2, 3, 1];
