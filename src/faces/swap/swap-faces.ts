/**
 * Swapping faces, node by node: every face of every frame of the batch is aligned to
 * arcface_128 (128x128, RGB 0..1), the crops go through inswapper in padded batches with
 * the source vector repeated, each result is blended with its original crop by the swap
 * weight and pasted back through the box mask. A frame is copied once and all its faces
 * are pasted into the copy; frames without faces are passed on as they came.
 */
import { alignmentFor, normalizationOf, pasteBack, tensorToCrop, warpToTensor, type Affine } from '../geometry/index.js';
import { inputSpec, outputSpec } from '../../models/model-facts.js';
import type { Face, Frame } from '../../model/port-values.js';
import type { ModelSession } from '../../runtime/model-session.js';
import { faceChunks, faceJobs, type FaceJob } from './face-batches.js';
import { fixedBatchOf } from '../../onnx/value-info.js';

export const SWAP_SIZE = 128;
/** The swap family's facts (every swapper takes and gives what inswapper_128 does): the manifest's entry. */
export const SWAPPER_FACTS_MODEL = 'inswapper_128';

export type SwapperSession = Pick<ModelSession, 'inputs' | 'outputs' | 'run'>;

export interface SwapOptions {
  /** 0..1: 1 takes the swapped crop, 0 keeps the original. */
  weight: number;
  /** The box mask (128x128, 0..1) the crop is pasted through. */
  mask: Float32Array;
}

/** The names of inswapper's inputs: the 4-D one is the target crop, the 2-D one the source vector. */
export function swapperInputs(session: Pick<ModelSession, 'inputs'>): { target: string; source: string; fixed: number | null } {
  const target = session.inputs.find((i) => i.dims?.length === 4);
  const source = session.inputs.find((i) => i.dims?.length === 2);
  if (!target || !source) throw new Error(`the swapper needs a [N,3,128,128] target and a [N,512] source input; it has ${session.inputs.map((i) => i.name).join(', ')}`);
  return { target: target.name, source: source.name, fixed: fixedBatchOf(target.dims) };
}

/** Copies of frames, made on first write only: a node must not change what it received. */
export class FrameCopies {
  private readonly copies = new Map<number, Frame>();
  constructor(private readonly frames: readonly Frame[]) {}
  writable(index: number): Frame {
    let copy = this.copies.get(index);
    if (!copy) {
      const f = this.frames[index]!;
      copy = { width: f.width, height: f.height, data: f.data.slice() };
      this.copies.set(index, copy);
    }
    return copy;
  }
  result(): Frame[] {
    return this.frames.map((f, i) => this.copies.get(i) ?? f);
  }
}

export async function swapFaces(
  session: SwapperSession,
  frames: readonly Frame[],
  facesPerFrame: readonly (readonly Face[] | undefined)[],
  source: Float32Array,
  options: SwapOptions,
): Promise<Frame[]> {
  const names = swapperInputs(session);
  const plane = 3 * SWAP_SIZE * SWAP_SIZE;
  const copies = new FrameCopies(frames);
  const inNorm = normalizationOf(inputSpec(SWAPPER_FACTS_MODEL));
  const outNorm = normalizationOf(outputSpec(SWAPPER_FACTS_MODEL));
  for (const chunk of faceChunks(faceJobs(facesPerFrame), names.fixed)) {
    const target = new Float32Array(chunk.size * plane);
    const sources = new Float32Array(chunk.size * source.length);
    const transforms: Affine[] = chunk.jobs.map((job: FaceJob, i) => {
      const m = alignmentFor(job.face.landmarks, 'arcface_128', SWAP_SIZE);
      warpToTensor(frames[job.frame]!, m, SWAP_SIZE, target, i * plane, inNorm);
      return m;
    });
    for (let i = 0; i < chunk.size; i++) sources.set(source, i * source.length);
    const outputs = await session.run({
      [names.target]: { data: target, dims: [chunk.size, 3, SWAP_SIZE, SWAP_SIZE] },
      [names.source]: { data: sources, dims: [chunk.size, source.length] },
    });
    const swapped = outputs[session.outputs[0]?.name ?? ''] ?? Object.values(outputs)[0];
    if (!swapped || !(swapped.data instanceof Float32Array)) throw new Error('the swapper returned no float32 output');
    const out = swapped.data;
    if (options.weight < 1) {
      for (let i = 0; i < chunk.jobs.length * plane; i++) out[i] = target[i]! * (1 - options.weight) + out[i]! * options.weight;
    }
    chunk.jobs.forEach((job, i) => {
      pasteBack(copies.writable(job.frame), tensorToCrop(out, i, SWAP_SIZE, outNorm), SWAP_SIZE, transforms[i]!, options.mask);
    });
  }
  return copies.result();
}
