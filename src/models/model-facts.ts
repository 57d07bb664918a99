/**
 * What models/manifest.json declares about a known model (its tensors' colour order and
 * normalization), read from framefuse's own manifest once, synchronously, so pre- and
 * post-processing take a model's facts from the manifest instead of writing them again.
 * The facts of a model id do not depend on which models folder holds its file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findModel, parseManifest, type Manifest, type ModelEntry, type TensorSpec } from './manifest.js';
import { PROJECT_MODELS_DIR } from './paths.js';

let shipped: Manifest | null = null;

function shippedManifest(): Manifest {
  const path = join(PROJECT_MODELS_DIR, 'manifest.json');
  shipped ??= parseManifest(JSON.parse(readFileSync(path, 'utf8')), path);
  return shipped;
}

/** The manifest entry of a known model; a bug (not a user error) when the id is not in it. */
export function modelFacts(id: string): ModelEntry {
  const entry = findModel(shippedManifest(), id);
  if (!entry) throw new Error(`models/manifest.json has no model "${id}"`);
  return entry;
}

/** Input `index` of a known model, as the manifest describes it. */
export function inputSpec(id: string, index = 0): TensorSpec {
  const spec = modelFacts(id).inputs[index];
  if (!spec) throw new Error(`models/manifest.json: "${id}" has no input ${index}`);
  return spec;
}

/** Output `index` of a known model, as the manifest describes it. */
export function outputSpec(id: string, index = 0): TensorSpec {
  const spec = modelFacts(id).outputs[index];
  if (!spec) throw new Error(`models/manifest.json: "${id}" has no output ${index}`);
  return spec;
}
