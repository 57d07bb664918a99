/**
 * Which files a run produced: every path named in the nodes' results (an Encoder returns
 * its output file) that exists inside the data folder. Results of other shapes (a
 * checksum) are kept as plain results.
 */
import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { RunOutputFile } from './run-record.js';

function candidatePaths(value: unknown, depth = 0): string[] {
  if (depth > 3 || value === null || value === undefined) return [];
  if (typeof value === 'string') return /\.[A-Za-z0-9]{2,5}$/.test(value) && value.length < 4096 ? [value] : [];
  if (Array.isArray(value)) return value.slice(0, 16).flatMap((v) => candidatePaths(v, depth + 1));
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return ['path', 'file', 'output', 'outputPath', 'files'].flatMap((k) => candidatePaths(record[k], depth + 1));
  }
  return [];
}

export function findOutputFiles(results: Record<string, unknown>, root: string, runId: string): RunOutputFile[] {
  const files: RunOutputFile[] = [];
  const seen = new Set<string>();
  for (const [node, value] of Object.entries(results)) {
    for (const candidate of candidatePaths(value)) {
      const abs = resolve(root, candidate);
      const rel = relative(root, abs);
      if (rel.startsWith('..') || isAbsolute(rel) || seen.has(abs)) continue;
      const stat = statSync(abs, { throwIfNoEntry: false });
      if (!stat?.isFile()) continue;
      seen.add(abs);
      files.push({ node, path: rel.split('\\').join('/'), size: stat.size, url: `/api/runs/${runId}/outputs/${files.length}` });
    }
  }
  return files;
}

/** Results as JSON (typed arrays and cycles would not survive the socket). */
export function jsonSafe(results: Record<string, unknown>): Record<string, unknown> {
  try {
    return JSON.parse(JSON.stringify(results, (_k, v: unknown) => (ArrayBuffer.isView(v) ? `<${(v as ArrayBufferView).byteLength} bytes>` : v))) as Record<string, unknown>;
  } catch {
    return {};
  }
}
