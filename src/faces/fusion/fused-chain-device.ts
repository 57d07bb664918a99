/**
 * The face chain on a GPU, frames in and frames out: per batch, the frames that have faces
 * go to the device once (8-bit), the crops are cut there (device-glue.ts), the chain runs
 * (composed, or chained with its values on the device), every face is pasted back there,
 * one slot at a time (slot j holds the j-th face of each frame, so overlapping faces are
 * pasted in the same order as on the host), and the frames come back once. The host only
 * computes the few numbers per face that place the crops (alignment, theta).
 */
import type { Face, Frame } from '../../model/port-values.js';
import { alignmentFor, invertAffine, type Affine } from '../geometry/index.js';
import { paddedBatchSize, LARGEST_BATCH } from '../../plan/batch-sizes.js';
import type { SessionChain, ChainStep } from '../../runtime/session-chain.js';
import type { Feeds } from '../../runtime/tensors.js';
import { extraFeeds } from '../enhance/enhance-faces.js';
import { CHAIN_IN, type ChainInputs } from './compose-chain.js';
import { CHAIN_TAIL } from './chain-tail-model.js';
import { cropTheta, writeTheta } from './crop-theta.js';
import { GLUE } from './device-glue.js';
import type { ChainSettings } from './fused-chain.js';
import { FACE_CROP, SWAP_CROP, WARP_BLEND } from './warp-blend-model.js';

/** The chain's sessions by part name ('chain' when composed), plus the paste and download glue. */
export interface DeviceChainSessions {
  chain: SessionChain;
  /** The core's models in run order (one when composed). */
  core: readonly string[];
}

interface Group {
  /** Indices (into the batch) of the frames that have faces. */
  frames: number[];
  /** Faces per frame of the group, in the group's frame order. */
  faces: (readonly Face[])[];
}

/** Frames with faces, cut into groups of at most LARGEST_BATCH faces (a group is one chain run). */
function groups(facesPerFrame: readonly (readonly Face[] | undefined)[]): Group[] {
  const out: Group[] = [];
  let current: Group = { frames: [], faces: [] };
  let count = 0;
  facesPerFrame.forEach((faces, i) => {
    const list = faces ?? [];
    if (list.length === 0) return;
    if (count > 0 && count + list.length > LARGEST_BATCH) {
      out.push(current);
      current = { frames: [], faces: [] };
      count = 0;
    }
    current.frames.push(i);
    current.faces.push(list.slice(0, LARGEST_BATCH));
    count += Math.min(list.length, LARGEST_BATCH);
  });
  if (count > 0) out.push(current);
  return out;
}

/** The map from frame pixels to GridSample's [-1,1] coordinates in a `size` crop (align_corners=1). */
function normalizedToCrop(m: Affine, size: number): Affine {
  const k = 2 / (size - 1);
  return [m[0] * k, m[1] * k, m[2] * k - 1, m[3] * k, m[4] * k, m[5] * k - 1];
}

