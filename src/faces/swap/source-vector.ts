/**
 * inswapper's source input is not the ArcFace embedding itself but the embedding mapped
 * through the 512x512 matrix (emap) that the model file stores as its last initializer,
 * divided by the embedding's norm (InsightFace's and FaceFusion's convention).
 */
import { userError } from '../../errors.js';
import { graphOf } from '../../onnx/inspect.js';
import type { ModelProto, TensorProto } from '../../onnx/proto.js';
import { readTensor } from '../../onnx/tensor-data.js';

export const EMBEDDING_SIZE = 512;

/** The emap matrix (row-major 512x512): the model's last initializer. */
export function readEmap(model: ModelProto, file: string): Float32Array {
  const initializers = graphOf(model).initializer;
  const last = initializers[initializers.length - 1] as TensorProto | undefined;
  const value = last ? readTensor(last) : undefined;
  if (!value || value.type !== 'float32' || value.dims.length !== 2 || value.dims[0] !== EMBEDDING_SIZE || value.dims[1] !== EMBEDDING_SIZE) {
    throw userError(
      'FF_SWAPPER_NO_EMAP',
      `${file} has no 512x512 float32 emap as its last initializer (found ${value ? `${value.type} [${value.dims.join(',')}]` : 'none'}), so the source embedding cannot be mapped`,
      { fix: 'use an inswapper_128 export (framefuse models pull inswapper_128)' },
    );
  }
  return value.data as Float32Array;
}

/** The mean of several embeddings (several source images of one person). */
export function averageEmbedding(embeddings: readonly Float32Array[]): Float32Array {
  if (embeddings.length === 0) throw new RangeError('no embeddings to average');
  const mean = new Float32Array(embeddings[0]!.length);
  for (const e of embeddings) for (let i = 0; i < mean.length; i++) mean[i]! += e[i]! / embeddings.length;
  return mean;
}

/** embedding x emap / |embedding|: what inswapper takes as `source`. */
export function sourceVector(embedding: Float32Array, emap: Float32Array): Float32Array {
  const n = embedding.length;
  if (emap.length !== n * n) throw new RangeError(`emap has ${emap.length} values for an embedding of ${n}`);
  let norm = 0;
  for (let i = 0; i < n; i++) norm += embedding[i]! * embedding[i]!;
  norm = Math.sqrt(norm);
  if (!(norm > 0)) throw new RangeError('the source embedding is zero');
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const e = embedding[i]! / norm;
    const row = i * n;
    for (let j = 0; j < n; j++) out[j]! += e * emap[row + j]!;
  }
  return Float32Array.from(out);
}
