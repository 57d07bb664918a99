/**
 * Reading a graph document: text to JSON (with line and column on a syntax error),
 * migration to the current format, then the document schema. Every step reports problems
 * rather than throwing, so a caller can print them all.
 */
import { readFile } from 'node:fs/promises';
import { locateJsonError } from './json-locate.js';
import { migrateDocument, type JsonObject } from './migrations.js';
import { zGraphDocument, type GraphDocument } from './document.js';
import { problem, type Problem } from '../model/problem.js';
import { isFramefuseError } from '../errors.js';
import { GRAPH_LIMITS, nestsDeeperThan } from './graph-limits.js';

export interface LoadResult {
  document: GraphDocument | null;
  problems: Problem[];
  /** Migration steps that were applied, oldest first. */
  migrated: string[];
}

export function parseGraphText(text: string): LoadResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const where = locateJsonError(text);
    const message = where
      ? `line ${where.line}, column ${where.column}: ${where.message}`
      : `not valid JSON: ${(error as Error).message}`;
    return { document: null, problems: [problem('FF_JSON_SYNTAX', message)], migrated: [] };
  }
  return parseGraphJson(json);
}

export function parseGraphJson(json: unknown): LoadResult {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { document: null, problems: [problem('FF_SCHEMA', 'a graph document is a JSON object with "nodes" and "edges"')], migrated: [] };
  }
  const tooBig = sizeProblem(json as Record<string, unknown>);
  if (tooBig) return { document: null, problems: [tooBig], migrated: [] };
  let migrated;
  try {
    migrated = migrateDocument(json as JsonObject);
  } catch (error) {
    if (!isFramefuseError(error)) throw error;
    return { document: null, problems: [problem(error.code, error.message, { field: error.field ?? 'schemaVersion' })], migrated: [] };
  }
  const parsed = zGraphDocument.safeParse(migrated.document);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const path = issue.path.map(String);
      // Point at the node by id when the issue is inside one.
      const nodeIndex = path[0] === 'nodes' ? Number(path[1]) : NaN;
      const nodes = (migrated.document.nodes ?? []) as { id?: unknown }[];
      const nodeId = Number.isInteger(nodeIndex) ? nodes[nodeIndex]?.id : undefined;
      const field = path.join('.');
      return problem('FF_SCHEMA', `${field || 'document'}: ${issue.message}`, typeof nodeId === 'string' ? { node: nodeId, field: path.slice(2).join('.') || undefined } : { field });
    });
    return { document: null, problems, migrated: migrated.applied };
  }
  return { document: parsed.data, problems: [], migrated: migrated.applied };
}

/** Checked before anything walks the document: nesting depth, node and edge counts. */
function sizeProblem(json: Record<string, unknown>): Problem | null {
  if (nestsDeeperThan(json, GRAPH_LIMITS.depth)) {
    return problem('FF_JSON_TOO_DEEP', `the document nests arrays and objects more than ${GRAPH_LIMITS.depth} levels deep; no graph needs that: check the parameters and metadata`);
  }
  for (const [key, max] of [['nodes', GRAPH_LIMITS.nodes], ['edges', GRAPH_LIMITS.edges]] as const) {
    const list = json[key];
    if (Array.isArray(list) && list.length > max) {
      return problem('FF_GRAPH_TOO_LARGE', `the graph has ${list.length} ${key}; at most ${max} are allowed: split it into smaller graphs`, { field: key });
    }
  }
  return null;
}

export async function loadGraphFile(path: string): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a graph file' : (error as Error).message;
    return { document: null, problems: [problem('FF_FILE_NOT_FOUND', message)], migrated: [] };
  }
  return parseGraphText(text);
}

/** Writes a document as the editor and CLI save it: 2-space JSON, trailing newline. */
export function serializeGraph(document: GraphDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
