/**
 * ArcFace identity embeddings (arcface_w600k_r50 and models with its signature): the face
 * aligned to arcface_112_v2 at 112x112, RGB, x/127.5 - 1, NCHW; one 512-vector per face.
 */
import { alignmentFor, warpToTensor, type TensorNormalization } from '../geometry/index.js';
import type { Face, Image } from '../../run/media-types.js';
import type { ModelSession } from '../../runtime/model-session.js';
import { faceChunks, fixedBatchOf } from './face-batches.js';

const SIZE = 112;
const ARCFACE_NORM: TensorNormalization = { scale: [1 / 127.5, 1 / 127.5, 1 / 127.5], bias: [-1, -1, -1] };

/** What embedding needs of a session. */
export type EmbedderSession = Pick<ModelSession, 'inputs' | 'outputs' | 'run'>;

/** One embedding per item, in order. */
export async function embedFaces(session: EmbedderSession, items: readonly { image: Image; face: Face }[]): Promise<Float32Array[]> {
  const input = session.inputs[0];
  if (!input) throw new Error('the embedder has no input');
  const plane = 3 * SIZE * SIZE;
  const result: Float32Array[] = [];
  for (const chunk of faceChunks(items, fixedBatchOf(input.dims))) {
    const data = new Float32Array(chunk.size * plane);
    chunk.jobs.forEach((item, i) => warpToTensor(item.image, alignmentFor(item.face.landmarks, 'arcface_112_v2', SIZE), SIZE, data, i * plane, ARCFACE_NORM));
    const outputs = await session.run({ [input.name]: { data, dims: [chunk.size, 3, SIZE, SIZE] } });
    const out = outputs[session.outputs[0]?.name ?? ''] ?? Object.values(outputs)[0];
    if (!out || !(out.data instanceof Float32Array)) throw new Error('the embedder returned no float32 output');
    const width = out.data.length / chunk.size;
    chunk.jobs.forEach((_, i) => result.push(out.data.slice(i * width, (i + 1) * width) as Float32Array));
  }
  return result;
}
