/**
 * `--set node.param=value` overrides, applied to a document before validation. Values are
 * JSON when they parse as JSON (numbers, booleans, arrays), else strings; a dotted param
 * path sets a nested value.
 */
import { userError } from '../errors.js';
import { didYouMean } from './suggest.js';
import { GRAPH_LIMITS, nestsDeeperThan } from '../model/graph-limits.js';
import type { GraphDocument } from '../model/document.js';

export interface Override {
  node: string;
  path: string[];
  value: unknown;
}

export function parseOverride(text: string): Override {
  const eq = text.indexOf('=');
  const key = eq < 0 ? '' : text.slice(0, eq);
  const parts = key.split('.');
  if (eq < 0 || parts.length < 2 || parts.length > 8 || parts.some((p) => p === '')) {
    throw userError('FF_SET_SYNTAX', `--set ${text}: write --set <node>.<param>=<value>, e.g. --set decoder.path=in.mp4`);
  }
  const raw = text.slice(eq + 1);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // Not JSON: a plain string such as a path.
  }
  if (nestsDeeperThan(value, GRAPH_LIMITS.depth)) {
    throw userError('FF_JSON_TOO_DEEP', `--set ${key}: the value nests more than ${GRAPH_LIMITS.depth} levels deep`, { fix: 'give a flat value (a number, a string, a short array)' });
  }
  return { node: parts[0]!, path: parts.slice(1), value };
}

/** A copy of `document` with the overrides applied; the input is not mutated. */
export function applyOverrides(document: GraphDocument, overrides: readonly Override[]): GraphDocument {
  const copy = structuredClone(document);
  for (const { node, path, value } of overrides) {
    const target = copy.nodes.find((n) => n.id === node);
    if (!target) {
      const ids = copy.nodes.map((n) => n.id);
      throw userError('FF_SET_UNKNOWN_NODE', `--set ${node}.${path.join('.')}: the graph has no node "${node}"${didYouMean(node, ids)}; its nodes are ${ids.join(', ')}`);
    }
    let cursor: Record<string, unknown> = target.params;
    for (const key of path.slice(0, -1)) {
      const next = cursor[key];
      cursor = typeof next === 'object' && next !== null && !Array.isArray(next) ? (next as Record<string, unknown>) : (cursor[key] = {});
    }
    cursor[path[path.length - 1]!] = value;
  }
  return copy;
}
