/**
 * Identity embeddings with ArcFace (w600k_r50, as FaceFusion and inswapper use it): the
 * face is aligned to the arcface_112_v2 template from its five points, fed as RGB
 * x / 127.5 - 1 ([N,3,112,112]); the output is a 512-float vector per face. Faces from
 * many frames go through in batches padded to the fixed size set.
 *
 * @example
 * ```ts
 * const arcface = await openEmbedder({ modelsDir: ctx.paths.models, threads: ctx.threads });
 * const vector = await embedFace(arcface, image, face);
 * ```
 */
import { userError } from '../../errors.js';
import { formatDims } from '../../onnx/value-info.js';
import { openModel, type ModelSession, type OpenModelOptions } from '../../runtime/model-session.js';
import type { Face, Frame } from '../../model/port-values.js';
import { alignmentFor, normalizationOf, warpToTensor } from '../geometry/index.js';
import { inputSpec } from '../../models/model-facts.js';
import { paddedBatchSize } from '../../plan/batch-sizes.js';

/** The manifest id of the embedder. */
export const ARCFACE_MODEL_ID = 'arcface_w600k_r50';
export const ARCFACE_SIZE = 112;
export const ARCFACE_TEMPLATE = 'arcface_112_v2' as const;

export type EmbedderSession = Pick<ModelSession, 'inputs' | 'run'>;

/** Opens ArcFace (or `ref`, another id or path with the same signature), batchified. */
export async function openEmbedder(options: OpenModelOptions & { ref?: string } = {}): Promise<ModelSession> {
  const { ref, ...rest } = options;
  const session = await openModel(ref ?? ARCFACE_MODEL_ID, { batchify: true, ...rest });
  const dims = session.inputs[0]?.dims;
  // Checked by shape, not name: exports name the input differently (input.1, data, ...).
  if (session.inputs.length !== 1 || dims?.length !== 4 || dims[1] !== 3 || dims[2] !== ARCFACE_SIZE || dims[3] !== ARCFACE_SIZE) {
    await session.dispose();
    throw userError('FF_MODEL_INPUT_MISMATCH', `${session.file} is not an ArcFace embedder: its input should be [N,3,112,112], it is ${formatDims(dims)}`, {
      fix: 'use arcface_w600k_r50 (framefuse models pull arcface_w600k_r50) or a model with the same signature',
    });
  }
  return session;
}

export interface EmbedRequest {
  frame: Frame;
  face: Pick<Face, 'landmarks'>;
}

/** The raw embedding of each request, in order (not normalized: the swapper needs the raw norm). */
export async function embedFaces(session: EmbedderSession, requests: readonly EmbedRequest[]): Promise<Float32Array[]> {
  const size = ARCFACE_SIZE;
  const item = 3 * size * size;
  const inputName = session.inputs[0]?.name ?? 'input.1';
  const fixed = typeof session.inputs[0]?.dims?.[0] === 'number';
  const chunkSize = fixed ? 1 : 32;
  const out: Float32Array[] = [];
  const norm = normalizationOf(inputSpec(ARCFACE_MODEL_ID));
  for (let start = 0; start < requests.length; start += chunkSize) {
    const chunk = requests.slice(start, start + chunkSize);
    // Padded items stay zero; their outputs are dropped.
    const n = fixed ? chunk.length : paddedBatchSize(chunk.length);
    const data = new Float32Array(n * item);
    chunk.forEach((r, i) => warpToTensor(r.frame, alignmentFor(r.face.landmarks, ARCFACE_TEMPLATE, size), size, data, i * item, norm));
    const outputs = Object.values(await session.run({ [inputName]: { data, dims: [n, 3, size, size] } }));
    const vectors = outputs[0];
    if (!vectors || !(vectors.data instanceof Float32Array)) throw new Error('the embedder returned no float32 output');
    const length = vectors.data.length / n;
    chunk.forEach((_, i) => out.push(vectors.data.slice(i * length, (i + 1) * length) as Float32Array));
  }
  return out;
}

/** The raw embedding of one face of one frame or image. */
export async function embedFace(session: EmbedderSession, frame: Frame, face: Pick<Face, 'landmarks'>): Promise<Float32Array> {
  const [vector] = await embedFaces(session, [{ frame, face }]);
  return vector!;
}