export async function runFaceChainOnDevice(
  sessions: DeviceChainSessions,
  names: ChainInputs,
  frames: readonly Frame[],
  facesPerFrame: readonly (readonly Face[] | undefined)[],
  settings: ChainSettings,
): Promise<Frame[]> {
  const result = [...frames];
  const constants: Feeds = {
    [WARP_BLEND.swapMask]: { data: settings.swapMask, dims: [1, 1, SWAP_CROP, SWAP_CROP] },
    [CHAIN_TAIL.faceMask]: { data: settings.faceMask, dims: [1, 1, FACE_CROP, FACE_CROP] },
    [WARP_BLEND.swapWeight]: { data: new Float32Array([settings.swapWeight]), dims: [1] },
    [CHAIN_TAIL.blend]: { data: new Float32Array([settings.blend]), dims: [1] },
    ...extraFeeds(
      names.extra.map((i) => ({ name: i.name, type: i.type ?? 'float32', dims: (i.dims ?? [1]).map((d) => (typeof d === 'number' ? d : 1)) })),
      settings.fidelity,
    ),
  };
  for (const group of groups(facesPerFrame)) {
    const first = frames[group.frames[0]!]!;
    const { width: w, height: h } = first;
    const f = group.frames.length;
    const upload = new Uint8Array(f * w * h * 3);
    group.frames.forEach((index, i) => {
      const frame = frames[index]!;
      if (frame.width !== w || frame.height !== h) throw new Error(`frames of one batch differ in size (${w}x${h} and ${frame.width}x${frame.height})`);
      upload.set(frame.data, i * w * h * 3);
    });
    const count = group.faces.reduce((sum, list) => sum + list.length, 0);
    // Padded to a size of the set: every new shape costs the GPU providers a re-plan.
    const n = paddedBatchSize(count);
    const theta128 = new Float32Array(n * 6);
    const theta512 = new Float32Array(n * 6);
    const theta = new Float32Array(n * 6);
    const shift = new Float32Array(n * 2);
    const sources = new Float32Array(n * settings.source.length);
    const toFace: Affine[] = [];
    let k = 0;
    group.faces.forEach((list, frame) => {
      for (const face of list) {
        const m128 = alignmentFor(face.landmarks, 'arcface_128', SWAP_CROP);
        const m512 = alignmentFor(face.landmarks, 'ffhq_512', FACE_CROP);
        writeTheta(theta128, k, invertAffine(m128));
        writeTheta(theta512, k, invertAffine(m512));
        writeTheta(theta, k, cropTheta(m128, m512));
        shift[k * 2] = frame * w;
        toFace.push(m512);
        k++;
      }
    });
    // Padding faces crop the first frame's corner; their results are never pasted.
    for (; k < n; k++) {
      writeTheta(theta128, k, [1, 0, 0, 0, 1, 0]);
      writeTheta(theta512, k, [1, 0, 0, 0, 1, 0]);
      writeTheta(theta, k, [4, 0, 0, 0, 4, 0]);
    }
    for (let i = 0; i < n; i++) sources.set(settings.source, i * settings.source.length);

    // Slot j: the j-th face of each frame (frames with fewer faces take no part in it).
    const slots = Math.max(...group.faces.map((list) => list.length));
    const feeds: Feeds = {
      ...constants,
      [GLUE.frames]: { data: upload, dims: [f, h, w, 3], type: 'uint8' },
      [GLUE.cropTheta128]: { data: theta128, dims: [n, 2, 3] },
      [GLUE.cropTheta512]: { data: theta512, dims: [n, 2, 3] },
      [GLUE.cropShift]: { data: shift, dims: [n, 1, 2] },
      [GLUE.cropLimit]: { data: Float32Array.from([w - 1, h - 1]), dims: [2] },
      [GLUE.cropNorm]: { data: Float32Array.from([2 / Math.max(1, f * w - 1), 2 / Math.max(1, h - 1)]), dims: [2] },
      [CHAIN_IN.source]: { data: sources, dims: [n, settings.source.length] },
      [WARP_BLEND.theta]: { data: theta, dims: [n, 2, 3] },
    };
    const steps: ChainStep[] = sessions.core.map((model) => ({ model }));
    let frameValue: string = GLUE.framesF;
    for (let j = 0; j < slots; j++) {
      const slotFace = new BigInt64Array(f);
      const slotOn = new Float32Array(f);
      const slotTheta = new Float32Array(f * 6);
      let offset = 0;
      group.faces.forEach((list, frame) => {
        if (j < list.length) {
          slotFace[frame] = BigInt(offset + j);
          slotOn[frame] = 1;
          writeTheta(slotTheta, frame, normalizedToCrop(toFace[offset + j]!, FACE_CROP));
        } else {
          writeTheta(slotTheta, frame, [0, 0, -2, 0, 0, -2]); // far outside the crop: nothing is sampled
        }
        offset += list.length;
      });
      feeds[`${GLUE.slotFace}_${j}`] = { data: slotFace, dims: [f], type: 'int64' };
      feeds[`${GLUE.slotOn}_${j}`] = { data: slotOn, dims: [f, 1, 1, 1] };
      feeds[`${GLUE.slotTheta}_${j}`] = { data: slotTheta, dims: [f, 2, 3] };
      const next = `${GLUE.pasted}_${j}`;
      steps.push({
        model: 'paste',
        inputs: { [GLUE.framesF]: frameValue, [GLUE.slotFace]: `${GLUE.slotFace}_${j}`, [GLUE.slotOn]: `${GLUE.slotOn}_${j}`, [GLUE.slotTheta]: `${GLUE.slotTheta}_${j}` },
        outputs: { [GLUE.pasted]: next },
      });
      frameValue = next;
    }
    steps.push({ model: 'download', inputs: { [GLUE.framesF]: frameValue } });
    const outputs = await sessions.chain.run(feeds, [GLUE.framesOut], steps);
    const pasted = outputs[GLUE.framesOut]?.data;
    if (!(pasted instanceof Uint8Array) || pasted.length !== upload.length) throw new Error('the face chain returned no frames of the size it was given');
    group.frames.forEach((index, i) => {
      result[index] = { width: w, height: h, data: pasted.slice(i * w * h * 3, (i + 1) * w * h * 3) };
    });
  }
  return result;
}
