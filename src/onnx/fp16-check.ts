/**
 * The tolerance check behind toFp16: seeded inputs through the float32 and the float16
 * model, outputs compared. The stated tolerance: max |fp16 - fp32| <= 0.02 * scale and
 * mean |fp16 - fp32| <= 0.002 * scale, where scale = max(1, max |fp32|). float16 keeps
 * about 3 significant digits; a deep network may drift to 1e-2 in its worst pixel but
 * not on average.
 */
import ort from './ort.js';
import { userError } from '../errors.js';
import { graphOf, realInputs } from './inspect.js';
import { encodeModel } from './model-io.js';
import type { ModelProto } from './proto.js';
import { concreteDims, maxDifference, randomTensor, seededRandom } from './random-feeds.js';

export interface Fp16Tolerance {
  maxAbs: number;
  meanAbs: number;
}

export const DEFAULT_FP16_TOLERANCE: Fp16Tolerance = { maxAbs: 0.02, meanAbs: 0.002 };

export interface Fp16Comparison {
  /** Per output: worst and mean absolute difference, and the fp32 output's largest magnitude. */
  outputs: Record<string, { maxAbs: number; meanAbs: number; refMax: number }>;
  tolerance: Fp16Tolerance;
  withinTolerance: boolean;
}

export async function compareFp16(
  fp32: ModelProto,
  fp16: ModelProto,
  options: { tolerance?: Fp16Tolerance; seed?: number; freeDim?: number } = {},
): Promise<Fp16Comparison> {
  const tolerance = options.tolerance ?? DEFAULT_FP16_TOLERANCE;
  const random = seededRandom(options.seed ?? 99);
  const sessionOptions = { executionProviders: ['cpu'], intraOpNumThreads: 1, logSeverityLevel: 3 as const };
  const a = await ort.InferenceSession.create(encodeModel(fp32), sessionOptions);
  const b = await ort.InferenceSession.create(encodeModel(fp16), sessionOptions);
  try {
    const feeds: Record<string, ort.Tensor> = {};
    for (const input of realInputs(graphOf(fp32))) {
      const t = randomTensor(input, concreteDims(input.dims, 1, options.freeDim ?? 32), random);
      feeds[input.name] = new ort.Tensor(t.type as ort.Tensor.Type, t.data as never, t.dims);
    }
    const ra = await a.run(feeds);
    const rb = await b.run(feeds);
    const outputs: Fp16Comparison['outputs'] = {};
    let ok = true;
    for (const [name, ref] of Object.entries(ra)) {
      const got = rb[name];
      if (!got) throw new Error(`the float16 model lost output ${name}`);
      const d = maxDifference(Array.from(got.data as Float32Array, Number), Array.from(ref.data as Float32Array, Number));
      outputs[name] = d;
      const scale = Math.max(1, d.refMax);
      if (!(d.maxAbs <= tolerance.maxAbs * scale && d.meanAbs <= tolerance.meanAbs * scale)) ok = false;
    }
    return { outputs, tolerance, withinTolerance: ok };
  } finally {
    await a.release();
    await b.release();
  }
}

/** toFp16 checked: throws FF_FP16_OUT_OF_TOLERANCE with the numbers when the converted model drifts too far. */
export async function assertFp16WithinTolerance(fp32: ModelProto, fp16: ModelProto, tolerance?: Fp16Tolerance): Promise<Fp16Comparison> {
  const comparison = await compareFp16(fp32, fp16, tolerance ? { tolerance } : {});
  if (!comparison.withinTolerance) {
    const details = Object.entries(comparison.outputs)
      .map(([name, d]) => `${name}: max ${d.maxAbs.toExponential(2)}, mean ${d.meanAbs.toExponential(2)} (|ref| up to ${d.refMax.toFixed(3)})`)
      .join('; ');
    throw userError('FF_FP16_OUT_OF_TOLERANCE', `the float16 model differs from the float32 one beyond tolerance (${details})`, {
      fix: 'keep more operators in float32 (toFp16 keepFloat32 option), or run the float32 model',
    });
  }
  return comparison;
}
