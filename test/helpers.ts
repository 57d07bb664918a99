/** Shared test helpers: the registry with test nodes, and graph documents written compactly. */
import { fileURLToPath } from 'node:url';
import { loadNodeRegistry, type NodeRegistry } from '../src/node-api/registry.js';
import { GRAPH_SCHEMA_VERSION, type GraphDocument } from '../src/model/document.js';
import { validateGraph } from '../src/graph/validate.js';
import { planStages } from '../src/plan/plan-stages.js';
import type { ResolvedGraph } from '../src/graph/resolved-graph.js';
import type { Plan } from '../src/model/plan.js';

export const TEST_NODES_DIR = fileURLToPath(new URL('./nodes/', import.meta.url));

let registry: Promise<NodeRegistry> | undefined;
/** Built-in nodes plus the test-only nodes of test/nodes. */
export function testRegistry(): Promise<NodeRegistry> {
  registry ??= loadNodeRegistry({ dirs: [TEST_NODES_DIR] });
  return registry;
}

export type NodeShorthand = [id: string, type: string, params?: Record<string, unknown>];

/** A graph from `[id, type, params]` triples and `"a.out -> b.in"` edges. */
export function graph(nodes: NodeShorthand[], edges: string[], name = 'test'): GraphDocument {
  return {
    schemaVersion: GRAPH_SCHEMA_VERSION,
    name,
    nodes: nodes.map(([id, type, params]) => ({ id, type, version: 1, params: params ?? {} })),
    edges: edges.map((text) => {
      const [from, to] = text.split('->').map((s) => s.trim());
      const [fromNode, fromPort] = from!.split('.');
      const [toNode, toPort] = to!.split('.');
      return { from: { node: fromNode!, port: fromPort! }, to: { node: toNode!, port: toPort! } };
    }),
    metadata: {},
  };
}

/** Validates (failing loudly) and plans a document with the test registry. */
export async function resolveAndPlan(doc: GraphDocument, cpuThreads = 2, replicas?: number): Promise<{ graph: ResolvedGraph; plan: Plan }> {
  const { problems, graph: resolved } = await validateGraph(doc, await testRegistry());
  if (!resolved) throw new Error(`invalid test graph:\n${problems.map((p) => `${p.code} ${p.node ?? ''}: ${p.message}`).join('\n')}`);
  return { graph: resolved, plan: planStages(resolved, { providers: ['cpu'], cpuThreads, ...(replicas === undefined ? {} : { replicas }) }) };
}

/** Whether a process id is still running. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolves true once `pid` is gone, false if it is still there after `ms`. A killed child
 * stays visible (a zombie) until its parent reaps it, which can take a moment under load.
 */
export async function gone(pid: number, ms = 3000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}
