/**
 * One entry point over every face detector framefuse runs: `openDetector(model)` finds the
 * model's family (one folder each, all implementing `DetectorFamily`), opens the model in
 * this thread (on WebGPU with the letterbox on the device for the canvas families) and
 * `detect(frames)` gives the faces of each frame in frame pixels, best first, running the
 * frames as padded batches.
 *
 * @example
 * ```ts
 * const detector = await openDetector('yunet', { modelsDir: ctx.paths.models, threads: ctx.threads });
 * const facesPerFrame = await detector.detect(frames, { maxFaces: 10, detectionSize: 640 });
 * await detector.dispose();
 * ```
 */
import type { ModelSession } from '../../runtime/model-session.js';
import type { Face, Frame } from '../../model/port-values.js';
import { cacheDir, resolveModel } from '../../models/paths.js';
import { inputSpec } from '../../models/model-facts.js';
import { modelVariant } from '../../runtime/model-variant.js';
import { detectPadded } from '../detect/batch-padding.js';
import { openLetterboxed } from '../detect/device-letterbox.js';
import type { DetectorFamily, DetectorFamilyName, FamilyOpenOptions } from '../detect/face-detector.js';
import { normalizationOf } from '../geometry/index.js';
import { blazefaceFamily } from '../blazeface/family.js';
import { retinafaceFamily } from '../retinaface/family.js';
import { scrfdFamily } from '../scrfd/family.js';
import { yolofaceFamily } from '../yoloface/family.js';
import { yunetFamily } from '../yunet/family.js';
import { DETECTORS, type DetectorModel, type DetectorModelInfo } from './detector-models.js';

/** Every family, by name: a new family is a folder and one line here. */
export const DETECTOR_FAMILIES: Readonly<Record<DetectorFamilyName, DetectorFamily>> = {
  yunet: yunetFamily,
  blazeface: blazefaceFamily,
  retinaface: retinafaceFamily,
  scrfd: scrfdFamily,
  yoloface: yolofaceFamily,
};

export interface OpenDetectorOptions extends Omit<FamilyOpenOptions, 'modelPath'> {
  /** A .onnx file with the same outputs to run instead of the model's own file. */
  modelPath?: string | null;
  /** Letterbox on the device when on WebGPU (default true; the per-frame baseline says false). */
  deviceGlue?: boolean;
}

/**
 * What one detection call asks for. No defaults here: the Detector node's schema holds
 * them (maxFaces, detectionSize); the model's own thresholds are the model table's.
 */
export interface DetectRunOptions {
  /** Null or left out: the model's own (see DETECTORS). */
  scoreThreshold?: number | null;
  nmsIou?: number | null;
  maxFaces: number;
  /** Longest canvas side for models with a free input size. */
  detectionSize: number;
}

export interface FaceDetector {
  readonly info: DetectorModelInfo;
  readonly session: ModelSession;
  /** Faces of each frame, best first: `result[i]` belongs to `frames[i]`. */
  detect(frames: readonly Frame[], options: DetectRunOptions): Promise<Face[][]>;
  dispose(): Promise<void>;
}

/**
 * On WebGPU, the families whose input is a letterboxed canvas get it on the device: the
 * model opens with the letterbox glue linked in front (device-letterbox.ts).
 */
async function openOnDevice(family: DetectorFamily, info: DetectorModelInfo, options: OpenDetectorOptions): Promise<ModelSession | null> {
  if (options.providers?.[0] !== 'webgpu' || !family.canvas || options.deviceGlue === false) return null;
  const { modelPath, deviceGlue: _glue, ...rest } = options;
  const dir = rest.cacheDir ?? cacheDir(options.modelsDir);
  const { path: source } = await resolveModel(modelPath ?? info.modelId, options.modelsDir, rest.cwd);
  const file = family.canvas.deviceSource ? await family.canvas.deviceSource(source, dir, rest.log) : source;
  const variant = await modelVariant(file, { batchify: true, cacheDir: dir, ...(rest.log ? { log: (m: string) => rest.log?.info(m) } : {}) });
  return openLetterboxed(variant.path, normalizationOf(inputSpec(info.modelId)), { ...rest, cacheDir: dir, sourceFile: source });
}

export async function openDetector(model: DetectorModel, options: OpenDetectorOptions): Promise<FaceDetector> {
  const info = DETECTORS[model];
  const family = DETECTOR_FAMILIES[info.family];
  const { modelPath, deviceGlue: _glue, ...rest } = options;
  const session = (await openOnDevice(family, info, options)) ?? (await family.open(info, { ...rest, ...(modelPath ? { modelPath } : {}) }));
  const fixedBatch = typeof session.inputs[0]?.dims?.[0] === 'number';
  const run = (frames: Frame[], o: DetectRunOptions): Promise<Face[][]> =>
    family.detect(session, info, frames, {
      scoreThreshold: o.scoreThreshold ?? info.scoreThreshold,
      nmsIou: o.nmsIou ?? info.nmsIou,
      maxFaces: o.maxFaces,
      detectionSize: o.detectionSize,
    });
  return {
    info,
    session,
    // A fixed-batch model runs frame by frame anyway: padding would only add work.
    detect: (frames, o) => (frames.length === 0 ? Promise.resolve([]) : fixedBatch ? run([...frames], o) : detectPadded(frames, (chunk) => run(chunk, o))),
    dispose: () => session.dispose(),
  };
}
