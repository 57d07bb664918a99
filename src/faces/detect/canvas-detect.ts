/**
 * Detection on a letterboxed canvas, shared by the canvas families (YuNet, RetinaFace,
 * SCRFD, YOLOFace): letterbox a batch of frames (on the host, or on the device when the
 * session has the letterbox linked in front), one session run per chunk, the family's
 * decoder on each image's share of the outputs, threshold, NMS, back to frame pixels.
 */
import type { ModelSession } from '../../runtime/model-session.js';
import type { Outputs } from '../../runtime/tensors.js';
import type { Face, Frame } from '../../model/port-values.js';
import type { Letterbox, PixelNormalization } from '../geometry/index.js';
import { nms } from './nms.js';
import { toFrameFace, type Candidate } from './candidate.js';
import { canvasBatch, canvasSize } from './canvas-input.js';
import { scratchFor } from '../../runtime/scratch-buffer.js';
import { isLetterboxed, letterboxedFeeds, sameSizeRuns } from './device-letterbox.js';

export type CanvasSession = Pick<ModelSession, 'inputs' | 'run'>;

export interface CanvasDetectOptions {
  scoreThreshold: number;
  nmsIou: number;
  maxFaces: number;
  /** Longest canvas side for a model with a free input size. */
  detectionSize: number;
  /** Frames per session run when the model takes any batch. Default: all the frames given. */
  batchSize?: number;
}

/** The canvas a batch runs on. */
export interface Canvas {
  width: number;
  height: number;
}

/** A family's decoder for one canvas: the candidates of image `index` of a batch of `batch`, in canvas pixels. */
export type CanvasDecoder = (outputs: Outputs, index: number, batch: number, scoreThreshold: number) => Candidate[];

/** Makes the decoder for a canvas (once per call: priors and grids depend on the canvas). */
export type CanvasDecoding<S extends CanvasSession = Pick<ModelSession, 'inputs' | 'outputs' | 'run'>> = (session: S, canvas: Canvas) => CanvasDecoder;

/** Faces per frame, best first. `name` says which detector in errors. */
export async function detectOnCanvas<S extends CanvasSession>(
  name: string,
  session: S,
  norm: PixelNormalization,
  frames: readonly Frame[],
  options: CanvasDetectOptions,
  decoding: CanvasDecoding<S>,
): Promise<Face[][]> {
  if (frames.length === 0) return [];
  // A letterboxed session takes frames; the canvas is its detector's own input.
  const dims = isLetterboxed(session) ? session.letterbox.image.dims : session.inputs[0]?.dims;
  if (!dims || dims.length !== 4 || dims[1] !== 3) {
    throw new Error(`${name} expects one input [N,3,H,W]; this model's is [${dims?.join(',') ?? '?'}]`);
  }
  const canvas = canvasSize(dims, frames, options.detectionSize);
  const fixed = typeof dims[0] === 'number' ? dims[0] : Infinity;
  const chunkSize = Math.max(1, Math.min(fixed, options.batchSize ?? frames.length));
  const decode = decoding(session, canvas);
  const inputName = session.inputs[0]?.name ?? 'input';
  const result: Face[][] = [];
  const collect = (chunk: readonly Frame[], outputs: Outputs, boxes: readonly Letterbox[]) => {
    chunk.forEach((frame, i) => {
      const kept = nms(decode(outputs, i, chunk.length, options.scoreThreshold), options.nmsIou, options.maxFaces);
      result.push(kept.map((c) => toFrameFace(c, boxes[i]!, frame)));
    });
  };
  for (let start = 0; start < frames.length; start += chunkSize) {
    const chunk = frames.slice(start, start + chunkSize);
    if (isLetterboxed(session)) {
      // On the device: the frames go in as bytes, the glue in front of the model letterboxes them.
      for (const run of sameSizeRuns(chunk)) {
        const { feeds, boxes } = letterboxedFeeds(run.frames, canvas);
        collect(run.frames, await session.run(feeds), boxes);
      }
      continue;
    }
    const scratch = scratchFor(session);
    const input = canvasBatch(chunk, canvas.width, canvas.height, norm, scratch.take(chunk.length * 3 * canvas.width * canvas.height));
    let outputs;
    try {
      outputs = await session.run({ [inputName]: { data: input.data, dims: input.dims } });
    } finally {
      scratch.release(input.data);
    }
    collect(chunk, outputs, input.boxes);
  }
  return result;
}

/** The model's float outputs in its own order (exports name them differently). */
export function floatsInOrder(session: Pick<ModelSession, 'outputs'>, outputs: Outputs): Float32Array[] {
  return session.outputs.map((info) => {
    const t = outputs[info.name];
    if (!t || !(t.data instanceof Float32Array)) throw new Error(`output ${info.name} is missing or not float32`);
    return t.data;
  });
}
