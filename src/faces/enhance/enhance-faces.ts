/**
 * Face enhancement (GFPGAN 1.4, CodeFormer and models with their signature): every face
 * aligned to ffhq_512 (512x512, RGB in [-1,1]), run in padded batches, blended with its
 * original crop by the blend amount, pasted back through the box mask. CodeFormer's
 * fidelity input is fed in the element type the model declares (float64 in FaceFusion's
 * export).
 */
import { alignmentFor, normalizationOf, pasteBack, tensorToCrop, warpToTensor, type Affine } from '../geometry/index.js';
import { inputSpec, outputSpec } from '../../models/model-facts.js';
import type { Face, Frame } from '../../model/port-values.js';
import type { ModelSession } from '../../runtime/model-session.js';
import type { Feeds, TensorData } from '../../runtime/tensors.js';
import { faceChunks, faceJobs } from '../swap/face-batches.js';
import { fixedBatchOf } from '../../onnx/value-info.js';
import { FrameCopies } from '../swap/swap-faces.js';
import { scratchFor } from '../../runtime/scratch-buffer.js';

export const ENHANCE_SIZE = 512;
/** The face enhancer family's facts (every ffhq_512 enhancer takes and gives what GFPGAN does): the manifest's entry. */
export const ENHANCER_FACTS_MODEL = 'gfpgan_1.4';

export type EnhancerSession = Pick<ModelSession, 'inputs' | 'outputs' | 'run'>;

export interface EnhanceOptions {
  /** 0..1: 1 takes the enhanced crop, 0 keeps the original. */
  blend: number;
  /** The box mask (512x512, 0..1) the crop is pasted through. */
  mask: Float32Array;
  /** CodeFormer's fidelity (its `weight` input), 0..1. */
  fidelity: number;
}

/** The image input (4-D) and the other inputs (CodeFormer's `weight`) of an enhancer. */
export function enhancerInputs(session: Pick<ModelSession, 'inputs'>): { image: string; fixed: number | null; extra: { name: string; type: string; dims: number[] }[] } {
  const image = session.inputs.find((i) => i.dims?.length === 4);
  if (!image) throw new Error(`the enhancer needs a [N,3,512,512] input; it has ${session.inputs.map((i) => i.name).join(', ')}`);
  const extra = session.inputs
    .filter((i) => i !== image)
    .map((i) => ({ name: i.name, type: i.type ?? 'float32', dims: (i.dims ?? [1]).map((d) => (typeof d === 'number' ? d : 1)) }));
  return { image: image.name, fixed: fixedBatchOf(image.dims), extra };
}

/** Scalar feeds for the extra inputs (the fidelity), in the type each declares. */
export function extraFeeds(extra: ReturnType<typeof enhancerInputs>['extra'], fidelity: number): Feeds {
  const feeds: Feeds = {};
  for (const input of extra) {
    const count = input.dims.reduce((a, b) => a * b, 1);
    const data: TensorData['data'] = input.type === 'float64' ? new Float64Array(count).fill(fidelity) : new Float32Array(count).fill(fidelity);
    feeds[input.name] = { data, dims: input.dims };
  }
  return feeds;
}

export async function enhanceFaces(
  session: EnhancerSession,
  frames: readonly Frame[],
  facesPerFrame: readonly (readonly Face[] | undefined)[],
  options: EnhanceOptions,
): Promise<Frame[]> {
  const names = enhancerInputs(session);
  const plane = 3 * ENHANCE_SIZE * ENHANCE_SIZE;
  const copies = new FrameCopies(frames);
  const inNorm = normalizationOf(inputSpec(ENHANCER_FACTS_MODEL));
  const outNorm = normalizationOf(outputSpec(ENHANCER_FACTS_MODEL));
  for (const chunk of faceChunks(faceJobs(facesPerFrame), names.fixed)) {
    const scratch = scratchFor(session, names.image);
    const input = scratch.take(chunk.size * plane);
    const transforms: Affine[] = chunk.jobs.map((job, i) => {
      const m = alignmentFor(job.face.landmarks, 'ffhq_512', ENHANCE_SIZE);
      warpToTensor(frames[job.frame]!, m, ENHANCE_SIZE, input, i * plane, inNorm);
      return m;
    });
    const outputs = await session.run({
      [names.image]: { data: input, dims: [chunk.size, 3, ENHANCE_SIZE, ENHANCE_SIZE] },
      ...extraFeeds(names.extra, options.fidelity),
    });
    const enhanced = outputs[session.outputs[0]?.name ?? ''] ?? Object.values(outputs)[0];
    if (!enhanced || !(enhanced.data instanceof Float32Array)) throw new Error('the enhancer returned no float32 output');
    const out = enhanced.data;
    // Model outputs may leave [-1,1]; clamp before blending so the blend sees what a paste would.
    for (let i = 0; i < chunk.jobs.length * plane; i++) {
      const e = Math.min(1, Math.max(-1, out[i]!));
      out[i] = input[i]! * (1 - options.blend) + e * options.blend;
    }
    scratch.release(input); // after a failure it stays taken: later calls get fresh arrays
    chunk.jobs.forEach((job, i) => {
      pasteBack(copies.writable(job.frame), tensorToCrop(out, i, ENHANCE_SIZE, outNorm), ENHANCE_SIZE, transforms[i]!, options.mask);
    });
  }
  return copies.result();
}
