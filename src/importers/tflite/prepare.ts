/**
 * Preparing a TFLite model: read and hash-check the source, convert, and write
 * `<models>/<id>.onnx`, stamped with the package version, source hash and converter
 * version (src/models/prepared-model.ts: reused while the stamp matches, written atomically).
 */
import { join } from 'node:path';
import { prepareWithStamp, sharedPreparation, type PreparedModel } from '../../models/prepared-model.js';
import { convertTfliteToOnnx } from './convert.js';
import { readTfliteModel } from './read-model.js';
import { readCheckedSource } from './source-file.js';
import { TFLITE_CONVERTER_VERSION, TFLITE_SOURCES } from './sources.js';
import type { TfliteModelId } from './sources.js';

export interface PrepareTfliteOptions {
  modelsDir: string;
  /** Convert even when an up-to-date file exists. */
  force?: boolean;
  /** A node_modules folder to read packages from (default: where framefuse resolves them). */
  packagesDir?: string;
  log?: (message: string) => void;
}

export type PreparedTflite = PreparedModel;

export function preparedPath(id: TfliteModelId, modelsDir: string): string {
  return join(modelsDir, TFLITE_SOURCES[id].output);
}

/** Converts one model into the models folder unless an up-to-date one is there. */
export async function prepareTfliteModel(id: TfliteModelId, options: PrepareTfliteOptions): Promise<PreparedTflite> {
  const source = TFLITE_SOURCES[id];
  // The hash check runs every time: a changed package must be noticed even when a prepared file exists.
  const input = await readCheckedSource(source, options.packagesDir);
  const stamp = { converter: TFLITE_CONVERTER_VERSION, package: source.packageName, version: input.packageVersion, sha256: input.sha256 };
  let operators = 0;
  const prepared = await prepareWithStamp(options.modelsDir, source.output, stamp, options.force ?? false, async () => {
    const model = readTfliteModel(input.bytes, input.label);
    operators = model.operators.length;
    return convertTfliteToOnnx(model, {
      name: id,
      docString: `${source.description}; source ${source.packageName}@${input.packageVersion} ${source.file} sha256 ${input.sha256}; Apache-2.0`,
    }).bytes;
  });
  if (prepared.written) options.log?.(`${id}: converted ${input.label} (${operators} operators) to ${prepared.path} in ${Math.round(prepared.convertMs)} ms`);
  return prepared;
}

/**
 * The path of a prepared model, converting it first when it is missing or stale. Nodes
 * call this lazily; concurrent callers share one conversion.
 */
export function ensurePrepared(id: TfliteModelId, modelsDir: string, options: Omit<PrepareTfliteOptions, 'modelsDir' | 'force'> = {}): Promise<string> {
  return sharedPreparation(`tflite|${id}|${modelsDir}|${options.packagesDir ?? ''}`, () => prepareTfliteModel(id, { ...options, modelsDir }).then((r) => r.path));
}
