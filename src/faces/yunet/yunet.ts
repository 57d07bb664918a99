/**
 * YuNet face detection on a batch of frames: letterbox every frame onto the model's
 * canvas, run the whole batch in one session run (the shipped model is opened batchified,
 * see `openYunet`), decode, threshold, NMS, and map boxes and the five keypoints back to
 * frame pixels.
 *
 * @example
 * ```ts
 * const yunet = await openYunet({ modelsDir: ctx.paths.models, threads: ctx.threads });
 * const facesPerFrame = await detectFaces(yunet, frames, { scoreThreshold: 0.7 });
 * await yunet.dispose();
 * ```
 */
import type { ModelSession } from '../../runtime/model-session.js';
import type { Face, Frame } from '../../model/port-values.js';
import { decodeYunet } from './decode.js';
import { letterboxFor, writeLetterboxBgr } from './letterbox.js';
import { nms } from '../detect/nms.js';
import { toFrameFace } from '../detect/candidate.js';
import { canvasSize } from '../detect/canvas-input.js';
import { scratchFor } from '../../runtime/scratch-buffer.js';
import { isLetterboxed, letterboxedFeeds, sameSizeRuns } from '../detect/device-letterbox.js';

export interface DetectOptions {
  /**
   * Lowest score kept, 0..1. Default 0.7: on the project's photos and clip real faces score
   * 0.85-0.95 and the worst non-face (a robot's two eye lights) 0.63.
   */
  scoreThreshold?: number;
  /** Boxes overlapping a better one by more than this IoU are dropped. Default 0.3 (OpenCV's). */
  nmsIou?: number;
  /** Most faces returned per frame, best first. Default 50. */
  maxFaces?: number;
  /**
   * Frames per session run when the model takes any batch. Default: all the frames given.
   * A model with a fixed batch of 1 runs frame by frame whatever this says.
   */
  batchSize?: number;
  /** Longest canvas side for a model with a free spatial size. Default 640. */
  inputSize?: number;
}

/** What detection needs of a session: its input's shape and `run`. */
export type YunetSession = Pick<ModelSession, 'inputs' | 'run'>;

interface Canvas {
  width: number;
  height: number;
  /** The largest batch one run takes (1 for a fixed-batch model). */
  maxBatch: number;
}

function canvasFor(session: YunetSession, frames: readonly Frame[], options: DetectOptions): Canvas {
  // A letterboxed session takes frames; the canvas is its detector's own input.
  const dims = isLetterboxed(session) ? session.letterbox.image.dims : session.inputs[0]?.dims;
  if (!dims || dims.length !== 4 || dims[1] !== 3) {
    throw new Error(`YuNet expects one input [N,3,H,W]; this model's is [${dims?.join(',') ?? '?'}]`);
  }
  const maxBatch = typeof dims[0] === 'number' ? dims[0] : Infinity;
  // A free spatial size fits the frames in inputSize x inputSize, rounded up to the
  // coarsest stride: 16:9 video runs on 640x384, 60% of a square canvas.
  return { ...canvasSize(dims, frames, options.inputSize ?? 640), maxBatch };
}


/**
 * Faces in each frame, best first: `result[i]` belongs to `frames[i]`. Frames may differ
 * in size; each is letterboxed on its own.
 */
export async function detectFaces(session: YunetSession, frames: readonly Frame[], options: DetectOptions = {}): Promise<Face[][]> {
  const scoreThreshold = options.scoreThreshold ?? 0.7;
  const nmsIou = options.nmsIou ?? 0.3;
  const maxFaces = options.maxFaces ?? 50;
  const inputName = session.inputs[0]?.name ?? 'input';
  const results: Face[][] = [];
  if (frames.length === 0) return results;
  const canvas = canvasFor(session, frames, options);
  const chunk = Math.max(1, Math.min(canvas.maxBatch, options.batchSize ?? frames.length));
  const plane = 3 * canvas.width * canvas.height;
  for (let start = 0; start < frames.length; start += chunk) {
    const batch = frames.slice(start, start + chunk);
    if (isLetterboxed(session)) {
      // On the device: the frames go in as bytes, the glue in front of the model letterboxes them.
      for (const run of sameSizeRuns(batch)) {
        const { feeds, boxes } = letterboxedFeeds(run.frames, canvas);
        const outputs = await session.run(feeds);
        run.frames.forEach((frame, i) => {
          const kept = nms(decodeYunet(outputs, i, canvas.width, canvas.height, scoreThreshold), nmsIou, maxFaces);
          results.push(kept.map((c) => toFrameFace(c, boxes[i]!.scale, frame)));
        });
      }
      continue;
    }
    const scratch = scratchFor(session);
    const data = scratch.take(batch.length * plane);
    const boxes = batch.map((frame, i) => {
      const box = letterboxFor(frame.width, frame.height, canvas.width, canvas.height);
      writeLetterboxBgr(frame, box, data, i * plane, canvas.width, canvas.height);
      return box;
    });
    let outputs;
    try {
      outputs = await session.run({ [inputName]: { data, dims: [batch.length, 3, canvas.height, canvas.width] } });
    } finally {
      scratch.release(data);
    }
    batch.forEach((frame, i) => {
      const candidates = decodeYunet(outputs, i, canvas.width, canvas.height, scoreThreshold);
      const kept = nms(candidates, nmsIou, maxFaces);
      results.push(kept.map((c) => toFrameFace(c, boxes[i]!.scale, frame)));
    });
  }
  return results;
}
