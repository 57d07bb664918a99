/**
 * Preparing an ESRGAN-slim model: check the package's files against the known hashes,
 * convert, check that onnxruntime runs the result at the expected scale, and write
 * `<models>/esrgan_x<s>.onnx`, stamped with the converter version, package version and file
 * hashes (src/models/prepared-model.ts: reused while the stamp matches, written atomically).
 */
import { join } from 'node:path';
import { operationalError, userError } from '../../errors.js';
import { prepareWithStamp, sharedPreparation, type PreparedModel } from '../../models/prepared-model.js';
import { convertLayersModel } from './convert.js';
import type { ConvertedModel } from './convert.js';
import { ESRGAN_PACKAGE, ESRGAN_SOURCES, esrganFileName, esrganSource } from './esrgan-slim.js';
import type { EsrganSource } from './esrgan-slim.js';
import { findPackage } from './package-dir.js';
import { readLayersModelFiles, weightsOf } from './read-files.js';
import { checkKnownFiles } from './source-check.js';

/** Bump when the converter's output changes, so prepared files are rebuilt. */
export const TFJS_CONVERTER_VERSION = 1;

export interface PrepareTfjsOptions {
  /** Convert even when an up-to-date file exists. */
  force?: boolean;
  /** A node_modules folder to read the package from (default: where framefuse resolves it). */
  packagesDir?: string;
  log?: (message: string) => void;
}

export type PreparedTfjs = PreparedModel;

/** One run on a tiny input: the file loads and upsamples by the model's factor. */
async function checkRuns(converted: ConvertedModel, source: EsrganSource): Promise<void> {
  // Loaded here, not at import: registering the preparers must not load the native runtime.
  const { default: ort } = await import('../../onnx/ort.js');
  const session = await ort.InferenceSession.create(converted.bytes, { executionProviders: ['cpu'], intraOpNumThreads: 1, logSeverityLevel: 3 });
  try {
    const side = 8;
    const result = await session.run({ input: new ort.Tensor('float32', new Float32Array(3 * side * side).fill(128), [1, 3, side, side]) });
    const dims = result['output']?.dims ?? [];
    const want = [1, 3, side * source.scale, side * source.scale];
    if (dims.join(',') !== want.join(',')) {
      throw operationalError('FF_TFJS_CONVERSION_FAILED', `${source.id}: the converted model gives [${dims.join(',')}] for an 8x8 input, expected [${want.join(',')}]`);
    }
  } finally {
    await session.release();
  }
}

/** Converts one ESRGAN-slim model into the models folder unless an up-to-date one is there. */
export async function prepareEsrgan(source: EsrganSource, modelsDir: string, options: PrepareTfjsOptions = {}): Promise<PreparedTfjs> {
  const pkg = findPackage(ESRGAN_PACKAGE, options.packagesDir);
  // Checked every time: a changed package is noticed even when a prepared file exists.
  const files = await checkKnownFiles(ESRGAN_PACKAGE, pkg, source.known);
  const stamp = { converter: TFJS_CONVERTER_VERSION, package: ESRGAN_PACKAGE, version: pkg.version, files };
  let from = '';
  const prepared = await prepareWithStamp(modelsDir, esrganFileName(source.scale), stamp, options.force ?? false, async () => {
    const read = await readLayersModelFiles(join(pkg.dir, source.modelJson));
    from = read.files[0]!.path;
    const converted = convertLayersModel(read.model, weightsOf(read), {
      file: from,
      name: source.id,
      docString: `ESRGAN-slim x${source.scale} from ${ESRGAN_PACKAGE}@${pkg.version} ${source.modelJson} (MIT, UpscalerJS); RGB 0..255 in and out, NCHW`,
    });
    await checkRuns(converted, source);
    return converted.bytes;
  });
  if (prepared.written) options.log?.(`${source.id}: converted ${from} to ${prepared.path} in ${Math.round(prepared.convertMs)} ms`);
  return prepared;
}

/**
 * The path of a prepared TF.js model (`esrgan_x2` ... `esrgan_x8`), converting it first
 * when it is missing or stale. Nodes call this lazily; concurrent callers share one
 * conversion.
 * @throws FF_MODEL_UNKNOWN for an id that is not a TF.js model.
 */
export function ensurePrepared(id: string, modelsDir: string, options: Omit<PrepareTfjsOptions, 'force'> = {}): Promise<string> {
  const source = esrganSource(id);
  if (!source) {
    return Promise.reject(
      userError('FF_MODEL_UNKNOWN', `${id} is not a TF.js model framefuse converts`, { fix: `one of ${ESRGAN_SOURCES.map((s) => s.id).join(', ')}` }),
    );
  }
  return sharedPreparation(`tfjs|${id}|${modelsDir}|${options.packagesDir ?? ''}`, () => prepareEsrgan(source, modelsDir, options).then((r) => r.path));
}
