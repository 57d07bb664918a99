/**
 * Validation: every problem of a graph at once, each with a stable code, the node, the
 * port or parameter, and the fix. The steps, in order:
 *   1. node ids unique, node types known, node versions migrated, params parsed;
 *   2. edges point at real nodes and ports, and connect compatible types;
 *   3. every required input is connected, and by one edge only;
 *   4. no cycles;
 *   5. the files the nodes name, by their roles: inside the sandbox when there is one,
 *      inputs present, outputs writable and never an input; then each node's own checks
 *      (models pulled), except on nodes that name a file outside the sandbox or are bypassed;
 *   and a bypassed node's outputs each need a connected input of their type (bypass.ts).
 * When there is no error, the result also holds the resolved graph.
 */
import { describeZodIssue } from '../model/zod-issue.js';
import { checkModelFamilies } from './check-model-family.js';
import type { z } from 'zod';
import { canConnect, portRate } from '../model/port-types.js';
import { portKey, type PortKey } from '../model/port-key.js';
import { problem, hasErrors, type Problem } from '../model/problem.js';
import { topoSort } from './topo-sort.js';
import { didYouMean } from './suggest.js';
import { checkFiles } from './check-files.js';
import { bypassRoutes } from './bypass.js';
import { GRAPH_LIMITS } from '../model/graph-limits.js';
import type { GraphDocument, GraphNode } from '../model/document.js';
import type { ResolvedEdge, ResolvedGraph, ResolvedNode } from './resolved-graph.js';
import type { NodeRegistry } from '../node-api/registry.js';
import type { AnyNodeDefinition, CheckEnv } from '../node-api/define-node.js';

export interface ValidationResult {
  problems: Problem[];
  /** Present when there is no error (warnings allowed). */
  graph: ResolvedGraph | null;
}

export interface ValidateOptions {
  /** Environment for the file checks and the nodes' own checks; without it they are skipped. */
  checkEnv?: CheckEnv;
  /** Every file a node names must lie inside this folder (the server's data folder). */
  confineTo?: string;
}

function migrateParams(node: GraphNode, def: AnyNodeDefinition, problems: Problem[]): Record<string, unknown> | null {
  let params = { ...node.params };
  if (node.version > def.version) {
    problems.push(
      problem('FF_NODE_VERSION_TOO_NEW', `the graph uses ${def.type} version ${node.version}, this framefuse knows up to ${def.version}: upgrade framefuse`, {
        node: node.id,
      }),
    );
    return null;
  }
  for (let v = node.version; v < def.version; v++) {
    const step = def.migrate?.[v];
    if (!step) {
      problems.push(problem('FF_NODE_VERSION', `${def.type} has no migration from version ${v} to ${v + 1}`, { node: node.id }));
      return null;
    }
    params = step(params);
  }
  return params;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) value = (value as Record<PropertyKey, unknown> | undefined)?.[key];
  return value;
}

function resolveNode(node: GraphNode, registry: NodeRegistry, problems: Problem[]): ResolvedNode | null {
  const registered = registry.get(node.type);
  if (!registered) {
    problems.push(
      problem(
        'FF_UNKNOWN_NODE_TYPE',
        `unknown node type "${node.type}"${didYouMean(node.type, registry.types())}; \`framefuse nodes\` lists the types`,
        { node: node.id },
      ),
    );
    return null;
  }
  const def = registered.definition;
  const rawParams = migrateParams(node, def, problems);
  if (!rawParams) return null;
  const known = Object.keys(def.params.shape);
  for (const key of Object.keys(rawParams)) {
    if (!known.includes(key)) {
      problems.push(
        problem(
          'FF_PARAM_UNKNOWN',
          `${def.type} has no parameter "${key}"${didYouMean(key, known)}; it is ignored. Parameters: ${known.join(', ') || 'none'}`,
          { node: node.id, field: key },
          'warning',
        ),
      );
    }
  }
  const parsed = def.params.safeParse(rawParams);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path.map(String).join('.') || undefined;
      const got = valueAt(rawParams, issue.path as PropertyKey[]);
      const shown = got === undefined ? '' : ` (got ${JSON.stringify(got)})`;
      problems.push(problem('FF_PARAM_INVALID', `${field ?? 'params'} ${describeZodIssue(issue)}${shown}`, { node: node.id, ...(field ? { field } : {}) }));
    }
    return null;
  }
  return { id: node.id, type: def.type, definition: def, moduleUrl: registered.moduleUrl, rawParams, params: parsed.data, bypassed: node.bypass === true };
}

