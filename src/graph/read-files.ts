/**
 * The files a set of nodes reads, found through the declared parameter roles: every input
 * file and every model a node names (a path, or a manifest id resolved to its file). What
 * validation compares outputs against, and what a run's output policy protects.
 */
import { resolve } from 'node:path';
import { fileIdentity, type FileIdentity } from '../files/file-identity.js';
import { fileValues } from '../model/param-roles.js';
import { resolveModel } from '../models/paths.js';
import type { ResolvedNode } from './resolved-graph.js';

export interface ReadFile {
  /** Absolute path as written (resolved against the working folder). */
  path: string;
  /** Null when the file does not exist. */
  identity: FileIdentity | null;
  node: string;
  param: string | null;
}

export async function filesReadBy(nodes: Iterable<ResolvedNode>, paths: { cwd: string; models: string }): Promise<ReadFile[]> {
  const found = new Map<string, ReadFile>();
  for (const node of nodes) {
    for (const { param, role, value } of fileValues(node.definition.params, node.params as Record<string, unknown>)) {
      const path = resolve(paths.cwd, value);
      if (role.role !== 'output-file' && !found.has(path)) found.set(path, { path, identity: null, node: node.id, param });
    }
    for (const ref of node.definition.models?.(node.params) ?? []) {
      const model = await resolveModel(ref, paths.models, paths.cwd).catch(() => null);
      if (model && !found.has(model.path)) found.set(model.path, { path: model.path, identity: null, node: node.id, param: null });
    }
  }
  for (const file of found.values()) file.identity = await fileIdentity(file.path);
  return [...found.values()];
}

export function identitiesOf(files: readonly ReadFile[]): FileIdentity[] {
  return files.flatMap((f) => (f.identity ? [f.identity] : []));
}
