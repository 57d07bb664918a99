/**
 * Reading a graph document from text or parsed JSON: syntax (with line and column), size
 * limits, migration to the current format, then the document schema. Every step reports
 * problems rather than throwing, so a caller can show them all. Browser-safe: the CLI, the
 * server and the editor read documents with these same functions.
 */
import { describeZodIssue } from './zod-issue.js';
import { locateJsonError } from './json-locate.js';
import { migrateDocument, type JsonObject } from './migrations.js';
import { zGraphDocument, type GraphDocument } from './document.js';
import { problem, type Problem } from './problem.js';
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
  const migrated = migrateDocument(json as JsonObject);
  if (!migrated.ok) return { document: null, problems: [migrated.problem], migrated: [] };
  const parsed = zGraphDocument.safeParse(migrated.document);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const path = issue.path.map(String);
      // Point at the node by id when the issue is inside one.
      const nodeIndex = path[0] === 'nodes' ? Number(path[1]) : NaN;
      const nodes = (migrated.document.nodes ?? []) as { id?: unknown }[];
      const nodeId = Number.isInteger(nodeIndex) ? nodes[nodeIndex]?.id : undefined;
      const field = path.join('.');
      return problem('FF_SCHEMA', `${field || 'document'} ${describeZodIssue(issue)}`, typeof nodeId === 'string' ? { node: nodeId, field: path.slice(2).join('.') || undefined } : { field });
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

/** Writes a document as the editor and CLI save it: 2-space JSON, trailing newline. */
export function serializeGraph(document: GraphDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
