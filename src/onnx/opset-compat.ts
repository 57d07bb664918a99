/**
 * Whether a graph written for one opset of the default domain still means the same under
 * a newer one. A model declares one opset per domain, so composing a part written for
 * opset 11 with one written for 17 runs the older part's nodes under 17: allowed only if
 * none of its operators changed their inputs or meaning in between.
 */
import type { GraphProto, NodeProto } from './proto.js';
import { AttributeType } from './proto.js';

/** Opset versions at which an operator changed in a way that breaks nodes written before (inputs moved, semantics changed). */
const BREAKING: Record<string, number[]> = {
  Split: [13, 18],
  Squeeze: [13],
  Unsqueeze: [13],
  ReduceSum: [13],
  ReduceMean: [18],
  ReduceMax: [18],
  ReduceMin: [18],
  ReduceProd: [18],
  ReduceL1: [18],
  ReduceL2: [18],
  ReduceLogSum: [18],
  ReduceLogSumExp: [18],
  ReduceSumSquare: [18],
  Resize: [11],
  Upsample: [10],
  Pad: [11],
  Clip: [11],
  Slice: [10],
  TopK: [10],
  Softmax: [13],
  LogSoftmax: [13],
  Hardmax: [13],
  Dropout: [12],
  GridSample: [20],
  Scatter: [11],
  BatchNormalization: [9],
};

function opTypes(graph: GraphProto, out = new Set<string>()): Set<string> {
  for (const node of graph.node as NodeProto[]) {
    if (!node.domain || node.domain === 'ai.onnx') out.add(node.opType ?? '');
    for (const a of node.attribute) {
      if (a.type === AttributeType.GRAPH && a.g) opTypes(a.g as GraphProto, out);
      if (a.type === AttributeType.GRAPHS) for (const g of a.graphs ?? []) opTypes(g as GraphProto, out);
    }
  }
  return out;
}

/** Operators of `graph` that would change meaning when its opset goes from `from` to `to` (empty: safe). */
export function opsetUpgradeConflicts(graph: GraphProto, from: number, to: number): string[] {
  if (to <= from) return [];
  const conflicts: string[] = [];
  for (const op of opTypes(graph)) {
    const at = (BREAKING[op] ?? []).find((v) => v > from && v <= to);
    if (at !== undefined) conflicts.push(`${op} (changed at opset ${at})`);
  }
  return conflicts.sort();
}
