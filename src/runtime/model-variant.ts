/**
 * The file a session actually loads: the model itself, or its batchified and/or float16
 * rewrite from the on-disk cache (made, proven and stored on first use).
 */
import { readFile, stat } from 'node:fs/promises';
import { batchifyProven } from '../onnx/batchify-proof.js';
import { toFp16 } from '../onnx/fp16.js';
import { assertFp16WithinTolerance } from '../onnx/fp16-check.js';
import { inspectModel } from '../onnx/inspect.js';
import { decodeModel, encodeModel } from '../onnx/model-io.js';
import { cachedRewrite } from '../onnx/rewrite-cache.js';
import { sha256File } from '../models/file-hash.js';

export interface VariantOptions {
  /** Rewrite a fixed batch of 1 to a dynamic batch (proven numerically). */
  batchify?: boolean;
  /** Convert to float16 weights and compute (checked against float32). */
  fp16?: boolean;
  cacheDir: string;
  log?: (message: string) => void;
}

export interface ModelVariant {
  /** The file to load. */
  path: string;
  /** sha256 of the source file. */
  sourceHash: string;
  /** What was applied: [] for the file as is. */
  applied: string[];
}

/**
 * Variants already worked out in this thread, by source file (path, size and time: a model
 * replaced in place is looked at anew) and options. Deciding needs the whole model read and
 * decoded (hundreds of MB for a face swapper), so a thread kept warm between a farm's
 * segments does it once, not per segment.
 */
const known = new Map<string, { variant: ModelVariant; notes: string[] }>();

export async function modelVariant(file: string, options: VariantOptions): Promise<ModelVariant> {
  const { size, mtimeMs } = await stat(file);
  const key = JSON.stringify([file, size, mtimeMs, Boolean(options.batchify), Boolean(options.fp16), options.cacheDir]);
  const seen = known.get(key);
  // The cached rewrite may have been removed since (framefuse models clean): then made again.
  if (seen && (await stat(seen.variant.path).then((s) => s.isFile(), () => false))) {
    for (const note of seen.notes) options.log?.(note);
    return seen.variant;
  }
  // What a later open says: the rewrites come from the cache then.
  const notes: string[] = [];
  const variant = await workOut(file, options, (kind, path) => notes.push(`${file}: using the cached ${kind} rewrite (${path})`));
  known.set(key, { variant, notes });
  return variant;
}

async function workOut(file: string, options: VariantOptions, note: (kind: string, path: string) => void): Promise<ModelVariant> {
  const sourceHash = await sha256File(file);
  let path = file;
  let hash = sourceHash;
  const applied: string[] = [];
  if (options.batchify) {
    const model = decodeModel(await readFile(path), path);
    if (inspectModel(model).batch.kind === 'fixed') {
      const result = await cachedRewrite(options.cacheDir, { sources: [hash], operation: 'batchify-v2' }, async () => {
        const report = await batchifyProven(model, { batchSizes: [2, 3] });
        return { bytes: encodeModel(report.model), details: { rewrites: report.rewrites, proof: report.proof } };
      });
      options.log?.(`${file}: ${result.hit ? 'using the cached' : 'made and proved a'} dynamic-batch rewrite (${result.path})`);
      note('dynamic-batch', result.path);
      path = result.path;
      hash = await sha256File(path);
      applied.push('batchify');
    }
  }
  if (options.fp16) {
    const source = path;
    const result = await cachedRewrite(options.cacheDir, { sources: [hash], operation: 'fp16-v1' }, async () => {
      const model = decodeModel(await readFile(source), source);
      const half = toFp16(model);
      const comparison = await assertFp16WithinTolerance(model, half);
      return { bytes: encodeModel(half), details: comparison };
    });
    options.log?.(`${file}: ${result.hit ? 'using the cached' : 'made and checked a'} float16 rewrite (${result.path})`);
    note('float16', result.path);
    path = result.path;
    applied.push('fp16');
  }
  return { path, sourceHash, applied };
}
