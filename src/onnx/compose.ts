/**
 * composeModels(a, b): one model that runs `a` then `b` in a single session, so the
 * intermediate values never leave the device. Names are prefixed to keep the parts apart,
 * b's inputs are wired to a's outputs (directly or through glue ops), opsets and IR
 * versions are reconciled or refused with the reason.
 *
 * ```
 *   a.inputs ──> [ a ] ──> a.out ──glue──> [ b ] ──> b.outputs
 *                   b's unwired inputs ─────┘
 * ```
 */
import { userError } from '../errors.js';
import { GraphBuilder } from './builder.js';
import { cloneModel } from './clone.js';
import { defaultOpset, graphOf, realInputs } from './inspect.js';
import { opsetUpgradeConflicts } from './opset-compat.js';
import { int64, irVersionForOpset, onnx } from './proto.js';
import type { GraphProto, Int64, ModelProto, NodeProto, TensorProto, ValueInfoProto } from './proto.js';
import { prefixRenamer, renameGraph } from './rename.js';
import { formatDims, readValueInfo } from './value-info.js';
import type { TensorInfo } from './value-info.js';

export interface GlueContext {
  /** Builder for the glue ops (same opset as the composed model). */
  g: GraphBuilder;
  /** a's outputs and inputs by their own names -> their names in the composed graph. */
  a: Record<string, string>;
}

export interface ComposeOptions {
  /** b input name -> a output (or a input) name: b's input takes that value directly. */
  wiring?: Record<string, string>;
  /** Writes glue ops and returns b input name -> glue value, for inputs that need converting. */
  glue?: (context: GlueContext) => Record<string, string>;
  /** Prefixes of the parts' internal names. Default `a.` and `b.`. */
  prefixes?: { a?: string; b?: string };
  /** a's outputs that stay outputs of the composed model (by default only b's outputs remain). */
  keepOutputs?: string[];
  /** Name of the composed graph. */
  name?: string;
}

function refuse(message: string, fix?: string): never {
  throw userError('FF_COMPOSE_REFUSED', `cannot compose the models: ${message}`, fix ? { fix } : {});
}

function otherOpsets(model: ModelProto): Map<string, number> {
  const map = new Map<string, number>();
  for (const o of model.opsetImport) if (o.domain && o.domain !== 'ai.onnx') map.set(o.domain, int64(o.version as Int64));
  return map;
}

/** The opset the composed model declares, after checking neither part changes meaning under it. */
function reconcileOpsets(a: ModelProto, b: ModelProto): { opset: number; others: Map<string, number> } {
  const va = defaultOpset(a);
  const vb = defaultOpset(b);
  const opset = Math.max(va, vb);
  for (const [label, model, v] of [['a', a, va], ['b', b, vb]] as const) {
    const conflicts = opsetUpgradeConflicts(graphOf(model), v, opset);
    if (conflicts.length > 0) {
      refuse(
        `model ${label} is written for opset ${v} and would run under opset ${opset}, where ${conflicts.join(', ')} changed meaning`,
        `convert model ${label} to opset ${opset} first (python -m onnx.version_converter), or compose models of the same opset`,
      );
    }
  }
  const others = otherOpsets(a);
  for (const [domain, version] of otherOpsets(b)) {
    const mine = others.get(domain);
    if (mine !== undefined && mine !== version) refuse(`the models use different versions of the ${domain} operator set (${mine} and ${version})`);
    others.set(domain, version);
  }
  return { opset, others };
}

function checkWire(bInput: TensorInfo, from: TensorInfo): void {
  if (bInput.type && from.type && bInput.type !== from.type) {
    refuse(`b's input "${bInput.name}" is ${bInput.typeName} but a's "${from.name}" is ${from.typeName}`, 'add a Cast in the glue');
  }
  if (bInput.dims && from.dims) {
    const mismatch =
      bInput.dims.length !== from.dims.length ||
      bInput.dims.some((d, i) => typeof d === 'number' && typeof from.dims?.[i] === 'number' && d !== from.dims?.[i]);
    if (mismatch) {
      refuse(`b's input "${bInput.name}" ${formatDims(bInput.dims)} does not fit a's "${from.name}" ${formatDims(from.dims)}`, 'add a Resize or Reshape in the glue');
    }
  }
}