export async function validateGraph(doc: GraphDocument, registry: NodeRegistry, options: ValidateOptions = {}): Promise<ValidationResult> {
  const problems: Problem[] = [];
  if (doc.nodes.length === 0) problems.push(problem('FF_EMPTY_GRAPH', 'the graph has no nodes: add a source (Decoder) and a sink (Encoder)'));

  // 1. Ids, types, params. Ports are checked for every node of a known type, even when
  // its params are invalid, so one bad value does not hide the edge problems around it.
  const nodes = new Map<string, ResolvedNode>();
  const typed = new Map<string, AnyNodeDefinition>();
  const declared = new Map<string, GraphNode>();
  for (const node of doc.nodes) {
    if (declared.has(node.id)) {
      problems.push(problem('FF_DUPLICATE_ID', `two nodes have the id "${node.id}": give each node its own id`, { node: node.id }));
      continue;
    }
    declared.set(node.id, node);
    const definition = registry.get(node.type)?.definition;
    if (definition) typed.set(node.id, definition);
    const resolved = resolveNode(node, registry, problems);
    if (resolved) nodes.set(node.id, resolved);
  }

  // 2. Edges.
  const edges: ResolvedEdge[] = [];
  for (const edge of doc.edges) {
    const label = `edge ${edge.from.node}.${edge.from.port} -> ${edge.to.node}.${edge.to.port}`;
    const ends = [
      { side: 'from', ref: edge.from, ports: 'outputs' },
      { side: 'to', ref: edge.to, ports: 'inputs' },
    ] as const;
    let ok = true;
    for (const { side, ref, ports } of ends) {
      if (!declared.has(ref.node)) {
        problems.push(problem('FF_DANGLING_EDGE', `${label}: there is no node "${ref.node}"${didYouMean(ref.node, [...declared.keys()])}`, { node: side === 'from' ? edge.to.node : edge.from.node }));
        ok = false;
        continue;
      }
      const target = typed.get(ref.node);
      if (!target) {
        ok = false;
        continue;
      }
      const names = Object.keys(target[ports]);
      if (!names.includes(ref.port)) {
        const kind = ports === 'outputs' ? 'output' : 'input';
        problems.push(
          problem(
            'FF_DANGLING_EDGE',
            `${label}: ${target.type} has no ${kind} port "${ref.port}"${didYouMean(ref.port, names)}; its ${kind}s are ${names.join(', ') || 'none'}`,
            { node: ref.node, field: ref.port },
          ),
        );
        ok = false;
      }
    }
    if (!ok) continue;
    const fromType = typed.get(edge.from.node)!.outputs[edge.from.port]!.type;
    const toType = typed.get(edge.to.node)!.inputs[edge.to.port]!.type;
    if (!canConnect(fromType, toType)) {
      problems.push(
        problem('FF_PORT_TYPE_MISMATCH', `${label}: a ${fromType} output cannot feed a ${toType} input; connect an output of type ${toType}`, {
          node: edge.to.node,
          field: edge.to.port,
        }),
      );
      continue;
    }
    edges.push({ from: { node: edge.from.node, port: edge.from.port }, to: { node: edge.to.node, port: edge.to.port }, type: fromType, rate: portRate(fromType) });
  }

  // 3. Inputs: connected when required, never twice. (Maps, not scans: linear in the graph's size.)
  const feedingInput = new Map<PortKey, ResolvedEdge[]>();
  for (const e of edges) {
    const key = portKey(e.to);
    feedingInput.set(key, [...(feedingInput.get(key) ?? []), e]);
  }
  const danglingInputs = new Set(doc.edges.map((e) => portKey(e.to)));
  for (const [id, definition] of typed) {
    const node = { id };
    for (const [port, spec] of Object.entries(definition.inputs)) {
      const feeding = feedingInput.get(portKey({ node: id, port })) ?? [];
      if (feeding.length > 1) {
        problems.push(
          problem('FF_INPUT_CONNECTED_TWICE', `input "${port}" is fed by ${feeding.length} edges (${feeding.map((e) => `${e.from.node}.${e.from.port}`).join(', ')}); an input takes one edge`, {
            node: node.id,
            field: port,
          }),
        );
      }
      const dangling = danglingInputs.has(portKey({ node: id, port }));
      if (feeding.length === 0 && !dangling && !spec.optional) {
        problems.push(problem('FF_MISSING_INPUT', `required input "${port}" (${spec.type}) is not connected: connect a ${spec.type} output to it`, { node: node.id, field: port }));
      }
    }
  }

  // Bypassed nodes: each output something reads needs a connected input of its type.
  const bypassed = doc.nodes.filter((n) => n.bypass === true && typed.has(n.id)).map((n) => ({ id: n.id, ...typed.get(n.id)! }));
  problems.push(...bypassRoutes(bypassed, edges).problems);

  // 4. Cycles.
  const ids = [...new Set(doc.nodes.map((n) => n.id))];
  const sorted = topoSort(ids, doc.edges.map((e) => [e.from.node, e.to.node] as const));
  if (sorted.cycle) {
    problems.push(problem('FF_CYCLE', `the graph has a cycle: ${sorted.cycle.join(' -> ')}; data must flow one way, remove one of these edges`, { node: sorted.cycle[0]! }));
  }

  // Each media node holds an ffmpeg process for the whole run: a run may start only so many.
  const media = [...typed].filter(([, d]) => d.kind === 'media').map(([id]) => id);
  if (media.length > GRAPH_LIMITS.mediaNodes) {
    problems.push(problem('FF_TOO_MANY_MEDIA_NODES', `the graph has ${media.length} media nodes (Decoders, Encoders), each running its own ffmpeg; at most ${GRAPH_LIMITS.mediaNodes} are allowed in one run: split the graph`, { node: media[GRAPH_LIMITS.mediaNodes]! }));
  }

  // 5. Files by role, then the nodes' own checks, on nodes whose params are valid.
  const files = await checkFiles([...nodes.values()], {
    ...(options.checkEnv ? { paths: { cwd: options.checkEnv.cwd, models: options.checkEnv.models } } : {}),
    ...(options.confineTo === undefined ? {} : { confineTo: options.confineTo }),
  });
  problems.push(...files.problems);
  if (options.checkEnv) {
    problems.push(...(await checkModelFamilies([...nodes.values()].filter((n) => !files.confined.has(n.id)), options.checkEnv.models)));
    for (const node of nodes.values()) {
      // A bypassed node does not run: its model need not be there.
      if (files.confined.has(node.id) || node.bypassed) continue;
      const found = (await node.definition.check?.(node.params, options.checkEnv)) ?? [];
      for (const p of found) {
        const field = p.param ?? p.port;
        problems.push(problem(p.code, p.message, { node: node.id, ...(field ? { field } : {}) }, p.severity ?? 'error'));
      }
    }
  }

  if (hasErrors(problems)) return { problems, graph: null };
  return { problems, graph: { name: doc.name, document: doc, nodes, order: sorted.order, edges } };
}
