/** Small helpers shared by the ONNX toolkit tests: run a model on the CPU and read outputs. */
import ort from 'onnxruntime-node';
import { encodeModel } from '../../src/onnx/model-io.js';
import type { ModelProto } from '../../src/onnx/proto.js';

export type Feeds = Record<string, { data: Float32Array; dims: number[] }>;

export async function runModel(model: ModelProto | Uint8Array, feeds: Feeds): Promise<Record<string, { data: Float32Array; dims: number[] }>> {
  const bytes = model instanceof Uint8Array ? model : encodeModel(model);
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: 1 });
  try {
    const result = await session.run(
      Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, new ort.Tensor('float32', v.data, v.dims)])),
    );
    return Object.fromEntries(Object.entries(result).map(([k, t]) => [k, { data: t.data as Float32Array, dims: [...t.dims] }]));
  } finally {
    await session.release();
  }
}

export function filled(count: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: count }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  });
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return worst;
}
