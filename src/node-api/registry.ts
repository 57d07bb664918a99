/**
 * The node registry: every node type framefuse knows. Built-in types are the files in
 * nodes/; more folders come from FRAMEFUSE_NODE_PATH (colon-separated) or the caller.
 * Adding a file is all it takes for a node to exist everywhere: validation, the planner,
 * the executor, the CLI and the editor's palette.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { malformedRoles, ROLE_KEY } from '../model/param-roles.js';
import { isPortType } from '../model/port-types.js';
import type { AnyNodeDefinition, PortSpecs } from './define-node.js';

/** Compiled built-in nodes: dist/nodes next to dist/src. */
export const BUILTIN_NODES_DIR = fileURLToPath(new URL('../../nodes/', import.meta.url));

export interface RegisteredNode {
  definition: AnyNodeDefinition;
  /** The module that default-exports the definition; worker threads import it from here. */
  moduleUrl: string;
}

export class NodeRegistry {
  private readonly byType = new Map<string, RegisteredNode>();

  add(definition: AnyNodeDefinition, moduleUrl: string): void {
    const problems = checkDefinition(definition);
    if (problems.length > 0) {
      throw new Error(`node definition in ${moduleUrl} is invalid:\n- ${problems.join('\n- ')}`);
    }
    const existing = this.byType.get(definition.type);
    if (existing && existing.moduleUrl !== moduleUrl) {
      throw new Error(`node type ${definition.type} is defined twice: ${existing.moduleUrl} and ${moduleUrl}`);
    }
    this.byType.set(definition.type, { definition, moduleUrl });
  }

  get(type: string): RegisteredNode | undefined {
    return this.byType.get(type);
  }

  has(type: string): boolean {
    return this.byType.has(type);
  }

  types(): string[] {
    return [...this.byType.keys()].sort();
  }

  list(): RegisteredNode[] {
    return this.types().map((t) => this.byType.get(t)!);
  }
}

function checkPorts(ports: PortSpecs, side: string): string[] {
  return Object.entries(ports).flatMap(([name, spec]) => {
    const errors: string[] = [];
    if (!/^[a-z][A-Za-z0-9]*$/.test(name)) errors.push(`${side} port "${name}" must be camelCase`);
    if (!isPortType(spec.type)) errors.push(`${side} port "${name}" has unknown type "${String(spec.type)}"`);
    return errors;
  });
}

function checkDefinition(d: AnyNodeDefinition): string[] {
  const errors: string[] = [];
  if (!/^[A-Z][A-Za-z0-9]*$/.test(d.type ?? '')) errors.push(`type "${d.type}" must be PascalCase`);
  if (!Number.isInteger(d.version) || d.version < 1) errors.push('version must be a whole number >= 1');
  if (!['media', 'host', 'compute', 'accelerator'].includes(d.kind)) errors.push(`kind must be media, host, compute or accelerator`);
  if (typeof d.create !== 'function') errors.push('create must be a function');
  if (!d.params || typeof d.params.safeParse !== 'function') errors.push('params must be a zod object schema');
  else if (d.params.shape) {
    for (const name of malformedRoles(d.params)) errors.push(`parameter ${name} has an "${ROLE_KEY}" entry that is no role: declare it with inputFile, outputFile or modelRef`);
  }
  errors.push(...checkPorts(d.inputs ?? {}, 'input'), ...checkPorts(d.outputs ?? {}, 'output'));
  if (d.batching) {
    const ins = Object.values(d.inputs);
    const outs = Object.values(d.outputs);
    if (ins.length !== 1 || outs.length !== 1 || ins[0]!.type !== outs[0]!.type) {
      errors.push('a batching node must have exactly one input and one output of the same type');
    }
  }
  return errors;
}

function isDefinition(value: unknown): value is AnyNodeDefinition {
  return typeof value === 'object' && value !== null && 'type' in value && 'create' in value;
}

/** Imports every node module in `dir` (files named `_*` are helpers and skipped). */
export async function addNodesFromDir(registry: NodeRegistry, dir: string): Promise<void> {
  const abs = resolve(dir);
  const files = readdirSync(abs)
    .filter((f) => f.endsWith('.js') && !f.startsWith('_') && statSync(join(abs, f)).isFile())
    .sort();
  for (const file of files) {
    const url = pathToFileURL(join(abs, file)).href;
    const module = (await import(url)) as { default?: unknown };
    if (!isDefinition(module.default)) {
      throw new Error(`${join(abs, file)} does not default-export a node definition (export default defineNode({...}))`);
    }
    registry.add(module.default, url);
  }
}

export interface LoadRegistryOptions {
  /** Extra node folders, after the built-in ones. */
  dirs?: string[];
  /** Leave out the built-in nodes (tests of the engine itself). */
  builtins?: boolean;
}

export async function loadNodeRegistry(options: LoadRegistryOptions = {}): Promise<NodeRegistry> {
  const registry = new NodeRegistry();
  const fromEnv = (process.env.FRAMEFUSE_NODE_PATH ?? '').split(':').filter(Boolean);
  const dirs = [...(options.builtins === false ? [] : [BUILTIN_NODES_DIR]), ...fromEnv, ...(options.dirs ?? [])];
  for (const dir of dirs) await addNodesFromDir(registry, dir);
  return registry;
}
