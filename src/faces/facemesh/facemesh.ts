/**
 * FaceMesh (MediaPipe's 468-point face landmark model, converted from TFLite) on faces
 * found by any detector: crop each face (rotated, 1.5x box, see facemesh-crop.ts), run all
 * crops of all frames in batched session runs, map the points back to frame pixels, and
 * derive the five alignment points.
 *
 * @example
 * ```ts
 * const mesh = await openFaceMesh({ modelsDir: ctx.paths.models });
 * const refined = await landmarkFaces(mesh, frames, facesPerFrame);
 * ```
 */
import { ensurePrepared } from '../../importers/tflite/prepare.js';
import { openModel } from '../../runtime/model-session.js';
import type { ModelSession, OpenModelOptions } from '../../runtime/model-session.js';
import type { Face, Frame, Point } from '../../model/port-values.js';
import { applyAffine, normalizationOf, warpAffineRgb } from '../geometry/index.js';
import { inputSpec } from '../../models/model-facts.js';
import { cropToFrame, FACEMESH_INPUT, faceCrop } from './crop.js';
import { FACEMESH_POINTS, fivePointsFromMesh } from './points.js';

/** The manifest id of the landmark model. */
export const FACEMESH_MODEL_ID = 'facemesh';

export interface FaceMeshOptions {
  /** Crops per session run. Default 16. */
  batchSize?: number;
  /** Faces whose presence score is below this keep their detector landmarks and get no mesh. Default 0.5. */
  minPresence?: number;
}

/** One face's landmarks in frame pixels. */
export interface FaceMeshResult {
  /** 468 points. */
  mesh: Point[];
  /** Depth of each point, in frame pixels relative to the face's centre plane (MediaPipe's z, scaled like x). */
  z: Float32Array;
  /** Right eye, left eye, nose tip, right and left mouth corners. */
  landmarks: Point[];
  /** Probability that the crop holds a face, 0..1. */
  presence: number;
}

export interface FaceMeshRequest {
  frame: Frame;
  face: Pick<Face, 'box' | 'landmarks'>;
}

export type FaceMeshSession = Pick<ModelSession, 'run'> & { inputs: Pick<ModelSession['inputs'][number], 'name'>[] };

/** Prepares the model when missing (TFLite -> ONNX, once) and opens it. */
export async function openFaceMesh(options: OpenModelOptions & { modelsDir: string }): Promise<ModelSession> {
  return openModel(await ensurePrepared(FACEMESH_MODEL_ID, options.modelsDir), options);
}

/** Landmarks for each request, in order. */
export async function runFaceMesh(session: FaceMeshSession, requests: readonly FaceMeshRequest[], options: FaceMeshOptions = {}): Promise<FaceMeshResult[]> {
  const size = FACEMESH_INPUT;
  const batchSize = Math.max(1, options.batchSize ?? 16);
  const inputName = session.inputs[0]?.name ?? 'input_1';
  const norm = normalizationOf(inputSpec(FACEMESH_MODEL_ID));
  const results: FaceMeshResult[] = [];
  for (let start = 0; start < requests.length; start += batchSize) {
    const chunk = requests.slice(start, start + batchSize);
    const data = new Float32Array(chunk.length * size * size * 3);
    const maps = chunk.map((r, i) => {
      const map = cropToFrame(faceCrop(r.face), size);
      warpAffineRgb(r.frame, map, size, size, norm, data, i * size * size * 3);
      return map;
    });
    const outputs = Object.values(await session.run({ [inputName]: { data, dims: [chunk.length, size, size, 3] } }));
    const points = outputs.find((t) => t.dims[t.dims.length - 1] === FACEMESH_POINTS * 3);
    const flags = outputs.find((t) => t.dims[t.dims.length - 1] === 1);
    if (!points || !flags) throw new Error(`FaceMesh outputs should be [N,1,1,${FACEMESH_POINTS * 3}] and [N,1,1,1]; got ${outputs.map((t) => `[${t.dims.join(',')}]`).join(', ')}`);
    const p = points.data as Float32Array;
    const f = flags.data as Float32Array;
    chunk.forEach((_, i) => {
      const map = maps[i]!;
      const scale = Math.hypot(map[0], map[3]);
      const mesh: Point[] = [];
      const z = new Float32Array(FACEMESH_POINTS);
      for (let k = 0; k < FACEMESH_POINTS; k++) {
        const o = (i * FACEMESH_POINTS + k) * 3;
        mesh.push(applyAffine(map, { x: p[o] ?? 0, y: p[o + 1] ?? 0 }));
        z[k] = (p[o + 2] ?? 0) * scale;
      }
      results.push({ mesh, z, landmarks: fivePointsFromMesh(mesh), presence: 1 / (1 + Math.exp(-(f[i] ?? 0))) });
    });
  }
  return results;
}

/**
 * The faces of each frame with `mesh` set and `landmarks` replaced by the five measured
 * points; a face whose crop scores below `minPresence` is returned unchanged.
 */
export async function landmarkFaces(session: FaceMeshSession, frames: readonly Frame[], facesPerFrame: readonly (readonly Face[])[], options: FaceMeshOptions = {}): Promise<Face[][]> {
  const requests: FaceMeshRequest[] = [];
  frames.forEach((frame, i) => (facesPerFrame[i] ?? []).forEach((face) => requests.push({ frame, face })));
  const results = await runFaceMesh(session, requests, options);
  const minPresence = options.minPresence ?? 0.5;
  let next = 0;
  return frames.map((_, i) =>
    (facesPerFrame[i] ?? []).map((face) => {
      const r = results[next++];
      return r && r.presence >= minPresence ? { ...face, landmarks: r.landmarks, mesh: r.mesh } : { ...face };
    }),
  );
}
