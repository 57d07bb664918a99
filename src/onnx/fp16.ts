/**
 * toFp16(model): float16 weights and compute, float32 at the edges. Float32 inputs are
 * cast to float16 on entry, float16 outputs back to float32 on exit, so callers feed and
 * read float32 as before. Numerically sensitive operators (normalizations, reductions,
 * exponentials) stay in float32 with casts around them; Resize's roi and scales stay
 * float32 because the operator requires it. Tracking needs no full type inference: a
 * value is float if it comes from a float input, initializer or constant through
 * operators that keep their input's type.
 */
import { userError } from '../errors.js';
import { cloneModel } from './clone.js';
import { float32ToFloat16 } from './float16.js';
import { graphOf } from './inspect.js';
import { AttributeType, DataType, onnx } from './proto.js';
import type { GraphProto, NodeProto, TensorProto, ValueInfoProto } from './proto.js';
import { makeTensor, readTensor } from './tensor-data.js';
import type { ModelProto } from './proto.js';

/** Operators kept in float32 by default: they accumulate or exponentiate, where float16 loses too much. */
export const DEFAULT_FLOAT32_OPS = [
  'InstanceNormalization',
  'LayerNormalization',
  'GroupNormalization',
  'BatchNormalization',
  'ReduceMean',
  'ReduceSum',
  'ReduceSumSquare',
  'ReduceL2',
  'ReduceLogSumExp',
  'Softmax',
  'LogSoftmax',
  'Exp',
  'Log',
  'Pow',
  'Sqrt',
  'Reciprocal',
  'LpNormalization',
  'Range',
  'TopK',
  'NonMaxSuppression',
  'RandomNormalLike',
  'RandomUniformLike',
];

/** Inputs that must stay float32 whatever the node's precision. */
const FLOAT32_POSITIONS: Record<string, number[]> = { Resize: [1, 2], Upsample: [1] };
/** Operators whose inputs may be any type (no cast needed). */
const ANY_INPUT = new Set(['Shape', 'Size', 'Cast', 'CastLike', 'NonZero', 'IsNaN', 'IsInf']);
/** Operators whose outputs are never float, whatever their inputs. */
const NON_FLOAT_OUTPUT = new Set([
  'Shape', 'Size', 'ArgMax', 'ArgMin', 'NonZero', 'NonMaxSuppression', 'Equal', 'Less', 'LessOrEqual', 'Greater',
  'GreaterOrEqual', 'And', 'Or', 'Xor', 'Not', 'IsNaN', 'IsInf',
]);

export interface Fp16Options {
  /** Operators to keep in float32 (replaces the default list). */
  keepFloat32?: string[];
}

type Precision = 'f32' | 'f16';

