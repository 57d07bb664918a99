/**
 * batchify(model): a model exported with a fixed batch of 1 rewritten for any batch. The
 * graph inputs' and outputs' first dims become symbolic, and every constant that spells
 * out the batch for a Reshape (an initializer, a Constant node, or the constant head of a
 * Concat that assembles a shape) becomes -1 (or 0, copy from the input, when -1 is
 * taken). Expand and Tile need no rewrite: a leading 1 in their shape broadcasts over N.
 * The rewrite is structural only; `proveBatchify` is what makes it trustworthy.
 */
import { userError } from '../errors.js';
import { cloneModel } from './clone.js';
import { graphOf, realInputs } from './inspect.js';
import { onnx } from './proto.js';
import type { GraphProto, ModelProto, NodeProto, TensorProto, ValueInfoProto } from './proto.js';
import { makeTensor, readTensor, tensorNumbers } from './tensor-data.js';
import { readValueInfo } from './value-info.js';
import { readAttribute } from './attributes.js';

export interface BatchifyOptions {
  /** Inputs that carry the batch; default: every input of rank >= 2 whose first dim is 1. */
  batchedInputs?: string[];
  /** Name of the symbolic batch dim. Default `N`. */
  dimName?: string;
}

export interface BatchifyReport {
  model: ModelProto;
  batchedInputs: string[];
  batchedOutputs: string[];
  /** Human-readable list of what was changed, for logs and refusals. */
  rewrites: string[];
}

function setFirstDim(info: ValueInfoProto, dimName: string): void {
  const dim = info.type?.tensorType?.shape?.dim?.[0];
  if (dim) {
    (dim as { dimValue?: unknown }).dimValue = undefined;
    delete (dim as { dimValue?: unknown }).dimValue;
    dim.dimParam = dimName;
  }
}

export function batchifyModel(source: ModelProto, options: BatchifyOptions = {}): BatchifyReport {
  const model = cloneModel(source);
  const graph = graphOf(model);
  const dimName = options.dimName ?? 'N';
  if (graph.node.some((n) => (n.attribute ?? []).some((a) => a.g || (a.graphs ?? []).length > 0))) {
    throw userError('FF_BATCHIFY_UNPROVEN', 'batchify does not rewrite models with control flow (If, Loop, Scan)', {
      fix: 'export the model with a dynamic batch axis instead (torch.onnx.export(..., dynamic_axes={...}))',
    });
  }
  const inputs = realInputs(graph);
  const batched =
    options.batchedInputs ?? inputs.filter((i) => i.dims && i.dims.length >= 2 && i.dims[0] === 1).map((i) => i.name);
  for (const name of batched) {
    const info = inputs.find((i) => i.name === name);
    if (!info) throw userError('FF_BATCHIFY_UNPROVEN', `batchify: "${name}" is not an input of the model`);
  }
  if (batched.length === 0) {
    throw userError('FF_BATCHIFY_UNPROVEN', 'batchify found no input with a fixed batch of 1 to rewrite', {
      fix: 'the model may already take any batch (framefuse models inspect shows its inputs)',
    });
  }
  const rewrites: string[] = [];
  for (const input of graph.input as ValueInfoProto[]) {
    if (batched.includes(input.name ?? '')) {
      setFirstDim(input, dimName);
      rewrites.push(`input ${input.name}: batch 1 -> ${dimName}`);
    }
  }
  const batchedOutputs: string[] = [];
  for (const output of graph.output as ValueInfoProto[]) {
    const info = readValueInfo(output);
    if (info.dims && info.dims.length >= 1 && info.dims[0] === 1) {
      setFirstDim(output, dimName);
      batchedOutputs.push(info.name);
      rewrites.push(`output ${info.name}: batch 1 -> ${dimName}`);
    }
  }
  // Intermediate shapes recorded by the exporter still say 1; onnxruntime re-infers them.
  graph.valueInfo = [];
  rewriteReshapeShapes(graph, rewrites);
  dropUnusedInitializers(graph);
  return { model, batchedInputs: batched, batchedOutputs, rewrites };
}