export function composeModels(a: ModelProto, b: ModelProto, options: ComposeOptions = {}): ModelProto {
  const { opset, others } = reconcileOpsets(a, b);
  const ma = cloneModel(a);
  const mb = cloneModel(b);
  const ga = graphOf(ma);
  const gb = graphOf(mb);
  const prefixA = options.prefixes?.a ?? 'a.';
  const prefixB = options.prefixes?.b ?? 'b.';
  if (prefixA === prefixB) refuse('the two prefixes are the same');

  const aInputs = realInputs(ga);
  const aOutputs = ga.output.map((o) => readValueInfo(o as ValueInfoProto));
  // Types and shapes of a's values under their own names, read before renaming.
  const aTensors = [...aInputs, ...aOutputs];
  const keep = new Set(options.keepOutputs ?? []);
  for (const name of keep) if (!aOutputs.some((o) => o.name === name)) refuse(`keepOutputs names "${name}", which is not an output of model a`);

  // a's graph inputs and kept outputs keep their names; everything else gets the prefix.
  const keepA = new Map<string, string>();
  for (const i of aInputs) keepA.set(i.name, i.name);
  for (const name of keep) keepA.set(name, name);
  const renameA = prefixRenamer(prefixA, keepA);
  const aNames: Record<string, string> = {};
  for (const o of aOutputs) aNames[o.name] = renameA(o.name);
  for (const i of aInputs) aNames[i.name] = i.name;
  renameGraph(ga, renameA);

  // Glue, written in its own builder and spliced in between.
  const glueBuilder = new GraphBuilder('glue', { opset });
  const glued = options.glue ? options.glue({ g: glueBuilder, a: { ...aNames } }) : {};
  const glueGraph = glueBuilder.toGraph();

  const bInputs = realInputs(gb);
  const wiring = options.wiring ?? {};
  const external = new Set<string>([...aInputs.map((i) => i.name), ...keep]);
  const keepB = new Map<string, string>();
  for (const input of bInputs) {
    const direct = wiring[input.name];
    const viaGlue = glued[input.name];
    if (direct !== undefined && viaGlue !== undefined) refuse(`b's input "${input.name}" is wired both directly and through glue`);
    if (direct !== undefined) {
      const target = aNames[direct];
      if (target === undefined) refuse(`wiring maps b's "${input.name}" to "${direct}", which is neither an output nor an input of model a`);
      const source = aTensors.find((t) => t.name === direct);
      if (source) checkWire(input, source);
      keepB.set(input.name, target);
    } else if (viaGlue !== undefined) {
      keepB.set(input.name, viaGlue);
    } else {
      // Unwired: stays an input of the composed model, under its own name unless a already uses it.
      const name = external.has(input.name) ? `${prefixB}${input.name}` : input.name;
      external.add(name);
      keepB.set(input.name, name);
    }
  }
  for (const name of [...Object.keys(wiring), ...Object.keys(glued)]) {
    if (!bInputs.some((i) => i.name === name)) refuse(`"${name}" is wired but is not an input of model b (its inputs: ${bInputs.map((i) => i.name).join(', ')})`);
  }
  for (const o of gb.output) {
    const name = o.name ?? '';
    if (external.has(name)) refuse(`b's output "${name}" has the same name as an input or kept output of a`, 'rename it, or pass different keepOutputs');
    keepB.set(name, name);
  }
  renameGraph(gb, prefixRenamer(prefixB, keepB));

  const wiredInputs = new Set(Object.keys(wiring).concat(Object.keys(glued)));
  const graph = onnx.GraphProto.create({
    name: options.name ?? `${ga.name || 'a'}+${gb.name || 'b'}`,
    node: [...(ga.node as NodeProto[]), ...(glueGraph.node as NodeProto[]), ...(gb.node as NodeProto[])],
    initializer: [...(ga.initializer as TensorProto[]), ...(glueGraph.initializer as TensorProto[]), ...(gb.initializer as TensorProto[])],
    input: [
      ...(ga.input as ValueInfoProto[]).filter((i) => aInputs.some((x) => x.name === i.name)),
      ...(gb.input as ValueInfoProto[]).filter((i) => {
        const original = bInputs.find((x) => keepB.get(x.name) === i.name);
        return original !== undefined && !wiredInputs.has(original.name);
      }),
    ],
    output: [...(ga.output as ValueInfoProto[]).filter((o) => keep.has(o.name ?? '')), ...(gb.output as ValueInfoProto[])],
    valueInfo: [...(ga.valueInfo as ValueInfoProto[]), ...(gb.valueInfo as ValueInfoProto[])],
  });
  checkUniqueOutputs(graph);

  const opsetImport = [onnx.OperatorSetIdProto.create({ domain: '', version: opset })];
  for (const [domain, version] of others) opsetImport.push(onnx.OperatorSetIdProto.create({ domain, version }));
  return onnx.ModelProto.create({
    irVersion: Math.max(int64(a.irVersion as Int64), int64(b.irVersion as Int64), irVersionForOpset(opset)),
    producerName: 'framefuse compose',
    opsetImport,
    graph,
  });
}


function checkUniqueOutputs(graph: GraphProto): void {
  const seen = new Set<string>(graph.initializer.map((t) => t.name ?? ''));
  for (const i of graph.input) seen.add(i.name ?? '');
  for (const node of graph.node) {
    for (const out of node.output ?? []) {
      if (out === '') continue;
      if (seen.has(out)) refuse(`the value name "${out}" is produced twice in the composed graph`, 'choose other prefixes');
      seen.add(out);
    }
  }
}
