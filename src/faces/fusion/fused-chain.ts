/**
 * A Swapper and a face-mode Enhancer running as one composed model. Per batch, every face
 * of every frame gives four inputs (its arcface_128 crop, the source vector, its original
 * ffhq_512 crop, and theta between the two crops); one session run gives the finished
 * ffhq_512 face and the mask it is pasted through, once.
 */
import type { Face, Frame } from '../../model/port-values.js';
import type { ModelSession } from '../../runtime/model-session.js';
import { alignmentFor, pasteBack, tensorToCrop, warpToTensor } from '../geometry/index.js';
import { faceChunks, faceJobs } from '../swap/face-batches.js';
import { FrameCopies } from '../swap/swap-faces.js';
import { extraFeeds } from '../enhance/enhance-faces.js';
import { CHAIN_IN, type ChainInputs } from './compose-chain.js';
import { CHAIN_TAIL } from './chain-tail-model.js';
import { cropTheta, writeTheta } from './crop-theta.js';
import { FACE_CROP, SWAP_CROP, WARP_BLEND } from './warp-blend-model.js';
import { scratchFor } from '../../runtime/scratch-buffer.js';

export interface ChainSettings {
  /** The swapper's `source` vector. */
  source: Float32Array;
  swapWeight: number;
  /** 0..1 */
  blend: number;
  fidelity: number;
  swapMask: Float32Array;
  faceMask: Float32Array;
}

export type ChainSession = Pick<ModelSession, 'run'>;

export async function runFaceChain(
  session: ChainSession,
  names: ChainInputs,
  frames: readonly Frame[],
  facesPerFrame: readonly (readonly Face[] | undefined)[],
  settings: ChainSettings,
): Promise<Frame[]> {
  const small = 3 * SWAP_CROP * SWAP_CROP;
  const large = 3 * FACE_CROP * FACE_CROP;
  const maskPlane = FACE_CROP * FACE_CROP;
  const copies = new FrameCopies(frames);
  const constants = {
    [WARP_BLEND.swapMask]: { data: settings.swapMask, dims: [1, 1, SWAP_CROP, SWAP_CROP] },
    [CHAIN_TAIL.faceMask]: { data: settings.faceMask, dims: [1, 1, FACE_CROP, FACE_CROP] },
    [WARP_BLEND.swapWeight]: { data: new Float32Array([settings.swapWeight]), dims: [1] },
    [CHAIN_TAIL.blend]: { data: new Float32Array([settings.blend]), dims: [1] },
  };
  const extra = extraFeeds(
    names.extra.map((i) => ({ name: i.name, type: i.type ?? 'float32', dims: (i.dims ?? [1]).map((d) => (typeof d === 'number' ? d : 1)) })),
    settings.fidelity,
  );
  for (const chunk of faceChunks(faceJobs(facesPerFrame), null)) {
    const n = chunk.size;
    const targetScratch = scratchFor(session, CHAIN_IN.target);
    const cropScratch = scratchFor(session, WARP_BLEND.crop512);
    const target = targetScratch.take(n * small);
    const crop512 = cropScratch.take(n * large);
    const theta = new Float32Array(n * 6);
    const sources = new Float32Array(n * settings.source.length);
    const toFace = chunk.jobs.map((job, i) => {
      const frame = frames[job.frame]!;
      const m128 = alignmentFor(job.face.landmarks, 'arcface_128', SWAP_CROP);
      const m512 = alignmentFor(job.face.landmarks, 'ffhq_512', FACE_CROP);
      warpToTensor(frame, m128, SWAP_CROP, target, i * small);
      warpToTensor(frame, m512, FACE_CROP, crop512, i * large);
      writeTheta(theta, i, cropTheta(m128, m512));
      return m512;
    });
    for (let i = 0; i < n; i++) sources.set(settings.source, i * settings.source.length);
    let outputs;
    try {
      outputs = await session.run({
        [CHAIN_IN.target]: { data: target, dims: [n, 3, SWAP_CROP, SWAP_CROP] },
        [CHAIN_IN.source]: { data: sources, dims: [n, settings.source.length] },
        [WARP_BLEND.crop512]: { data: crop512, dims: [n, 3, FACE_CROP, FACE_CROP] },
        [WARP_BLEND.theta]: { data: theta, dims: [n, 2, 3] },
        ...constants,
        ...extra,
      });
    } finally {
      targetScratch.release(target);
      cropScratch.release(crop512);
    }
    const face = outputs[CHAIN_TAIL.face]?.data;
    const mask = outputs[CHAIN_TAIL.mask]?.data;
    if (!(face instanceof Float32Array) || !(mask instanceof Float32Array)) throw new Error('the composed face chain returned no face and mask');
    chunk.jobs.forEach((job, i) => {
      pasteBack(copies.writable(job.frame), tensorToCrop(face, i, FACE_CROP), FACE_CROP, toFace[i]!, mask.subarray(i * maskPlane, (i + 1) * maskPlane));
    });
  }
  return copies.result();
}
