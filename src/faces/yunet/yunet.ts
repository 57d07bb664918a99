/**
 * YuNet face detection on a batch of frames: letterbox every frame onto the model's
 * canvas, run the whole batch in one session run (the shipped model is opened batchified,
 * see `openYunet`), decode, threshold, NMS, and map boxes and the five keypoints back to
 * frame pixels. The canvas loop is the one the canvas families share
 * (detect/canvas-detect.ts); YuNet brings its decoder and its model's facts.
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
import { inputSpec } from '../../models/model-facts.js';
import { detectOnCanvas, type CanvasDecoding } from '../detect/canvas-detect.js';
import { normalizationOf } from '../geometry/index.js';
import { decodeYunet } from './decode.js';
import { YUNET_MODEL_ID } from './model.js';

/**
 * YuNet's defaults (the Detector's model table takes them from here). 0.7: on the
 * project's photos and clip real faces score 0.85-0.95 and the worst non-face (a robot's
 * two eye lights) 0.63. 0.3 is OpenCV's NMS overlap.
 */
export const YUNET_DEFAULTS = { scoreThreshold: 0.7, nmsIou: 0.3 } as const;

export interface DetectOptions {
  /** Lowest score kept, 0..1. Default `YUNET_DEFAULTS.scoreThreshold`. */
  scoreThreshold?: number;
  /** Boxes overlapping a better one by more than this IoU are dropped. Default `YUNET_DEFAULTS.nmsIou`. */
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

export const yunetDecoding: CanvasDecoding<YunetSession> = (_session, canvas) => (outputs, index, _batch, threshold) => decodeYunet(outputs, index, canvas.width, canvas.height, threshold);

/**
 * Faces in each frame, best first: `result[i]` belongs to `frames[i]`. Frames may differ
 * in size; each is letterboxed on its own.
 */
export function detectFaces(session: YunetSession, frames: readonly Frame[], options: DetectOptions = {}): Promise<Face[][]> {
  return detectOnCanvas(
    'YuNet',
    session,
    normalizationOf(inputSpec(YUNET_MODEL_ID)),
    frames,
    {
      scoreThreshold: options.scoreThreshold ?? YUNET_DEFAULTS.scoreThreshold,
      nmsIou: options.nmsIou ?? YUNET_DEFAULTS.nmsIou,
      maxFaces: options.maxFaces ?? 50,
      detectionSize: options.inputSize ?? 640,
      ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    },
    yunetDecoding,
  );
}
