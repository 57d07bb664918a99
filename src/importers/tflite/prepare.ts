/**
 * Preparing a TFLite model: read and hash-check the source, convert, and write
 * `<models>/<id>.onnx` with a stamp in the cache folder (`<models>/cache/<id>.onnx.source.json`:
 * package version, source hash, converter version; kept out of the models folder itself so
 * it needs no .gitignore entry). A prepared file is reused while its stamp matches and
 * rebuilt when the package version or converter changes. Both files are written under a
 * temporary name and renamed, so a failure never leaves a half-written model in place.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from '../../models/paths.js';
import { writeFileAtomic } from '../../models/write-atomic.js';
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

export interface PreparedTflite {
  /** The ONNX file. */
  path: string;
  /** Whether it was (re)written now. */
  written: boolean;
  /** Conversion time in ms (0 when reused). */
  convertMs: number;
}

interface Stamp {
  converter: number;
  package: string;
  version: string;
  sha256: string;
}

export function preparedPath(id: TfliteModelId, modelsDir: string): string {
  return join(modelsDir, TFLITE_SOURCES[id].output);
}

function stampPath(id: TfliteModelId, modelsDir: string): string {
  return join(cacheDir(modelsDir), `${TFLITE_SOURCES[id].output}.source.json`);
}

async function readStamp(path: string): Promise<Stamp | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Stamp;
  } catch {
    return null;
  }
}

/** Converts one model into the models folder unless an up-to-date one is there. */
export async function prepareTfliteModel(id: TfliteModelId, options: PrepareTfliteOptions): Promise<PreparedTflite> {
  const source = TFLITE_SOURCES[id];
  const path = preparedPath(id, options.modelsDir);
  // The hash check runs every time: a changed package must be noticed even when a prepared file exists.
  const input = await readCheckedSource(source, options.packagesDir);
  const wanted: Stamp = { converter: TFLITE_CONVERTER_VERSION, package: source.packageName, version: input.packageVersion, sha256: input.sha256 };
  const stamp = await readStamp(stampPath(id, options.modelsDir));
  if (!options.force && existsSync(path) && stamp && JSON.stringify(stamp) === JSON.stringify(wanted)) {
    return { path, written: false, convertMs: 0 };
  }
  const started = performance.now();
  const model = readTfliteModel(input.bytes, input.label);
  const converted = convertTfliteToOnnx(model, {
    name: id,
    docString: `${source.description}; source ${source.packageName}@${input.packageVersion} ${source.file} sha256 ${input.sha256}; Apache-2.0`,
  });
  const convertMs = performance.now() - started;
  await mkdir(options.modelsDir, { recursive: true });
  await writeFileAtomic(path, converted.bytes);
  await mkdir(cacheDir(options.modelsDir), { recursive: true });
  await writeFileAtomic(stampPath(id, options.modelsDir), `${JSON.stringify(wanted, null, 2)}\n`);
  options.log?.(`${id}: converted ${input.label} (${model.operators.length} operators) to ${path} in ${Math.round(convertMs)} ms`);
  return { path, written: true, convertMs };
}

const inFlight = new Map<string, Promise<string>>();

/**
 * The path of a prepared model, converting it first when it is missing or stale. Nodes
 * call this lazily; concurrent callers share one conversion.
 */
export function ensurePrepared(id: TfliteModelId, modelsDir: string, options: Omit<PrepareTfliteOptions, 'modelsDir' | 'force'> = {}): Promise<string> {
  const key = `${id}|${modelsDir}|${options.packagesDir ?? ''}`;
  let pending = inFlight.get(key);
  if (!pending) {
    pending = prepareTfliteModel(id, { ...options, modelsDir }).then((r) => r.path);
    inFlight.set(key, pending);
    const forget = () => inFlight.delete(key);
    pending.then(forget, forget);
  }
  return pending;
}
