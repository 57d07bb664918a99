/**
 * A graph run by the server may name files only inside its data folder: a Decoder must not
 * read /etc/passwd, an Encoder must not write over ~/.bashrc. Parameters that hold paths
 * are recognised by name (path, file, ...Path, ...File), as every node in nodes/ names them.
 */
import type { GraphDocument } from '../../src/graph/document.js';
import { problem, type Problem } from '../../src/graph/problem.js';
import { resolveInside } from '../safe-path.js';

const PATH_PARAM = /^(path|file|input|output)$|(Path|File)$/;

export function isPathParam(name: string): boolean {
  return PATH_PARAM.test(name);
}

export function checkGraphPaths(doc: GraphDocument, root: string): Problem[] {
  const problems: Problem[] = [];
  for (const node of doc.nodes) {
    for (const [name, value] of Object.entries(node.params ?? {})) {
      if (!isPathParam(name) || typeof value !== 'string' || value === '') continue;
      try {
        resolveInside(root, value);
      } catch (error) {
        problems.push(problem('FF_PATH_UNSAFE', (error as Error).message, { node: node.id, field: name }));
      }
    }
  }
  return problems;
}
