/**
 * One interface over every face detector framefuse runs: `openDetector(model)` opens the
 * model in this thread (preparing a built-in one on first use, batchified when the export
 * has a fixed batch of 1) and `detect(frames)` gives the faces of each frame in frame
 * pixels, best first, running the frames as padded batches.
 *
 * @example
 * ```ts
 * const detector = await openDetector('yunet', { modelsDir: ctx.paths.models, threads: ctx.threads });
 * const facesPerFrame = await detector.detect(frames, { maxFaces: 10 });
 * await detector.dispose();
 * ```
 */
import { isFramefuseError } from '../../errors.js';
import type { NodeLog } from '../../node-api/define-node.js';
import { openModel, type ModelSession, type OpenModelOptions } from '../../runtime/model-session.js';
import type { Face, Frame } from '../../model/port-values.js';
import { detectBlazeFace, openBlazeFace } from '../blazeface/blazeface.js';
import { detectFaces } from '../yunet/yunet.js';
import { openYunet } from '../yunet/model.js';
import { detectPadded } from './batch-padding.js';
import { detectOnCanvas } from './canvas-detector.js';
import { DETECTORS, type DetectorModel, type DetectorModelInfo } from './detector-models.js';
import { openLetterboxed, RAW_BGR } from './device-letterbox.js';
import { cacheDir, resolveModel } from '../../models/paths.js';
import { modelVariant } from '../../runtime/model-variant.js';
import { freeSizeYunetFile } from '../yunet/free-size.js';

export interface OpenDetectorOptions extends Omit<OpenModelOptions, 'batchify' | 'expect'> {
  modelsDir: string;
  /** A .onnx file with the same outputs to run instead of the model's own file. */
  modelPath?: string | null;
  /** Letterbox on the device when on WebGPU (default true; the per-frame baseline says false). */
  deviceGlue?: boolean;
  log?: NodeLog;
}

export interface DetectRunOptions {
  /** Default: the model's own (see DETECTORS). */
  scoreThreshold?: number | null;
  nmsIou?: number | null;
  /** Default 50. */
  maxFaces?: number;
  /** Longest canvas side for models with a free input size. Default 640. */
  detectionSize?: number;
}

export interface FaceDetector {
  readonly info: DetectorModelInfo;
  readonly session: ModelSession;
  /** Faces of each frame, best first: `result[i]` belongs to `frames[i]`. */
  detect(frames: readonly Frame[], options?: DetectRunOptions): Promise<Face[][]>;
  dispose(): Promise<void>;
}

/** Opens with the batchify rewrite; a model whose rewrite cannot be proven runs one frame per session run. */
async function openBatched(ref: string, options: OpenModelOptions): Promise<ModelSession> {
  try {
    return await openModel(ref, { ...options, batchify: true });
  } catch (error) {
    if (!isFramefuseError(error) || !error.code.startsWith('FF_BATCHIFY')) throw error;
    options.log?.warn(`${ref}: ${error.message}; running it one frame at a time`);
    return openModel(ref, { ...options, batchify: false });
  }
}

/**
 * On WebGPU, the detectors that letterbox (YuNet and the canvas families) get their canvas
 * on the device: the model opens with the letterbox glue linked in front (device-letterbox.ts).
 */
async function openOnDevice(info: DetectorModelInfo, options: OpenDetectorOptions): Promise<ModelSession | null> {
  const norm = info.family === 'yunet' ? RAW_BGR : info.input;
  if (options.providers?.[0] !== 'webgpu' || !norm || options.deviceGlue === false) return null;
  const { modelPath, deviceGlue: _glue, ...rest } = options;
  const dir = rest.cacheDir ?? cacheDir(options.modelsDir);
  const { path: source } = await resolveModel(modelPath ?? info.modelId, options.modelsDir, rest.cwd);
  // YuNet's shipped file is 640x640 only: its proven free-size rewrite first, as on the host.
  const free = info.family === 'yunet' ? await freeSizeYunetFile(source, dir, rest.log) : null;
  const variant = await modelVariant(free?.path ?? source, { batchify: true, cacheDir: dir, ...(rest.log ? { log: (m: string) => rest.log?.info(m) } : {}) });
  return openLetterboxed(variant.path, norm, { ...rest, cacheDir: dir, sourceFile: source });
}

async function openSession(info: DetectorModelInfo, options: OpenDetectorOptions): Promise<ModelSession> {
  const onDevice = await openOnDevice(info, options);
  if (onDevice) return onDevice;
  const { modelPath, deviceGlue: _glue, ...rest } = options;
  switch (info.family) {
    case 'yunet':
      return openYunet({ ...rest, ...(modelPath ? { ref: modelPath } : {}) });
    case 'blazeface':
      return modelPath ? openModel(modelPath, rest) : openBlazeFace(info.id === 'blazeface_full' ? 'full' : 'short', rest);
    default:
      return openBatched(modelPath ?? info.modelId, rest);
  }
}

export async function openDetector(model: DetectorModel, options: OpenDetectorOptions): Promise<FaceDetector> {
  const info = DETECTORS[model];
  const session = await openSession(info, options);
  const batchDim = session.inputs[0]?.dims?.[0];
  const fixedBatch = typeof batchDim === 'number';
  const run = (frames: Frame[], o: DetectRunOptions): Promise<Face[][]> => {
    const scoreThreshold = o.scoreThreshold ?? info.scoreThreshold;
    const nmsIou = o.nmsIou ?? info.nmsIou;
    const maxFaces = o.maxFaces ?? 50;
    const detectionSize = o.detectionSize ?? 640;
    switch (info.family) {
      case 'yunet':
        return detectFaces(session, frames, { scoreThreshold, nmsIou, maxFaces, inputSize: detectionSize });
      case 'blazeface':
        return detectBlazeFace(session, frames, { variant: info.id === 'blazeface_full' ? 'full' : 'short', scoreThreshold, nmsIou, maxFaces });
      default:
        return detectOnCanvas(session, info, frames, { scoreThreshold, nmsIou, maxFaces, detectionSize });
    }
  };
  return {
    info,
    session,
    // A fixed-batch model runs frame by frame anyway: padding would only add work.
    detect: (frames, o = {}) => (frames.length === 0 ? Promise.resolve([]) : fixedBatch ? run([...frames], o) : detectPadded(frames, (chunk) => run(chunk, o))),
    dispose: () => session.dispose(),
  };
}