export function toFp16(source: ModelProto, options: Fp16Options = {}): ModelProto {
  const model = cloneModel(source);
  const graph = graphOf(model);
  const keep = new Set(options.keepFloat32 ?? DEFAULT_FLOAT32_OPS);
  if (graph.node.some((n) => (n.attribute ?? []).some((a) => a.g || (a.graphs ?? []).length > 0))) {
    throw userError('FF_FP16_UNSUPPORTED', 'toFp16 does not convert models with control flow (If, Loop, Scan)', {
      fix: 'use a float16 export of the model instead',
    });
  }
  const floatValues = new Map<string, Precision>();
  const initializers = new Map<string, TensorProto>();
  for (const t of graph.initializer as TensorProto[]) initializers.set(t.name ?? '', t);
  for (const input of graph.input as ValueInfoProto[]) {
    if (input.type?.tensorType?.elemType === DataType.FLOAT && !initializers.has(input.name ?? '')) floatValues.set(input.name ?? '', 'f32');
  }

  // Float32 initializers become float16 when every use of them wants float16.
  const consumers = new Map<string, { node: NodeProto; index: number }[]>();
  for (const node of graph.node as NodeProto[]) {
    node.input.forEach((name, index) => consumers.set(name, [...(consumers.get(name) ?? []), { node, index }]));
  }
  const wants = (node: NodeProto, index: number): Precision | 'any' => {
    if (ANY_INPUT.has(node.opType ?? '')) return 'any';
    if ((FLOAT32_POSITIONS[node.opType ?? ''] ?? []).includes(index)) return 'f32';
    return keep.has(node.opType ?? '') || (node.domain && node.domain !== 'ai.onnx') ? 'f32' : 'f16';
  };
  for (const [name, tensor] of initializers) {
    if (tensor.dataType !== DataType.FLOAT) continue;
    const uses = consumers.get(name) ?? [];
    const allHalf = uses.length > 0 && uses.every((u) => wants(u.node, u.index) !== 'f32');
    if (allHalf) {
      const value = readTensor(tensor);
      const half = makeTensor(name, 'float16', value.dims, float32ToFloat16(value.data as Float32Array));
      Object.assign(tensor, { dataType: DataType.FLOAT16, rawData: half.rawData, floatData: [] });
      floatValues.set(name, 'f16');
    } else {
      floatValues.set(name, 'f32');
    }
  }

  const nodes: NodeProto[] = [];
  const casts = new Map<string, string>();
  const castTo = (name: string, to: Precision): string => {
    const key = `${name}|${to}`;
    const known = casts.get(key);
    if (known) return known;
    const out = `${name}__as_${to}`;
    nodes.push(
      onnx.NodeProto.create({
        opType: 'Cast',
        name: `${out}_cast`,
        input: [name],
        output: [out],
        attribute: [onnx.AttributeProto.create({ name: 'to', type: AttributeType.INT, i: to === 'f16' ? DataType.FLOAT16 : DataType.FLOAT })],
      }),
    );
    floatValues.set(out, to);
    casts.set(key, out);
    return out;
  };

  for (const node of graph.node as NodeProto[]) {
    const op = node.opType ?? '';
    const nodePrecision: Precision = keep.has(op) || (node.domain && node.domain !== 'ai.onnx') ? 'f32' : 'f16';
    let sawFloat = false;
    node.input = node.input.map((name, index) => {
      const have = floatValues.get(name);
      if (have === undefined) return name;
      sawFloat = true;
      const want = wants(node, index);
      return want === 'any' || want === have ? name : castTo(name, want);
    });
    let outputPrecision: Precision | undefined;
    if (op === 'Cast') {
      const to = node.attribute.find((a) => a.name === 'to');
      if (to && Number(to.i) === DataType.FLOAT) {
        to.i = nodePrecision === 'f16' ? DataType.FLOAT16 : DataType.FLOAT;
        outputPrecision = nodePrecision;
      }
    } else if (op === 'Constant' || op === 'ConstantOfShape') {
      const value = node.attribute.find((a) => a.name === 'value' && a.t);
      if (value?.t && value.t.dataType === DataType.FLOAT) {
        const decoded = readTensor(value.t as TensorProto);
        value.t = makeTensor(value.t.name ?? '', 'float16', decoded.dims, float32ToFloat16(decoded.data as Float32Array));
        outputPrecision = 'f16';
      } else if (op === 'Constant' && node.attribute.some((a) => a.name === 'value_float' || a.name === 'value_floats')) {
        outputPrecision = 'f32';
      }
    } else if (sawFloat && !NON_FLOAT_OUTPUT.has(op)) {
      outputPrecision = nodePrecision;
    }
    nodes.push(node);
    if (outputPrecision) {
      const outputs = op === 'TopK' ? node.output.slice(0, 1) : op === 'Dropout' ? node.output.slice(0, 1) : node.output;
      for (const out of outputs) if (out) floatValues.set(out, outputPrecision);
    }
  }

  // Graph outputs declared float32 that are now float16: the producer writes `<name>__fp16`, a Cast restores the name.
  for (const output of graph.output as ValueInfoProto[]) {
    const name = output.name ?? '';
    if (output.type?.tensorType?.elemType !== DataType.FLOAT || floatValues.get(name) !== 'f16') continue;
    const inner = `${name}__fp16`;
    for (const node of nodes) {
      node.output = node.output.map((o) => (o === name ? inner : o));
      node.input = node.input.map((i) => (i === name ? inner : i));
    }
    nodes.push(
      onnx.NodeProto.create({
        opType: 'Cast',
        name: `${name}_to_float32`,
        input: [inner],
        output: [name],
        attribute: [onnx.AttributeProto.create({ name: 'to', type: AttributeType.INT, i: DataType.FLOAT })],
      }),
    );
  }
  (graph as GraphProto).node = nodes;
  graph.valueInfo = [];
  model.producerName = 'framefuse fp16';
  return model;
}
