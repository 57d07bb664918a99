/**
 * Test helpers for the TFLite importer: TFLite models written by hand (tensors and
 * operators as plain objects), run after conversion with onnxruntime, and prepared real
 * models in a temporary models folder shared by one test file.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { convertTfliteToOnnx } from '../../src/importers/tflite/convert.js';
import type { OperatorOptions, TfliteModel, TfliteOperator, TfliteTensor, TfliteTensorType } from '../../src/importers/tflite/model.js';
import { prepareTfliteModel } from '../../src/importers/tflite/prepare.js';
import type { TfliteModelId } from '../../src/importers/tflite/sources.js';

/** A tensor; constant when `values` is given (float32, int32, or float16 bits as Uint16Array). */
export function tensor(name: string, shape: number[], values?: Float32Array | Int32Array | Uint16Array | number[], type?: TfliteTensorType): TfliteTensor {
  if (values === undefined) return { name, shape, type: type ?? 'float32', data: null };
  const typed = Array.isArray(values) ? (type === 'int32' ? Int32Array.from(values) : Float32Array.from(values)) : values;
  const inferred: TfliteTensorType = typed instanceof Int32Array ? 'int32' : typed instanceof Uint16Array ? 'float16' : 'float32';
  return { name, shape, type: type ?? inferred, data: new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength) };
}

export function op(opName: string, inputs: number[], outputs: number[], options?: OperatorOptions): TfliteOperator {
  return { opName, inputs, outputs, ...(options ? { options } : {}) };
}

export function model(tensors: TfliteTensor[], operators: TfliteOperator[], inputs: number[], outputs: number[]): TfliteModel {
  return { source: 'hand-built.tflite', tensors, operators, inputs, outputs };
}

/** A 1x1 CONV_2D that copies `channels` channels: used to put a value in NCHW inside the ONNX graph. */
export function identityKernel(channels: number): Float32Array {
  const k = new Float32Array(channels * channels);
  for (let c = 0; c < channels; c++) k[c * channels + c] = 1;
  return k;
}

export const conv1x1 = (): OperatorOptions => ({ kind: 'conv2d', padding: 'VALID', strideW: 1, strideH: 1, activation: 'NONE', dilationW: 1, dilationH: 1 });

/** Converts and runs a model on float32 inputs (NHWC, by TFLite name); returns every output. */
export async function runConverted(m: TfliteModel, feeds: Record<string, { data: number[] | Float32Array; dims: number[] }>): Promise<Record<string, { data: number[]; dims: number[] }>> {
  const { bytes } = convertTfliteToOnnx(m);
  const session = await ort.InferenceSession.create(bytes);
  try {
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, f] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor('float32', Float32Array.from(f.data), f.dims);
    const result = await session.run(ortFeeds);
    const out: Record<string, { data: number[]; dims: number[] }> = {};
    for (const [name, t] of Object.entries(result)) out[name] = { data: Array.from(t.data as Float32Array), dims: [...t.dims] };
    return out;
  } finally {
    await session.release();
  }
}

/** Asserts two number lists agree within `tolerance`, saying where they differ. */
export function assertClose(actual: readonly number[], expected: readonly number[], tolerance = 1e-5): void {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length}, expected ${expected.length}: [${actual.join(', ')}]`);
  actual.forEach((v, i) => {
    const e = expected[i] ?? NaN;
    if (!(Math.abs(v - e) <= tolerance)) throw new Error(`value ${i} is ${v}, expected ${e}; got [${actual.join(', ')}]`);
  });
}

let modelsDir: Promise<string> | undefined;

/** A temporary models folder with the three real models prepared (once per test file). */
export function preparedModelsDir(): Promise<string> {
  modelsDir ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'framefuse-tflite-'));
    for (const id of ['blazeface_short', 'blazeface_full', 'facemesh'] as TfliteModelId[]) await prepareTfliteModel(id, { modelsDir: dir });
    return dir;
  })();
  return modelsDir;
}
