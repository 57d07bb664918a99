/**
 * BlazeFace face detection (MediaPipe's short and full range models, converted from
 * TFLite) on a batch of frames: letterbox each frame, run the batch in one session run,
 * decode against the SSD anchors, threshold, weighted NMS, and map boxes and keypoints
 * back to frame pixels.
 *
 * @example
 * ```ts
 * const session = await openBlazeFace('short', { modelsDir: ctx.paths.models, threads: ctx.threads });
 * const facesPerFrame = await detectBlazeFace(session, frames, { variant: 'short' });
 * await session.dispose();
 * ```
 */
import { ensurePrepared } from '../../importers/tflite/prepare.js';
import { openModel } from '../../runtime/model-session.js';
import type { ModelSession, OpenModelOptions } from '../../runtime/model-session.js';
import type { Outputs, TensorData } from '../../runtime/tensors.js';
import type { Face, Frame, Point } from '../../model/port-values.js';
import { BLAZEFACE_CONFIGS, blazeFaceAnchors } from './config.js';
import type { BlazeFaceVariant } from './config.js';
import { decodeBlazeFace } from './decode.js';
import { blazeFaceInput, toFramePoint } from './input.js';
import { normalizationOf, type Letterbox } from '../geometry/index.js';
import { inputSpec } from '../../models/model-facts.js';
import { weightedNms } from '../detect/nms.js';
import type { ScoredBoxWithPoints } from '../detect/nms.js';

export type { BlazeFaceVariant } from './config.js';

export interface BlazeFaceOptions {
  /** Which model the session runs. Default 'short'. */
  variant?: BlazeFaceVariant;
  /** Lowest score kept, 0..1. Default MediaPipe's: 0.5 (short), 0.6 (full). */
  scoreThreshold?: number;
  /** Weighted-NMS overlap. Default 0.3 (MediaPipe's). */
  nmsIou?: number;
  /** Most faces per frame, best first. Default 50. */
  maxFaces?: number;
  /** Frames per session run. Default: all the frames given. */
  batchSize?: number;
}

/**
 * A BlazeFace detection. `landmarks` follow framefuse's five-point order; BlazeFace gives
 * only a mouth centre, so the two mouth corners are placed on either side of it along the
 * eye line, at the ratio of the arcface template (0.414 of the eye distance). FaceMesh
 * gives measured corners when alignment needs them.
 */
export interface BlazeFaceFace extends Face {
  /** BlazeFace's own six keypoints: right eye, left eye, nose tip, mouth centre, right ear tragion, left ear tragion. */
  keypoints: Point[];
}

/** What detection needs of a session. */
export type BlazeFaceSession = Pick<ModelSession, 'run'> & { inputs: Pick<ModelSession['inputs'][number], 'name'>[] };

/** Prepares the model when missing (TFLite -> ONNX, once) and opens it. */
export async function openBlazeFace(variant: BlazeFaceVariant, options: OpenModelOptions & { modelsDir: string }): Promise<ModelSession> {
  const path = await ensurePrepared(BLAZEFACE_CONFIGS[variant].modelId, options.modelsDir);
  return openModel(path, options);
}

const MOUTH_CORNER_RATIO = 0.414;

function fivePoints(k: Point[]): Point[] {
  const [rightEye = { x: 0, y: 0 }, leftEye = { x: 0, y: 0 }, nose = { x: 0, y: 0 }, mouth = { x: 0, y: 0 }] = k;
  const dx = (leftEye.x - rightEye.x) * MOUTH_CORNER_RATIO;
  const dy = (leftEye.y - rightEye.y) * MOUTH_CORNER_RATIO;
  return [rightEye, leftEye, nose, { x: mouth.x - dx, y: mouth.y - dy }, { x: mouth.x + dx, y: mouth.y + dy }];
}

function toFace(d: ScoredBoxWithPoints, box: Letterbox, size: number, frame: Frame): BlazeFaceFace {
  const clampX = (v: number) => Math.min(Math.max(v, 0), frame.width);
  const clampY = (v: number) => Math.min(Math.max(v, 0), frame.height);
  const tl = toFramePoint(box, size, { x: d.box.x1, y: d.box.y1 });
  const br = toFramePoint(box, size, { x: d.box.x2, y: d.box.y2 });
  const keypoints = d.points.map((p) => toFramePoint(box, size, p));
  return { box: { x1: clampX(tl.x), y1: clampY(tl.y), x2: clampX(br.x), y2: clampY(br.y) }, score: d.score, landmarks: fivePoints(keypoints), keypoints };
}

/** The regressors ([N, anchors, 16]) and scores ([N, anchors, 1]) among a run's outputs, told apart by shape. */
function pickOutputs(outputs: Outputs, anchors: number): { regressors: Float32Array; scores: Float32Array } {
  const all = Object.values(outputs);
  const find = (last: number): TensorData | undefined => all.find((t) => t.dims.length === 3 && t.dims[1] === anchors && t.dims[2] === last);
  const regressors = find(16);
  const scores = find(1);
  if (!regressors || !scores) {
    throw new Error(`BlazeFace outputs should be [N,${anchors},16] and [N,${anchors},1]; got ${all.map((t) => `[${t.dims.join(',')}]`).join(', ')}`);
  }
  return { regressors: regressors.data as Float32Array, scores: scores.data as Float32Array };
}

/** Faces per frame, in frame pixels, best first. */
export async function detectBlazeFace(session: BlazeFaceSession, frames: readonly Frame[], options: BlazeFaceOptions = {}): Promise<BlazeFaceFace[][]> {
  const config = BLAZEFACE_CONFIGS[options.variant ?? 'short'];
  const anchors = blazeFaceAnchors(config.variant);
  const settings = { decodeScale: config.decodeScale, scoreClip: config.scoreClip, scoreThreshold: options.scoreThreshold ?? config.scoreThreshold };
  const inputName = session.inputs[0]?.name ?? 'input';
  const batchSize = Math.max(1, options.batchSize ?? frames.length);
  const norm = normalizationOf(inputSpec(config.modelId));
  const result: BlazeFaceFace[][] = [];
  for (let start = 0; start < frames.length; start += batchSize) {
    const chunk = frames.slice(start, start + batchSize);
    const input = blazeFaceInput(chunk, config.inputSize, norm);
    const { regressors, scores } = pickOutputs(await session.run({ [inputName]: { data: input.data, dims: input.dims } }), anchors.length);
    chunk.forEach((frame, i) => {
      const candidates = decodeBlazeFace(regressors, scores, anchors, settings, i);
      const kept = weightedNms(candidates, options.nmsIou ?? config.nmsIou, options.maxFaces ?? 50);
      result.push(kept.map((d) => toFace(d, input.boxes[i] as Letterbox, config.inputSize, frame)));
    });
  }
  return result;
}
