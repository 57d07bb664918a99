/**
 * A chain of models run one after another over named values: one description, two ways to
 * run it. `linkChain` merges the parts into one model (a single session run: composition);
 * `chainParts` gives each part on its own, reading and writing the chain's value names, so
 * a session per part can keep the values between them on the device
 * (runtime/session-chain.ts). Which is faster depends on the device (on an H200 with
 * WebGPU, a swapper and an enhancer chained on the device took 5.9 ms a face, composed 6.6),
 * so `framefuse tune` measures both.
 *
 * ```
 *   chain inputs ─> [ part 1 ] ─ p1/out ─> [ part 2 ] ─ p2/out ─> ... ─> chain outputs
 *                        └──────── p1/x ───────────────────> [ part 4 ]
 * ```
 * A part's output is named `<part>/<output>` in the chain, unless it is a chain output,
 * which keeps the chain's name. Internal names get the prefix `<part>::`.
 */
import { userError } from '../errors.js';
import { cloneModel } from './clone.js';
import { defaultOpset, graphOf, realInputs } from './inspect.js';
import { opsetUpgradeConflicts } from './opset-compat.js';
import { int64, irVersionForOpset, onnx } from './proto.js';
import type { Int64, ModelProto, NodeProto, TensorProto, ValueInfoProto } from './proto.js';
import { renameGraph } from './rename.js';

export interface ChainPart {
  /** Unique in the chain; names its values (`swap/output`). */
  name: string;
  model: ModelProto;
  /**
   * Where each input comes from: a chain input's name, or `<part>/<output>` of an earlier
   * part. An input not listed reads the chain input of its own name.
   */
  from?: Record<string, string>;
}

export interface ChainSpec {
  name: string;
  parts: ChainPart[];
  /** The chain's outputs: name -> `<part>/<output>`. */
  outputs: Record<string, string>;
}

/** A part as it runs in a chain: inputs and outputs named by chain values. */
export interface LinkedPart {
  name: string;
  model: ModelProto;
  /** Chain values it reads. */
  inputs: string[];
  /** Chain values it writes. */
  outputs: string[];
}

function refuse(message: string): never {
  throw userError('FF_COMPOSE_REFUSED', `cannot link the model chain: ${message}`);
}

/** Each part with its names rewritten into the chain's, checked for dangling and duplicate references. */
export function chainParts(spec: ChainSpec): LinkedPart[] {
  const finalName = new Map(Object.entries(spec.outputs).map(([name, ref]) => [ref, name]));
  const produced = new Set<string>();
  const names = new Set<string>();
  const linked = spec.parts.map((part) => {
    if (names.has(part.name) || part.name.includes('/')) refuse(`part name "${part.name}" is used twice or holds a "/"`);
    names.add(part.name);
    const model = cloneModel(part.model);
    const graph = graphOf(model);
    const inputs = realInputs(graph).map((i) => i.name);
    const keep = new Map<string, string>();
    for (const input of inputs) {
      const source = part.from?.[input] ?? input;
      const value = finalName.get(source) ?? source;
      if (source.includes('/') && !produced.has(value)) refuse(`${part.name}.${input} reads ${source}, which no earlier part writes`);
      keep.set(input, value);
    }
    for (const key of Object.keys(part.from ?? {})) if (!inputs.includes(key)) refuse(`${part.name} has no input "${key}" (its inputs: ${inputs.join(', ')})`);
    const outputs = graph.output.map((o) => o.name ?? '');
    for (const output of outputs) {
      const ref = `${part.name}/${output}`;
      keep.set(output, finalName.get(ref) ?? ref);
    }
    renameGraph(graph, (name) => (name === '' ? '' : (keep.get(name) ?? `${part.name}::${name}`)));
    const written = outputs.map((o) => keep.get(o)!);
    for (const w of written) produced.add(w);
    return { name: part.name, model, inputs: inputs.map((i) => keep.get(i)!), outputs: written };
  });
  for (const [name, ref] of Object.entries(spec.outputs)) if (!produced.has(name)) refuse(`chain output ${name} names ${ref}, which no part writes`);
  return linked;
}

/** The chain's external inputs: values read but written by no part, in first-use order. */
export function chainInputs(parts: readonly LinkedPart[]): string[] {
  const written = new Set(parts.flatMap((p) => p.outputs));
  return [...new Set(parts.flatMap((p) => p.inputs))].filter((v) => !written.has(v));
}

/** The whole chain as one model: every part's nodes in order in one graph. */
export function linkChain(spec: ChainSpec): ModelProto {
  const parts = chainParts(spec);
  const opset = Math.max(...parts.map((p) => defaultOpset(p.model)));
  for (const part of parts) {
    const conflicts = opsetUpgradeConflicts(graphOf(part.model), defaultOpset(part.model), opset);
    if (conflicts.length > 0) refuse(`part ${part.name} is written for opset ${defaultOpset(part.model)} and would run under ${opset}, where ${conflicts.join(', ')} changed meaning`);
  }
  const others = new Map<string, number>();
  for (const part of parts) {
    for (const o of part.model.opsetImport) {
      if (!o.domain || o.domain === 'ai.onnx') continue;
      const version = int64(o.version as Int64);
      if (others.has(o.domain) && others.get(o.domain) !== version) refuse(`parts use different versions of the ${o.domain} operator set`);
      others.set(o.domain, version);
    }
  }
  const external = new Set(chainInputs(parts));
  const outputs = new Set(Object.keys(spec.outputs));
  const inputs = new Map<string, ValueInfoProto>();
  const outputInfos = new Map<string, ValueInfoProto>();
  const nodes: NodeProto[] = [];
  const initializers: TensorProto[] = [];
  const valueInfo: ValueInfoProto[] = [];
  for (const part of parts) {
    const graph = graphOf(part.model);
    for (const i of graph.input as ValueInfoProto[]) if (external.has(i.name ?? '') && !inputs.has(i.name ?? '')) inputs.set(i.name ?? '', i);
    for (const o of graph.output as ValueInfoProto[]) if (outputs.has(o.name ?? '')) outputInfos.set(o.name ?? '', o);
    nodes.push(...(graph.node as NodeProto[]));
    initializers.push(...(graph.initializer as TensorProto[]));
    valueInfo.push(...(graph.valueInfo as ValueInfoProto[]));
  }
  const opsetImport = [onnx.OperatorSetIdProto.create({ domain: '', version: opset }), ...[...others].map(([domain, version]) => onnx.OperatorSetIdProto.create({ domain, version }))];
  return onnx.ModelProto.create({
    irVersion: Math.max(irVersionForOpset(opset), ...parts.map((p) => int64(p.model.irVersion as Int64))),
    producerName: 'framefuse model-chain',
    opsetImport,
    graph: onnx.GraphProto.create({
      name: spec.name,
      node: nodes,
      initializer: initializers,
      input: [...inputs.values()],
      output: Object.keys(spec.outputs).map((name) => outputInfos.get(name)!),
      valueInfo,
    }),
  });
}
