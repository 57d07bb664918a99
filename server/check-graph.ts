/**
 * Validation as the server does it: parse and migrate the document, validate it with every
 * file a node names confined to the data folder (by the parameters' declared roles) and
 * the nodes' own checks against it, then plan. One function for /api/validate, /api/plan
 * and runs. Problems leave with the server's folders written as relative paths.
 */
import { parseGraphJson } from '../src/model/parse-document.js';
import { hasErrors, type Problem } from '../src/model/problem.js';
import type { GraphDocument } from '../src/model/document.js';
import type { Plan } from '../src/model/plan.js';
import type { ResolvedGraph } from '../src/graph/resolved-graph.js';
import { redactProblems } from './redact-paths.js';
import type { ServerContext } from './server-context.js';
import type { ProviderChoice } from '../src/model/providers.js';

export interface GraphCheck {
  valid: boolean;
  document: GraphDocument | null;
  problems: Problem[];
  /** The validated graph (parameters parsed) and its plan, when valid: what a run executes. */
  graph: ResolvedGraph | null;
  plan: Plan | null;
  migrated: string[];
}

/** The server's own default applies only to a graph that names no providers. */
export function serverProviders(fallback: ProviderChoice[] | undefined, document: GraphDocument): { providers?: ProviderChoice[] } {
  return fallback && !document.providers ? { providers: fallback } : {};
}

export async function checkGraph(ctx: ServerContext, json: unknown): Promise<GraphCheck> {
  const loaded = parseGraphJson(json);
  if (!loaded.document) return { valid: false, document: null, problems: redactProblems(loaded.problems, ctx.folders), graph: null, plan: null, migrated: loaded.migrated };
  const prepared = await ctx.prepare(loaded.document, ctx.registry, { ...serverProviders(ctx.providers, loaded.document), cwd: ctx.folders.root, confineTo: ctx.folders.root });
  const valid = !hasErrors(prepared.problems);
  return { valid, document: loaded.document, problems: redactProblems(prepared.problems, ctx.folders), graph: valid ? prepared.graph : null, plan: valid ? prepared.plan : null, migrated: loaded.migrated };
}
