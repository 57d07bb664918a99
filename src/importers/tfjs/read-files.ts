/**
 * Reading a layers model from disk: model.json, then the shards its weights manifest
 * names (paths relative to model.json), each file's sha256 recorded for source checks.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { operationalError } from '../../errors.js';
import { sha256Bytes } from '../../models/file-hash.js';
import { parseLayersModelJson } from './model-json.js';
import type { LayersModelJson } from './model-json.js';
import { readWeights } from './weights.js';
import type { Shard, WeightMap } from './weights.js';

export interface SourceFile {
  path: string;
  sha256: string;
}

export interface LayersModelFiles {
  model: LayersModelJson;
  /** Raw bytes per weights-manifest group (for the reference run in tfjs). */
  shards: Shard[][];
  /** model.json first, then the shards in manifest order. */
  files: SourceFile[];
}

async function readSource(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (cause) {
    throw operationalError('FF_MODEL_SOURCE_MISSING', `cannot read ${path}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, { cause });
  }
}

/**
 * Reads model.json and its shards, without checking them against known hashes (the
 * caller does that, before parsing anything, when it knows them).
 */
export async function readLayersModelFiles(modelJsonPath: string): Promise<LayersModelFiles> {
  const jsonBytes = await readSource(modelJsonPath);
  const model = parseLayersModelJson(new TextDecoder().decode(jsonBytes), modelJsonPath);
  const files: SourceFile[] = [{ path: modelJsonPath, sha256: sha256Bytes(jsonBytes) }];
  const shards: Shard[][] = [];
  for (const group of model.weightsManifest) {
    const parts: Shard[] = [];
    for (const relative of group.paths) {
      const path = join(dirname(modelJsonPath), relative);
      const bytes = await readSource(path);
      files.push({ path, sha256: sha256Bytes(bytes) });
      parts.push({ path, bytes });
    }
    shards.push(parts);
  }
  return { model, shards, files };
}

/** The weights of files read by `readLayersModelFiles`. */
export function weightsOf(files: LayersModelFiles): WeightMap {
  return readWeights(files.model, files.shards, files.files[0]!.path);
}
