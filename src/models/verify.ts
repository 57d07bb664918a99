/**
 * `framefuse models verify`: present models are checked against their hashes and parsed
 * as ONNX, so a truncated or swapped file is found before a run needs it.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isFramefuseError } from '../errors.js';
import { decodeModel } from '../onnx/model-io.js';
import { checkFileHash } from './model-check.js';
import type { Manifest, ModelEntry } from './manifest.js';
import { readVerified, recordVerified } from './verified-hashes.js';
import { stat } from 'node:fs/promises';

export interface VerifyResult {
  id: string;
  file: string;
  status: 'ok' | 'missing' | 'hash-mismatch' | 'not-onnx' | 'unchecked';
  detail: string;
}

export async function verifyModel(entry: ModelEntry, modelsDir: string, options: { fetchHash?: boolean } = {}): Promise<VerifyResult> {
  const file = join(modelsDir, entry.file);
  if (!existsSync(file)) return { id: entry.id, file, status: 'missing', detail: `not downloaded: framefuse models pull ${entry.id}` };
  const recorded = (await readVerified(modelsDir))[entry.id];
  const check = await checkFileHash(file, entry, recorded, options);
  if (!check.ok) {
    return { id: entry.id, file, status: 'hash-mismatch', detail: `${check.by}: got ${check.actual}, expected ${check.expected}; delete it and pull again` };
  }
  try {
    decodeModel(await readFile(file), file);
  } catch (error) {
    return { id: entry.id, file, status: 'not-onnx', detail: isFramefuseError(error) ? error.message : String(error) };
  }
  if (!entry.sha256 && !recorded) {
    await recordVerified(modelsDir, entry.id, { sha256: check.sha256, size: (await stat(file)).size, verifiedAt: new Date().toISOString(), checkedBy: check.by });
  }
  if (check.by === 'unchecked') {
    return { id: entry.id, file, status: 'unchecked', detail: `parses as ONNX; no hash known to compare (sha256 ${check.sha256} recorded)` };
  }
  return { id: entry.id, file, status: 'ok', detail: `${check.by} matches; parses as ONNX` };
}

export async function verifyModels(manifest: Manifest, modelsDir: string, ids?: string[], options: { fetchHash?: boolean } = {}): Promise<VerifyResult[]> {
  const entries = ids && ids.length > 0 ? manifest.models.filter((m) => ids.includes(m.id)) : manifest.models;
  const results: VerifyResult[] = [];
  for (const entry of entries) results.push(await verifyModel(entry, modelsDir, options));
  return results;
}
