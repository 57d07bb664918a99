/**
 * The numerical proof behind batchify: with seeded random inputs, one run at batch N must
 * equal N runs of the original model at batch 1, output by output, within
 * |batched - single| <= atol + rtol * |single| (defaults 1e-4 and 1e-3: float32 kernels
 * may sum in a different order at another batch size, nothing more).
 */
import ort from './ort.js';
import { userError } from '../errors.js';
import { batchifyModel } from './batchify.js';
import type { BatchifyOptions, BatchifyReport } from './batchify.js';
import { graphOf, realInputs } from './inspect.js';
import { encodeModel } from './model-io.js';
import type { ModelProto } from './proto.js';
import { concreteDims, randomTensor, seededRandom } from './random-feeds.js';
import type { PlainTensor } from './random-feeds.js';

export interface ProofOptions {
  /** Batch sizes to check. Default [3]. */
  batchSizes?: number[];
  atol?: number;
  rtol?: number;
  seed?: number;
  /** Size used for symbolic non-batch dims (e.g. a free height). Default 32. */
  freeDim?: number;
}

export interface BatchifyProof {
  batchSizes: number[];
  atol: number;
  rtol: number;
  /** Worst |batched - single| over all outputs and sizes. */
  maxAbsDiff: number;
}

function fail(reason: string, report: BatchifyReport): never {
  throw userError('FF_BATCHIFY_UNPROVEN', `batchify could not be proven: ${reason}`, {
    fix: `rewrites tried: ${report.rewrites.join('; ') || 'none'}. Run this model at batch 1 (set the Batcher's size to 1), or re-export it with a dynamic batch axis`,
  });
}

function slice(t: PlainTensor, index: number): ort.Tensor {
  const per = t.data.length / (t.dims[0] ?? 1);
  const data = t.data.slice(index * per, (index + 1) * per);
  return new ort.Tensor(t.type as ort.Tensor.Type, data as never, [1, ...t.dims.slice(1)]);
}

/** Checks a batchify rewrite numerically; throws FF_BATCHIFY_UNPROVEN with the reason when it does not hold. */
export async function proveBatchify(original: ModelProto, report: BatchifyReport, options: ProofOptions = {}): Promise<BatchifyProof> {
  const batchSizes = options.batchSizes ?? [3];
  const atol = options.atol ?? 1e-4;
  const rtol = options.rtol ?? 1e-3;
  const random = seededRandom(options.seed ?? 1234);
  const options1 = { executionProviders: ['cpu'], intraOpNumThreads: 1, logSeverityLevel: 3 as const };
  let single: ort.InferenceSession;
  let batched: ort.InferenceSession;
  try {
    single = await ort.InferenceSession.create(encodeModel(original), options1);
  } catch (error) {
    fail(`the original model does not load (${(error as Error).message.split('\n')[0]})`, report);
  }
  try {
    batched = await ort.InferenceSession.create(encodeModel(report.model), options1);
  } catch (error) {
    await single.release();
    fail(`the rewritten model does not load (${(error as Error).message.split('\n')[0]})`, report);
  }
  const inputs = realInputs(graphOf(original));
  let worst = 0;
  try {
    for (const n of batchSizes) {
      const feeds: Record<string, PlainTensor> = {};
      for (const input of inputs) {
        const isBatched = report.batchedInputs.includes(input.name);
        feeds[input.name] = randomTensor(input, concreteDims(input.dims, isBatched ? n : 1, options.freeDim ?? 32), random);
      }
      let result: ort.InferenceSession.ReturnType;
      try {
        result = await batched.run(
          Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, new ort.Tensor(t.type as ort.Tensor.Type, t.data as never, t.dims)])),
        );
      } catch (error) {
        fail(`a batch of ${n} fails to run (${(error as Error).message.split('\n')[0]})`, report);
      }
      for (let i = 0; i < n; i++) {
        const one = await single.run(
          Object.fromEntries(
            Object.entries(feeds).map(([k, t]) => [k, report.batchedInputs.includes(k) ? slice(t, i) : new ort.Tensor(t.type as ort.Tensor.Type, t.data as never, t.dims)]),
          ),
        );
        for (const [name, expected] of Object.entries(one)) {
          const got = result[name];
          if (!got) fail(`output ${name} is missing from the batched run`, report);
          if (got.dims[0] !== n) fail(`output ${name} has ${got.dims[0]} rows for a batch of ${n} ([${got.dims.join(',')}])`, report);
          const per = expected.data.length;
          if (got.data.length !== per * n) fail(`output ${name} has ${got.data.length} values for a batch of ${n}, expected ${per * n}`, report);
          const want = expected.data as Float32Array;
          const have = got.data as Float32Array;
          for (let j = 0; j < per; j++) {
            const w = Number(want[j]);
            const diff = Math.abs(Number(have[i * per + j]) - w);
            if (!(diff <= atol + rtol * Math.abs(w))) {
              fail(`output ${name}, sample ${i} of ${n}: value ${j} is ${Number(have[i * per + j])}, batch-1 gives ${w} (|diff| ${diff} > ${atol} + ${rtol}*|ref|)`, report);
            }
            worst = Math.max(worst, diff);
          }
        }
      }
    }
  } finally {
    await single.release();
    await batched.release();
  }
  return { batchSizes, atol, rtol, maxAbsDiff: worst };
}

/** batchifyModel + proveBatchify: a rewrite that is returned has been checked. */
export async function batchifyProven(model: ModelProto, options: BatchifyOptions & ProofOptions = {}): Promise<BatchifyReport & { proof: BatchifyProof }> {
  const report = batchifyModel(model, options);
  const proof = await proveBatchify(model, report, options);
  return { ...report, proof };
}
