/** Loads a graph file for a command, applying --set overrides; prints problems the CLI way. */
import { loadGraphFile } from '../graph/load.js';
import { applyOverrides, parseOverride } from '../graph/overrides.js';
import { formatProblem, hasErrors, type Problem } from '../model/problem.js';
import { prepareGraph, type PreparedGraph } from '../run/prepare-graph.js';
import { cliRegistry } from './context.js';
import type { ProviderChoice } from '../model/providers.js';
import type { GraphDocument } from '../model/document.js';

export interface CliPrepared extends PreparedGraph {
  document: GraphDocument | null;
}

export function printProblems(file: string, problems: readonly Problem[]): void {
  for (const p of problems) process.stderr.write(`${formatProblem(file, p)}\n`);
}

export async function prepareFile(file: string, options: { sets?: string[]; providers?: ProviderChoice[]; checks?: boolean; cpuThreads?: number; replicas?: number }): Promise<CliPrepared> {
  const loaded = await loadGraphFile(file);
  if (!loaded.document) return { document: null, problems: loaded.problems, graph: null, plan: null };
  const document = applyOverrides(loaded.document, (options.sets ?? []).map(parseOverride));
  const prepared = await prepareGraph(document, await cliRegistry(), { ...(options.providers ? { providers: options.providers } : {}), checks: options.checks ?? true, ...(options.cpuThreads ? { cpuThreads: options.cpuThreads } : {}), ...(options.replicas ? { replicas: options.replicas } : {}) });
  return { ...prepared, document };
}

export { hasErrors };
