/**
 * The weights of a layers model: each weights-manifest group's shards, concatenated in
 * order, hold that group's tensors back to back (little-endian, in manifest order).
 */
import { userError } from '../../errors.js';
import type { LayersModelJson } from './model-json.js';

/** One weight tensor, Keras layout (a Conv2D kernel is [kh, kw, in, out]). */
export interface WeightTensor {
  shape: number[];
  data: Float32Array;
}

/** Weights by their manifest name (`F_0/kernel`). */
export type WeightMap = Map<string, WeightTensor>;

/** The bytes of one shard, with its path for messages. */
export interface Shard {
  path: string;
  bytes: Uint8Array;
}

/**
 * Splits the shards into named float32 tensors. `shards[g][i]` is path `i` of manifest
 * group `g`.
 * @throws FF_TFJS_CORRUPT_WEIGHTS when the byte counts do not add up, FF_TFJS_UNSUPPORTED
 * for dtypes or quantization the converter does not read.
 */
export function readWeights(model: LayersModelJson, shards: Shard[][], modelFile: string): WeightMap {
  const weights: WeightMap = new Map();
  model.weightsManifest.forEach((group, g) => {
    const parts = shards[g] ?? [];
    const size = parts.reduce((sum, s) => sum + s.bytes.byteLength, 0);
    const names = parts.map((s) => s.path).join(' + ') || group.paths.join(' + ');
    const need = group.weights.reduce((sum, w) => sum + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
    for (const w of group.weights) {
      if (w.dtype !== 'float32' || w.quantization !== undefined) {
        throw userError('FF_TFJS_UNSUPPORTED', `${modelFile}: weight ${w.name} is ${w.dtype}${w.quantization ? ' (quantized)' : ''}; the converter reads float32 weights only`);
      }
    }
    if (size !== need) {
      throw userError('FF_TFJS_CORRUPT_WEIGHTS', `${names} holds ${size} bytes, but ${modelFile} lists ${group.weights.length} float32 weights needing ${need} bytes`, {
        fix: 'the weight files do not belong to this model.json, or were cut short: reinstall the package',
      });
    }
    // One contiguous, aligned copy: shards may split a tensor between files.
    const all = new Uint8Array(size);
    let at = 0;
    for (const s of parts) {
      all.set(s.bytes, at);
      at += s.bytes.byteLength;
    }
    const view = new DataView(all.buffer);
    let offset = 0;
    for (const w of group.weights) {
      const count = w.shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat32(offset + 4 * i, true);
      offset += 4 * count;
      if (weights.has(w.name)) throw userError('FF_TFJS_CORRUPT_MODEL', `${modelFile} lists the weight ${w.name} twice`);
      weights.set(w.name, { shape: [...w.shape], data });
    }
  });
  return weights;
}
