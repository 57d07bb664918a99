/**
 * The source identity of a swap: the largest face of each source image, embedded with
 * ArcFace; several images (one person in several photos) average their embeddings. A
 * source image without a face is the user's problem to fix, so it fails before any frame
 * is processed, naming the port.
 */
import { userError } from '../../errors.js';
import type { Face, Image } from '../../model/port-values.js';
import { detectFaces, type YunetSession } from '../yunet/yunet.js';
import { embedFaces, type EmbedderSession } from '../embedding/arcface.js';
import { averageEmbedding } from './source-vector.js';

export interface SourceImage {
  /** The port it came in on, for the error message. */
  port: string;
  image: Image;
}

function area(face: Face): number {
  return (face.box.x2 - face.box.x1) * (face.box.y2 - face.box.y1);
}

/** The largest face of every image. @throws FF_NO_SOURCE_FACE naming the first image without one. */
export async function sourceFaces(detector: YunetSession, images: readonly SourceImage[], scoreThreshold = 0.5): Promise<Face[]> {
  const found = await detectFaces(detector, images.map((s) => s.image), { scoreThreshold, batchSize: 1 });
  return images.map((source, i) => {
    const faces = found[i] ?? [];
    if (faces.length === 0) {
      throw userError('FF_NO_SOURCE_FACE', `no face found in the source image on port "${source.port}" (${source.image.width}x${source.image.height})`, {
        field: source.port,
        fix: 'use a photo where the face is clearly visible and roughly frontal, at least about 60 pixels across',
      });
    }
    return faces.reduce((best, f) => (area(f) > area(best) ? f : best));
  });
}

/** The averaged ArcFace embedding of the source images' largest faces. */
export async function sourceEmbedding(detector: YunetSession, embedder: EmbedderSession, images: readonly SourceImage[]): Promise<Float32Array> {
  const faces = await sourceFaces(detector, images);
  const embeddings = await embedFaces(embedder, images.map((s, i) => ({ frame: s.image, face: faces[i]! })));
  return averageEmbedding(embeddings);
}
