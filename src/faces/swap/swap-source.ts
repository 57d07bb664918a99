/**
 * What a Swapper computes once, when the run opens: the source vector inswapper takes,
 * from the source images (YuNet finds the face, ArcFace embeds it, the model's emap maps
 * it). The detector and embedder are closed again before frames flow.
 */
import type { NodeContext } from '../../node-api/define-node.js';
import { resolveModel } from '../../models/paths.js';
import { readModel } from '../../onnx/model-io.js';
import { openEmbedder } from '../embedding/arcface.js';
import { openYunet } from '../yunet/model.js';
import { sourceEmbedding, type SourceImage } from './source-face.js';
import { readEmap, sourceVector } from './source-vector.js';

export interface SwapSourceRefs {
  /** The swapper (its emap is read from the file). */
  model: string;
  /** The ArcFace embedder. */
  embedder: string;
}

/** The swapper's `source` input for these images. @throws FF_NO_SOURCE_FACE when an image has no face. */
export async function swapSourceVector(ctx: NodeContext<unknown>, refs: SwapSourceRefs, images: readonly SourceImage[]): Promise<Float32Array> {
  const common = { providers: ctx.providers, threads: ctx.threads, modelsDir: ctx.paths.models, cwd: ctx.paths.cwd, log: ctx.log };
  const { path } = await resolveModel(refs.model, ctx.paths.models, ctx.paths.cwd);
  const emap = readEmap(await readModel(path), path);
  const detector = await openYunet(common);
  try {
    const embedder = await openEmbedder({ ...common, ref: refs.embedder });
    try {
      const embedding = await sourceEmbedding(detector, embedder, images);
      ctx.log.info(`source identity from ${images.length} image${images.length === 1 ? '' : 's'} (${images.map((s) => s.port).join(', ')})`);
      return sourceVector(embedding, emap);
    } finally {
      await embedder.dispose();
    }
  } finally {
    await detector.dispose();
  }
}

/** The connected source images of a Swapper, in port order. */
export function sourceImagesOf(inputs: Record<string, unknown>): SourceImage[] {
  return ['source', 'source2', 'source3'].flatMap((port) => {
    const image = inputs[port] as SourceImage['image'] | undefined;
    return image ? [{ port, image }] : [];
  });
}
