/**
 * The one interface every face detector family implements (one folder per family:
 * yunet/, blazeface/, retinaface/, scrfd/, yoloface/), and what a detector model is. The
 * registry that maps a model to its family is src/faces/detectors/; this folder holds what
 * the families share (NMS, candidates, the canvas loop, the device letterbox), so a family
 * imports it and it imports no family.
 */
import type { NodeLog } from '../../node-api/define-node.js';
import type { ModelSession, OpenModelOptions } from '../../runtime/model-session.js';
import type { Face, Frame } from '../../model/port-values.js';

export type DetectorFamilyName = 'yunet' | 'blazeface' | 'retinaface' | 'scrfd' | 'yoloface';

/** A model the Detector node offers. Its input's colour order and normalization are the manifest's (`modelId`). */
export interface DetectorModelInfo {
  id: string;
  family: DetectorFamilyName;
  /** The manifest id of its file. */
  modelId: string;
  /** shipped: in the repository; prepared: converted from an npm package on first use; pulled: `framefuse models pull`. */
  origin: 'shipped' | 'prepared' | 'pulled';
  scoreThreshold: number;
  nmsIou: number;
}

/** What one detection call is asked for (defaults filled in by `openDetector`). */
export interface DetectSettings {
  scoreThreshold: number;
  nmsIou: number;
  maxFaces: number;
  /** Longest canvas side for a model with a free input size. */
  detectionSize: number;
}

export interface FamilyOpenOptions extends Omit<OpenModelOptions, 'batchify' | 'expect'> {
  modelsDir: string;
  /** A .onnx file with the same outputs to open instead of the model's own file. */
  modelPath?: string | undefined;
  log?: NodeLog;
}

/** A detector family: how its model opens and how its outputs become faces. */
export interface DetectorFamily {
  /** Opens the model in this thread (preparing or rewriting it as the family needs). */
  open(info: DetectorModelInfo, options: FamilyOpenOptions): Promise<ModelSession>;
  /**
   * Set when the family's input is a letterboxed canvas, so the letterbox may run on the
   * device in front of the model: the file to link it to, from the model's own file
   * (default: the file as it is).
   */
  canvas?: { deviceSource?(file: string, cacheDir: string, log?: Pick<NodeLog, 'info'>): Promise<string> };
  /** Faces of each frame in frame pixels, best first: `result[i]` belongs to `frames[i]`. */
  detect(session: ModelSession, info: DetectorModelInfo, frames: readonly Frame[], settings: DetectSettings): Promise<Face[][]>;
}
