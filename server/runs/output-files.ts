/**
 * Which files a run produced, found through the declared parameter roles: for every
 * output-file parameter, the file its node's result names (the Encoder returns the path it
 * actually wrote, which is a new numbered name when the one asked for was taken), else the
 * parameter's own value. Only files inside the data folder are listed.
 */
import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { paramRoles } from '../../src/model/param-roles.js';
import type { ResolvedGraph } from '../../src/graph/resolved-graph.js';
import type { RunOutputFile } from '../../src/model/run-record.js';

function writtenPath(result: unknown): string | null {
  const path = (result as { path?: unknown } | null | undefined)?.path;
  return typeof path === 'string' ? path : null;
}

export function runOutputFiles(graph: ResolvedGraph, results: Record<string, unknown>, root: string, runId: string): RunOutputFile[] {
  const files: RunOutputFile[] = [];
  const seen = new Set<string>();
  for (const node of graph.nodes.values()) {
    if (node.bypassed) continue;
    const params = node.params as Record<string, unknown>;
    for (const [param, role] of paramRoles(node.definition.params)) {
      const value = params[param];
      if (role.role !== 'output-file' || typeof value !== 'string') continue;
      const abs = resolve(root, writtenPath(results[node.id]) ?? value);
      const rel = relative(root, abs);
      if (rel.startsWith('..') || isAbsolute(rel) || seen.has(abs)) continue;
      const stat = statSync(abs, { throwIfNoEntry: false });
      if (!stat?.isFile()) continue;
      seen.add(abs);
      files.push({ node: node.id, path: rel.split('\\').join('/'), size: stat.size, url: `/api/runs/${runId}/outputs/${files.length}` });
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
