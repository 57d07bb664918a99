/**
 * What a model is, read from its file: inputs, outputs, opsets, weights, operators and
 * whether its batch is fixed. `framefuse models inspect` prints this; nodes check their
 * expectations against it.
 */
import { int64 } from './proto.js';
import type { GraphProto, Int64, ModelProto, TensorProto } from './proto.js';
import { readValueInfo } from './value-info.js';
import type { Dim, TensorInfo } from './value-info.js';

export interface OpsetInfo {
  domain: string;
  version: number;
}

/** How a model treats the batch (first) dimension of its inputs. */
export type BatchKind =
  /** Every batched input has a fixed first dim (usually 1): batchify before batching. */
  | { kind: 'fixed'; size: number }
  /** The first dim is symbolic or unknown: any batch size goes. */
  | { kind: 'dynamic'; dim: Dim }
  /** Inputs disagree, or have no rank. */
  | { kind: 'unknown' };

export interface ModelSummary {
  irVersion: number;
  producer: string;
  opsets: OpsetInfo[];
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  initializers: { count: number; bytes: number };
  nodeCount: number;
  /** Operator type -> number of nodes. */
  operators: Record<string, number>;
  batch: BatchKind;
}

/** The model's graph, with its repeated fields guaranteed present. */
export function graphOf(model: ModelProto): GraphProto {
  if (!model.graph) throw new Error('the model has no graph');
  return model.graph as GraphProto;
}

/** Graph inputs that are real inputs: before IR 4, initializers were listed as inputs too. */
export function realInputs(graph: GraphProto): TensorInfo[] {
  const weights = new Set(graph.initializer.map((t) => t.name));
  return graph.input.filter((i) => !weights.has(i.name ?? '')).map((i) => readValueInfo(i as never));
}

export function inspectModel(model: ModelProto): ModelSummary {
  const graph = graphOf(model);
  const operators: Record<string, number> = {};
  for (const node of graph.node) {
    const key = node.domain ? `${node.domain}.${node.opType}` : (node.opType ?? '');
    operators[key] = (operators[key] ?? 0) + 1;
  }
  const bytes = (graph.initializer as TensorProto[]).reduce((sum, t) => {
    const raw = t.rawData?.length ?? 0;
    return sum + (raw > 0 ? raw : 4 * (t.floatData.length + t.int32Data.length) + 8 * (t.int64Data.length + t.doubleData.length));
  }, 0);
  const inputs = realInputs(graph);
  return {
    irVersion: int64(model.irVersion as Int64),
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    opsets: model.opsetImport.map((o) => ({ domain: o.domain ?? '', version: int64(o.version as Int64) })),
    inputs,
    outputs: graph.output.map((o) => readValueInfo(o as never)),
    initializers: { count: graph.initializer.length, bytes },
    nodeCount: graph.node.length,
    operators,
    batch: batchKind(inputs),
  };
}

/** The default-domain opset of a model (0 when absent). */
export function defaultOpset(model: ModelProto): number {
  const entry = model.opsetImport.find((o) => !o.domain || o.domain === 'ai.onnx');
  return entry ? int64(entry.version as Int64) : 0;
}

function batchKind(inputs: TensorInfo[]): BatchKind {
  const firsts = inputs.map((i) => (i.dims && i.dims.length > 0 ? i.dims[0] : undefined));
  if (firsts.length === 0 || firsts.some((d) => d === undefined)) return { kind: 'unknown' };
  if (firsts.every((d) => typeof d === 'number')) {
    const size = firsts[0] as number;
    return firsts.every((d) => d === size) ? { kind: 'fixed', size } : { kind: 'unknown' };
  }
  if (firsts.every((d) => typeof d !== 'number')) return { kind: 'dynamic', dim: firsts[0] ?? null };
  return { kind: 'unknown' };
}
