/**
 * models/manifest.json: every model framefuse knows, where to get it and how to feed it.
 * The zod schema is the single definition; `zManifest` validates the file, `Manifest`
 * is its type.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { operationalError } from '../errors.js';

const zDim = z.union([z.number().int().positive(), z.string().min(1)]);

/** How pixels (0..255) become model values: value = (pixel - mean) / std, per channel or for all. */
export const zNormalization = z.object({
  mean: z.union([z.number(), z.array(z.number()).length(3)]),
  std: z.union([z.number().positive(), z.array(z.number().positive()).length(3)]),
});

export const zTensorSpec = z.object({
  name: z.string().min(1),
  type: z.enum(['float32', 'float16', 'float64', 'int64', 'int32', 'uint8']).default('float32'),
  shape: z.array(zDim),
  layout: z.enum(['NCHW', 'NHWC', 'NC', 'N', 'scalar', 'other']).optional(),
  colorOrder: z.enum(['RGB', 'BGR']).optional(),
  normalization: zNormalization.optional(),
  description: z.string().optional(),
});

export const zModelTask = z.enum([
  'face-swap',
  'face-embedding',
  'face-enhance',
  'face-detect',
  'face-landmark',
  'frame-upscale',
]);

export const zModelEntry = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'ids are lowercase letters, digits, _ . -'),
  title: z.string().min(1),
  task: zModelTask,
  /** File name under the models folder. */
  file: z.string().regex(/^[^/\\]+\.onnx$/, 'a bare .onnx file name'),
  /** Download locations, tried in order. Empty for models that ship in the repository. */
  urls: z.array(z.url()),
  /** FaceFusion's CRC32 `.hash` file beside the download, tried in order. */
  hashUrls: z.array(z.url()).default([]),
  /** Known sha256; null until someone verifies a download (framefuse then records it locally). */
  sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  /** Known CRC32 (8 hex digits), when published values were checked. */
  crc32: z.string().regex(/^[0-9a-f]{8}$/).nullable().default(null),
  /** Size in bytes, when known. */
  size: z.number().int().positive().nullable(),
  license: z.string().min(1),
  /** Where the model comes from (paper, repository). */
  source: z.url(),
  inputs: z.array(zTensorSpec).min(1),
  outputs: z.array(zTensorSpec).min(1),
  /** Five-point alignment template of the crop the model takes. */
  template: z.enum(['arcface_112_v2', 'arcface_128', 'ffhq_512']).optional(),
  /** True when the published file has a fixed batch of 1 (batchify before batching). */
  fixedBatch: z.boolean().default(true),
  notes: z.string().optional(),
  /**
   * Set for built-in models that framefuse converts from a file an npm package ships
   * (`framefuse models prepare <preparer>`), rather than downloads.
   */
  preparedFrom: z.object({ preparer: z.string().min(1), package: z.string().min(1) }).optional(),
});

export const zManifest = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(1),
    models: z.array(zModelEntry),
  })
  .superRefine((manifest, ctx) => {
    const seen = new Map<string, number>();
    manifest.models.forEach((model, index) => {
      for (const key of [`id:${model.id}`, `file:${model.file}`]) {
        const first = seen.get(key);
        if (first !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['models', index], message: `duplicate ${key.replace(':', ' ')} (first at models[${first}])` });
        }
        seen.set(key, index);
      }
    });
  });

export type Manifest = z.output<typeof zManifest>;
export type ModelEntry = z.output<typeof zModelEntry>;
export type TensorSpec = z.output<typeof zTensorSpec>;

/** Parses a manifest document; every problem is listed with its path. */
export function parseManifest(data: unknown, source = 'models/manifest.json'): Manifest {
  const result = zManifest.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw operationalError('FF_MANIFEST_INVALID', `${source} is not a valid model manifest: ${problems.join('; ')}`);
  }
  return result.data;
}

/** Reads and validates a manifest file. */
export async function loadManifest(path: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw operationalError('FF_MANIFEST_INVALID', `cannot read the model manifest ${path}: ${(cause as Error).message}`, { cause });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw operationalError('FF_MANIFEST_INVALID', `${path} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  return parseManifest(data, path);
}

/** The entry with this id, or undefined. */
export function findModel(manifest: Manifest, id: string): ModelEntry | undefined {
  return manifest.models.find((m) => m.id === id);
}
