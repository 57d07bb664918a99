/**
 * Where models live: the manifest beside them, downloads and rewritten variants under
 * the same folder. `resolveModel` turns a manifest id or a path into a file, and says
 * how to get it when it is missing.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { operationalError, userError } from '../errors.js';
import { findModel, loadManifest } from './manifest.js';
import type { Manifest, ModelEntry } from './manifest.js';
import type { NodeCheckProblem } from '../node-api/define-node.js';
import { isModelPath } from '../model/param-roles.js';
import { nonRegularKind } from '../files/file-kind.js';
import { notOnnxReason } from '../onnx/model-file-check.js';

/** framefuse's own models/ folder (dist/src/models -> ../../../models), where shipped and prepared models live. */
export const PROJECT_MODELS_DIR = fileURLToPath(new URL('../../../models/', import.meta.url));

/**
 * The models folder: FRAMEFUSE_MODELS (relative to `cwd`), else framefuse's own models/,
 * whatever folder framefuse runs from.
 */
export function defaultModelsDir(cwd = process.cwd()): string {
  const fromEnv = process.env['FRAMEFUSE_MODELS'];
  return fromEnv ? resolve(cwd, fromEnv) : resolve(PROJECT_MODELS_DIR);
}

export function manifestPath(modelsDir: string): string {
  return join(modelsDir, 'manifest.json');
}

/** Rewritten and composed models: `<models>/cache`. */
export function cacheDir(modelsDir: string): string {
  return join(modelsDir, 'cache');
}

export interface ResolvedModel {
  path: string;
  /** The manifest entry when the model was named by id. */
  entry?: ModelEntry;
}


/** The command that fetches a manifest model. */
export function pullCommand(id: string): string {
  return `framefuse models pull ${id}`;
}

/** How to get a missing model: convert it (built-in models) or download it. */
export function obtainCommand(entry: ModelEntry): string {
  return entry.preparedFrom ? `framefuse models prepare ${entry.preparedFrom.preparer}` : pullCommand(entry.id);
}

/**
 * A manifest id (`inswapper_128`) or a path to a .onnx file, as a file that exists.
 * @throws FF_MODEL_MISSING with the pull command, or FF_MODEL_UNKNOWN for an id not in the manifest.
 */
export async function resolveModel(ref: string, modelsDir: string, cwd = process.cwd()): Promise<ResolvedModel> {
  if (isModelPath(ref)) {
    const path = isAbsolute(ref) ? ref : resolve(cwd, ref);
    if (!existsSync(path)) throw operationalError('FF_MODEL_MISSING', `the model file ${path} does not exist`);
    return { path };
  }
  const manifest = await loadManifest(manifestPath(modelsDir));
  return resolveFromManifest(manifest, ref, modelsDir);
}

export function resolveFromManifest(manifest: Manifest, id: string, modelsDir: string): ResolvedModel {
  const entry = findModel(manifest, id);
  if (!entry) {
    throw userError('FF_MODEL_UNKNOWN', `no model "${id}" in ${manifestPath(modelsDir)}`, {
      fix: `pick one of ${manifest.models.map((m) => m.id).join(', ')} (framefuse models list), or pass a path to a .onnx file`,
    });
  }
  const path = join(modelsDir, entry.file);
  if (!existsSync(path)) {
    throw operationalError('FF_MODEL_MISSING', `the model ${id} is not ${entry.preparedFrom ? 'prepared' : 'downloaded'} (${path} is missing)`, {
      fix: entry.preparedFrom || entry.urls.length > 0 ? `run: ${obtainCommand(entry)}` : `this model ships with framefuse; restore ${path} from the repository`,
    });
  }
  return { path, entry };
}

/**
 * For a node's `check`: a problem when the model it names is missing (with the exact
 * command that fetches it) or is not an ONNX model. Returns [] when the model is usable.
 */
export async function checkModelPresent(ref: string, modelsDir: string, param: string, cwd = process.cwd()): Promise<NodeCheckProblem[]> {
  try {
    const { path } = await resolveModel(ref, modelsDir, cwd);
    const info = await stat(path);
    const kind = nonRegularKind(info);
    if (kind) return [{ code: 'FF_MODEL_NOT_ONNX', severity: 'error', param, message: `the model ${path} is ${kind}, not a model file` }];
    const why = await notOnnxReason(path);
    if (why) return [{ code: 'FF_MODEL_NOT_ONNX', severity: 'error', param, message: `${path} is not an ONNX model: ${why}; give a .onnx file (TFLite, TF.js and PyTorch files must be converted first)` }];
    return [];
  } catch (error) {
    const e = error as { code?: string; message: string; fix?: string };
    return [{ code: e.code ?? 'FF_MODEL_MISSING', severity: 'error', param, message: e.fix ? `${e.message}; ${e.fix}` : e.message }];
  }
}

/**
 * The size in bytes of the model `ref` names: its file when present, else the size the
 * manifest records for it, else 0 (unknown: a path that does not exist, a model not yet
 * converted). For estimates only; never throws.
 */
export async function modelBytes(ref: string, modelsDir: string, cwd = process.cwd()): Promise<number> {
  try {
    const { path } = await resolveModel(ref, modelsDir, cwd);
    return (await stat(path)).size;
  } catch {
    if (isModelPath(ref)) return 0;
    try {
      return findModel(await loadManifest(manifestPath(modelsDir)), ref)?.size ?? 0;
    } catch {
      return 0;
    }
  }
}
