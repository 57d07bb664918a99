/**
 * Seeded inputs for numerical checks (batchify proofs, fp16 tolerance, tests): the same
 * seed gives the same tensors on every machine.
 */
import type { ElementType } from './proto.js';
import type { Dim, TensorInfo } from './value-info.js';

/** mulberry32: small, fast, good enough for test data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PlainTensor {
  type: ElementType;
  dims: number[];
  data: Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array;
}

/** Concrete dims for an input: symbolic or unknown dims become `batch` at position 0, else `free`. */
export function concreteDims(dims: readonly Dim[] | undefined, batch: number, free = 1): number[] {
  return (dims ?? []).map((d, i) => (typeof d === 'number' ? (i === 0 && d === 1 ? batch : d) : i === 0 ? batch : free));
}

/** Uniform [lo, hi) floats, zeros for integer and bool inputs (whose valid ranges are unknown). */
export function randomTensor(info: TensorInfo, dims: number[], random: () => number, range: [number, number] = [0, 1]): PlainTensor {
  const count = dims.reduce((a, b) => a * b, 1);
  const [lo, hi] = range;
  switch (info.type) {
    case 'float64':
      return { type: 'float64', dims, data: Float64Array.from({ length: count }, () => lo + (hi - lo) * random()) };
    case 'int64':
      return { type: 'int64', dims, data: new BigInt64Array(count) };
    case 'int32':
      return { type: 'int32', dims, data: new Int32Array(count) };
    case 'bool':
    case 'uint8':
      return { type: info.type, dims, data: new Uint8Array(count) };
    default:
      return { type: 'float32', dims, data: Float32Array.from({ length: count }, () => lo + (hi - lo) * random()) };
  }
}

/** Largest |a-b| and largest |b| over two arrays of equal length. */
export function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): { maxAbs: number; meanAbs: number; refMax: number } {
  let maxAbs = 0;
  let sum = 0;
  let refMax = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] ?? 0) - (b[i] ?? 0));
    if (!(d <= maxAbs)) maxAbs = Number.isNaN(d) ? Infinity : d;
    sum += Number.isNaN(d) ? Infinity : d;
    refMax = Math.max(refMax, Math.abs(b[i] ?? 0));
  }
  return { maxAbs, meanAbs: a.length > 0 ? sum / a.length : 0, refMax };
}