function rewriteReshapeShapes(graph: GraphProto, rewrites: string[]): void {
  const producers = new Map<string, NodeProto>();
  for (const node of graph.node as NodeProto[]) for (const out of node.output) producers.set(out, node);
  const initializers = new Map<string, TensorProto>();
  for (const t of graph.initializer as TensorProto[]) initializers.set(t.name ?? '', t);

  // A constant several Reshapes share is rewritten once: one new initializer per source and
  // values, never a duplicate (onnxruntime warns about each and skips folding them).
  const stored = new Set<string>();
  const storeShape = (source: string, values: number[]): string => {
    const fresh = `${source}__batchified_${values.map((v) => (v < 0 ? `m${-v}` : String(v))).join('_')}`;
    if (!stored.has(fresh)) {
      stored.add(fresh);
      graph.initializer.push(makeTensor(fresh, 'int64', [values.length], BigInt64Array.from(values, (v) => BigInt(v))));
    }
    return fresh;
  };

  /** Returns a constant shape's values and a function that stores new values (copying shared constants). */
  const constantAt = (name: string): { values: number[]; store: (values: number[]) => string } | undefined => {
    const init = initializers.get(name);
    if (init) {
      return {
        values: tensorNumbers(readTensor(init)),
        store: (values) => storeShape(name, values),
      };
    }
    const producer = producers.get(name);
    if (producer?.opType === 'Constant') {
      const attribute = producer.attribute.find((a) => a.name === 'value' || a.name === 'value_ints');
      if (!attribute) return undefined;
      const value = readAttribute(attribute as never);
      const values = Array.isArray(value) ? (value as number[]) : value instanceof onnx.TensorProto ? tensorNumbers(readTensor(value)) : undefined;
      if (!values) return undefined;
      return {
        values,
        store: (next) => storeShape(name, next),
      };
    }
    return undefined;
  };

  for (const node of graph.node as NodeProto[]) {
    if (node.opType !== 'Reshape' || node.input.length < 2) continue;
    // With allowzero=1 a 0 means a real zero-sized dim, so the copy-the-batch rewrite is off.
    const allowZero = node.attribute.some((a) => a.name === 'allowzero' && Number(readAttribute(a as never)) === 1);
    const shapeName = node.input[1] ?? '';
    const constant = constantAt(shapeName);
    if (constant) {
      if (constant.values[0] !== 1) continue;
      const next = [...constant.values];
      if (next.includes(-1) && allowZero) continue;
      next[0] = next.includes(-1) ? 0 : -1;
      node.input[1] = constant.store(next);
      rewrites.push(`Reshape ${node.name || node.output[0]}: shape [${constant.values.join(',')}] -> [${next.join(',')}]`);
      continue;
    }
    // A shape assembled by Concat whose first piece is the constant [1] (a folded batch).
    const concat = producers.get(shapeName);
    if (concat?.opType === 'Concat') {
      const head = concat.input[0] ?? '';
      const piece = constantAt(head);
      if (piece && !allowZero && piece.values.length === 1 && piece.values[0] === 1) {
        // -1 is only safe if no other piece can be -1; 0 copies the input's batch dim and is safe when it is dim 0.
        const replacement = piece.store([0]);
        concat.input[0] = replacement;
        rewrites.push(`Concat ${concat.name || concat.output[0]} feeding Reshape: leading 1 -> 0 (copy the batch)`);
      }
    }
  }
}

/** Shape constants replaced above may have no user left; ORT would warn about each. */
function dropUnusedInitializers(graph: GraphProto): void {
  const used = new Set<string>();
  for (const node of graph.node) for (const i of node.input ?? []) used.add(i);
  for (const o of graph.output) used.add(o.name ?? '');
  graph.initializer = graph.initializer.filter((t) => used.has(t.name ?? ''));
}
