/**
 * Detection with the canvas detectors (RetinaFace, SCRFD, YOLOFace): letterbox a batch
 * of frames, one session run per chunk, decode each image's share of the outputs,
 * threshold, NMS, back to frame pixels.
 */
import type { ModelSession } from '../../runtime/model-session.js';
import type { Outputs } from '../../runtime/tensors.js';
import type { Face, Frame } from '../../model/port-values.js';
import { nms } from './nms.js';
import { toFrameFace, type Candidate } from './candidate.js';
import { canvasBatch, canvasSize } from './canvas-input.js';
import type { DetectorModelInfo } from './detector-models.js';
import { decodeRetinaFace, retinaFacePriors } from './retinaface-decode.js';
import { decodeScrfd } from './scrfd-decode.js';
import { decodeYoloFace } from './yoloface-decode.js';
import { scratchFor } from '../../runtime/scratch-buffer.js';
import { isLetterboxed, letterboxedFeeds, sameSizeRuns } from './device-letterbox.js';
import type { Letterbox } from '../yunet/letterbox.js';

export type CanvasSession = Pick<ModelSession, 'inputs' | 'outputs' | 'run'>;

export interface CanvasDetectOptions {
  scoreThreshold: number;
  nmsIou: number;
  maxFaces: number;
  /** Longest canvas side for a model with a free input size. */
  detectionSize: number;
}

function floatsInOrder(session: CanvasSession, outputs: Outputs): Float32Array[] {
  return session.outputs.map((info) => {
    const t = outputs[info.name];
    if (!t || !(t.data instanceof Float32Array)) throw new Error(`output ${info.name} is missing or not float32`);
    return t.data;
  });
}

/** RetinaFace's three outputs told apart by their last dimension (4, 2, 10). */
function retinaOutputs(all: Float32Array[], session: CanvasSession, outputs: Outputs) {
  const byLast = (k: number): Float32Array => {
    const i = session.outputs.findIndex((o) => outputs[o.name]?.dims.at(-1) === k);
    if (i < 0) throw new Error(`RetinaFace needs outputs [N,P,4], [N,P,2], [N,P,10]; got ${session.outputs.map((o) => `[${outputs[o.name]?.dims.join(',')}]`).join(', ')}`);
    return all[i]!;
  };
  return { loc: byLast(4), conf: byLast(2), landmarks: byLast(10) };
}

/** Faces per frame, best first. `info.input` must be set (the canvas families all have one). */
export async function detectOnCanvas(session: CanvasSession, info: DetectorModelInfo, frames: readonly Frame[], options: CanvasDetectOptions): Promise<Face[][]> {
  if (frames.length === 0) return [];
  const norm = info.input;
  if (!norm) throw new Error(`${info.id} is not a canvas detector`);
  // A letterboxed session takes frames; the canvas is its detector's own input.
  const inputDims = isLetterboxed(session) ? session.letterbox.image.dims : session.inputs[0]?.dims;
  const { width, height } = canvasSize(inputDims, frames, options.detectionSize);
  const maxBatch = typeof inputDims?.[0] === 'number' ? inputDims[0] : frames.length;
  const priors = info.family === 'retinaface' ? retinaFacePriors(width, height) : null;
  const inputName = session.inputs[0]?.name ?? 'input';
  const result: Face[][] = [];
  const decode = (chunk: readonly Frame[], outputs: Outputs, boxes: readonly Letterbox[]) => {
    const all = floatsInOrder(session, outputs);
    const retina = priors ? retinaOutputs(all, session, outputs) : null;
    chunk.forEach((frame, i) => {
      let candidates: Candidate[];
      if (retina && priors) candidates = decodeRetinaFace(retina, priors, i, chunk.length, options.scoreThreshold);
      else if (info.family === 'scrfd') candidates = decodeScrfd(all, i, chunk.length, width, height, options.scoreThreshold);
      else candidates = decodeYoloFace(all[0]!, i, chunk.length, options.scoreThreshold);
      const kept = nms(candidates, options.nmsIou, options.maxFaces);
      result.push(kept.map((c) => toFrameFace(c, boxes[i]!.scale, frame)));
    });
  };
  for (let start = 0; start < frames.length; start += maxBatch) {
    const chunk = frames.slice(start, start + maxBatch);
    if (isLetterboxed(session)) {
      // On the device: the frames go in as bytes, the glue in front of the model letterboxes them.
      for (const run of sameSizeRuns(chunk)) {
        const { feeds, boxes } = letterboxedFeeds(run.frames, { width, height });
        decode(run.frames, await session.run(feeds), boxes);
      }
      continue;
    }
    const scratch = scratchFor(session);
    const input = canvasBatch(chunk, width, height, norm, scratch.take(chunk.length * 3 * width * height));
    let outputs;
    try {
      outputs = await session.run({ [inputName]: { data: input.data, dims: input.dims } });
    } finally {
      scratch.release(input.data);
    }
    decode(chunk, outputs, input.boxes);
  }
  return result;
}
