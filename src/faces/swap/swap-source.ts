/**
 * What a Swapper computes when the run opens (and again when a live run gives it a new
 * picture): the source vector inswapper takes,
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

/**
 * A Swapper's source identity, kept with the images it came from: the node and the fused
 * face chain open it once, and a live run's new picture on one port recomputes it from all
 * of them. A change that fails (no face in the new picture) leaves the identity it had.
 */
export class SwapSource {
  private images: Record<string, unknown> = {};
  private current: Float32Array | undefined;

  constructor(
    private readonly ctx: NodeContext<unknown>,
    private readonly refs: SwapSourceRefs,
  ) {}

  /** The vector inswapper takes; set once `open` resolved. */
  get vector(): Float32Array {
    if (!this.current) throw new Error('the swap source was read before it was opened');
    return this.current;
  }

  async open(inputs: Record<string, unknown>): Promise<void> {
    this.images = { ...inputs };
    this.current = await swapSourceVector(this.ctx, this.refs, sourceImagesOf(this.images));
  }

  /** New images on some ports while the run goes; the others stay. @throws FF_NO_SOURCE_FACE, and nothing changes. */
  async change(inputs: Record<string, unknown>): Promise<void> {
    const next = { ...this.images, ...inputs };
    this.current = await swapSourceVector(this.ctx, this.refs, sourceImagesOf(next));
    this.images = next;
  }
}
