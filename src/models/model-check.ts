/**
 * Checking a model file against what is known of it: the manifest's sha256, a sha256
 * recorded at an earlier verification, a known CRC32, or FaceFusion's published .hash.
 */
import { crc32File, sha256File } from './file-hash.js';
import type { ModelEntry } from './manifest.js';
import type { VerifiedRecord } from './verified-hashes.js';

export interface HashCheck {
  ok: boolean;
  /** What was compared: `sha256 (manifest)`, `crc32 (published .hash)`, ... or `nothing known`. */
  by: VerifiedRecord['checkedBy'];
  expected?: string;
  actual?: string;
  sha256: string;
}

/** Fetches the first published CRC32 that answers (FaceFusion's `.hash` files hold 8 hex digits). */
export async function fetchPublishedCrc32(hashUrls: readonly string[], signal?: AbortSignal): Promise<string | undefined> {
  for (const url of hashUrls) {
    try {
      const response = await fetch(url, signal ? { signal } : {});
      if (!response.ok) continue;
      const match = /[0-9a-fA-F]{8}/.exec(await response.text());
      if (match) return match[0].toLowerCase();
    } catch {
      // try the next mirror
    }
  }
  return undefined;
}

export async function checkFileHash(
  path: string,
  entry: ModelEntry,
  recorded: VerifiedRecord | undefined,
  options: { fetchHash?: boolean; signal?: AbortSignal } = {},
): Promise<HashCheck> {
  const sha256 = await sha256File(path);
  if (entry.sha256) return { ok: sha256 === entry.sha256, by: 'manifest-sha256', expected: entry.sha256, actual: sha256, sha256 };
  if (recorded) return { ok: sha256 === recorded.sha256, by: recorded.checkedBy, expected: recorded.sha256, actual: sha256, sha256 };
  if (entry.crc32) {
    const crc = await crc32File(path);
    return { ok: crc === entry.crc32, by: 'crc32', expected: entry.crc32, actual: crc, sha256 };
  }
  if (options.fetchHash !== false && entry.hashUrls.length > 0) {
    const published = await fetchPublishedCrc32(entry.hashUrls, options.signal);
    if (published) {
      const crc = await crc32File(path);
      return { ok: crc === published, by: 'hash-file', expected: published, actual: crc, sha256 };
    }
  }
  return { ok: true, by: 'unchecked', sha256 };
}
