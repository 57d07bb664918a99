/**
 * `framefuse models pull <id>`: download a manifest model with resume, check it against
 * its known or published hash, and only then give it its final name. A failed check
 * deletes the download and says so.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { operationalError, userError } from '../errors.js';
import { downloadToPart } from './download.js';
import type { DownloadProgress } from './download.js';
import { checkFileHash } from './model-check.js';
import type { HashCheck } from './model-check.js';
import type { ModelEntry } from './manifest.js';
import { readVerified, recordVerified } from './verified-hashes.js';

export interface PullOptions {
  onProgress?: (progress: DownloadProgress) => void;
  onMessage?: (message: string) => void;
  signal?: AbortSignal;
  /** Download again even when a verified file is present. */
  force?: boolean;
  /** Attempts per URL after a dropped connection. */
  retries?: number;
}

export interface PullResult {
  id: string;
  path: string;
  /** `present`: a good file was already there; `downloaded`: fetched now. */
  status: 'present' | 'downloaded';
  check: HashCheck;
  url?: string;
}

export async function pullModel(entry: ModelEntry, modelsDir: string, options: PullOptions = {}): Promise<PullResult> {
  const path = join(modelsDir, entry.file);
  const recorded = (await readVerified(modelsDir))[entry.id];
  const hashOptions = options.signal ? { signal: options.signal } : {};
  if (existsSync(path) && !options.force) {
    const check = await checkFileHash(path, entry, recorded, hashOptions);
    if (check.ok) return { id: entry.id, path, status: 'present', check };
    options.onMessage?.(`${path} is present but its ${check.by} is ${check.actual}, expected ${check.expected}: downloading again`);
  }
  if (entry.urls.length === 0) {
    throw userError('FF_MODEL_NOT_DOWNLOADABLE', `the model ${entry.id} has no download address; it ships with framefuse as ${path}`, {
      fix: `restore ${path} from the repository (git checkout -- ${path})`,
    });
  }
  await mkdir(modelsDir, { recursive: true });
  const part = `${path}.part`;
  const failures: string[] = [];
  for (const url of entry.urls) {
    try {
      await downloadToPart(url, part, {
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.onMessage ? { onMessage: options.onMessage } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.retries !== undefined ? { retries: options.retries } : {}),
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      failures.push(`${url}: ${(error as Error).message}`);
      options.onMessage?.(`download from ${url} failed; ${entry.urls.indexOf(url) < entry.urls.length - 1 ? 'trying the next address' : 'no address left'}`);
      continue;
    }
    const check = await checkFileHash(part, entry, recorded, hashOptions);
    if (!check.ok) {
      await rm(part, { force: true });
      throw operationalError(
        'FF_MODEL_HASH_MISMATCH',
        `the file downloaded from ${url} for ${entry.id} has ${check.by === 'manifest-sha256' ? 'sha256' : 'checksum'} ${check.actual}, expected ${check.expected} (${check.by}); the download was deleted`,
        { fix: `run ${`framefuse models pull ${entry.id}`} again; if it fails again, the file on the server has changed: report it` },
      );
    }
    await rename(part, path);
    if (!entry.sha256 && !recorded) {
      const size = (await stat(path)).size;
      await recordVerified(modelsDir, entry.id, { sha256: check.sha256, size, verifiedAt: new Date().toISOString(), checkedBy: check.by });
    }
    if (check.by === 'unchecked') options.onMessage?.(`no hash is known or published for ${entry.id}: recorded sha256 ${check.sha256} for later checks`);
    return { id: entry.id, path, status: 'downloaded', check, url };
  }
  throw operationalError('FF_DOWNLOAD_FAILED', `could not download ${entry.id} from any address: ${failures.join('; ')}`, {
    fix: 'check the network and run the same command again (partial downloads resume)',
  });
}
