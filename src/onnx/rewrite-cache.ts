/**
 * On-disk cache of rewritten models (batchified, float16, composed), keyed by the
 * sha256 of the source files and a description of the operation, so a second run pays
 * nothing. Each entry is `<dir>/<operation>-<key>.onnx` with a `.json` beside it saying
 * where it came from.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface RewriteKey {
  /** sha256 of every source model, in order. */
  sources: string[];
  /** The operation and everything that changes its result: `batchify-v1`, `fp16-v1:keep=...`, `compose-v1:swap>enh`. */
  operation: string;
}

export interface CachedRewrite {
  path: string;
  /** True when the file was already there. */
  hit: boolean;
}

export function rewriteKeyHash(key: RewriteKey): string {
  return createHash('sha256').update(JSON.stringify([key.sources, key.operation])).digest('hex').slice(0, 24);
}

export function rewritePath(dir: string, key: RewriteKey): string {
  const label = key.operation.split(':')[0]?.replace(/[^a-zA-Z0-9_.-]/g, '_') || 'rewrite';
  return join(dir, `${label}-${rewriteKeyHash(key)}.onnx`);
}

/**
 * Returns the cached rewrite, or produces, stores and returns it. `produce` may also
 * return provenance (a proof, tolerances) kept in the sidecar JSON.
 */
export async function cachedRewrite(
  dir: string,
  key: RewriteKey,
  produce: () => Promise<{ bytes: Uint8Array; details?: unknown }>,
): Promise<CachedRewrite> {
  const path = rewritePath(dir, key);
  if (existsSync(path)) return { path, hit: true };
  const { bytes, details } = await produce();
  await mkdir(dir, { recursive: true });
  const temp = `${path}.framefuse-tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  await writeFile(temp, bytes);
  await writeFile(`${path}.json`, JSON.stringify({ ...key, createdAt: new Date().toISOString(), details }, null, 2) + '\n');
  await rename(temp, path);
  return { path, hit: false };
}

/** The sidecar of a cached rewrite, or undefined. */
export async function readRewriteInfo(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(`${path}.json`, 'utf8'));
  } catch {
    return undefined;
  }
}
