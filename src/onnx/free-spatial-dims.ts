/**
 * freeSpatialDims(model): a fully convolutional model exported for one image size
 * ([N,C,640,640]) rewritten for any height and width ([N,C,H,W]). The input's spatial dims
 * become symbolic, and every Reshape that flattens a head's cell grid gets a shape that
 * does not spell out the cell count: [0,-1,C] (0 copies the batch, -1 infers H*W).
 *
 * The rewrite refuses (FF_FREE_SPATIAL_UNSUPPORTED) anything whose size independence it
 * cannot see from the structure: an operator outside a short list of per-position ones,
 * a Resize to fixed sizes, a Reshape other than NCHW -> NHWC -> [N, cells, C]. The
 * structure is only the first half; `proveFreeSpatial` checks the numbers.
 */
import { userError } from '../errors.js';
import { readAttribute } from './attributes.js';
import { cloneModel } from './clone.js';
import { graphOf, realInputs } from './inspect.js';
import { int64, onnx } from './proto.js';
import type { GraphProto, Int64, ModelProto, NodeProto, TensorProto, ValueInfoProto } from './proto.js';
import { makeTensor, readTensor, tensorNumbers } from './tensor-data.js';

export interface FreeSpatialReport {
  model: ModelProto;
  /** The input whose height and width were freed. */
  input: string;
  /** Its spatial size in the source model (the size the proof compares against). */
  height: number;
  width: number;
  /** Human-readable list of what was changed, for logs and the cache sidecar. */
  rewrites: string[];
}

/**
 * Operators whose output at a position depends only on a window of the input around it,
 * never on the image size. Anything else (Flatten, Gemm, global pooling, Slice...) may
 * bake the size in, so the rewrite refuses it rather than guess.
 */
const PER_POSITION_OPS = new Set([
  'Conv', 'BatchNormalization', 'Relu', 'LeakyRelu', 'PRelu', 'Sigmoid', 'Clip', 'HardSigmoid', 'HardSwish',
  'Add', 'Mul', 'MaxPool', 'AveragePool', 'Concat', 'Identity', 'Resize', 'Upsample', 'Transpose', 'Reshape',
]);

function refuse(reason: string): never {
  throw userError('FF_FREE_SPATIAL_UNSUPPORTED', `the model's spatial size cannot be freed: ${reason}`, {
    fix: 'run it on its own square canvas, or export it with dynamic height and width axes',
  });
}

function symbolic(info: ValueInfoProto, index: number, name: string): void {
  const dim = info.type?.tensorType?.shape?.dim?.[index];
  if (!dim) return;
  delete (dim as { dimValue?: unknown }).dimValue;
  dim.dimParam = name;
}

/** Rewrites `source` (left untouched) for any spatial size; throws FF_FREE_SPATIAL_UNSUPPORTED when it cannot tell that is safe. */
export function freeSpatialDims(source: ModelProto): FreeSpatialReport {
  const model = cloneModel(source);
  const graph = graphOf(model);
  const inputs = realInputs(graph);
  const [input] = inputs;
  if (inputs.length !== 1 || !input) refuse(`it has ${inputs.length} inputs; one image input [N,C,H,W] is handled`);
  const dims = input.dims;
  const height = dims?.[2];
  const width = dims?.[3];
  if (dims?.length !== 4 || typeof height !== 'number' || typeof width !== 'number') {
    refuse(`its input ${input.name} is [${dims?.join(',') ?? '?'}], not [N,C,H,W] with a fixed H and W`);
  }
  const rewrites: string[] = [];
  for (const node of graph.node as NodeProto[]) {
    if (node.domain || !PER_POSITION_OPS.has(node.opType ?? '')) refuse(`operator ${node.domain ? `${node.domain}.` : ''}${node.opType} (${node.name}) may depend on the image size`);
    if (node.opType === 'Resize' && (node.input[3] ?? '') !== '') refuse(`Resize ${node.name} resizes to fixed sizes, not by scales`);
  }
  const entry = (graph.input as ValueInfoProto[]).find((i) => i.name === input.name)!;
  symbolic(entry, 2, 'H');
  symbolic(entry, 3, 'W');
  rewrites.push(`input ${input.name}: ${height}x${width} -> HxW`);
  const channels = rewriteCellReshapes(graph, rewrites);
  for (const output of graph.output as ValueInfoProto[]) {
    const rank = output.type?.tensorType?.shape?.dim?.length ?? 0;
    // Only a flattened head's channel count is known to stay; every other dim past the batch may follow the size.
    const keepLast = channels.has(output.name ?? '');
    for (let i = 1; i < rank; i++) if (!(keepLast && i === rank - 1)) symbolic(output, i, `${output.name}_d${i}`);
  }
  // Intermediate shapes recorded by the exporter are those of the old size; onnxruntime re-infers them.
  graph.valueInfo = [];
  const used = new Set(graph.node.flatMap((n) => n.input ?? []));
  graph.initializer = graph.initializer.filter((t) => used.has(t.name ?? ''));
  return { model, input: input.name, height, width, rewrites };
}

/**
 * Every Reshape must flatten a Conv's NCHW output, transposed to NHWC, into [N, H*W, C]:
 * its shape becomes [0,-1,C], which gives the same cells in the same row-major order at
 * any size. Returns the names of the reshaped tensors (their last dim, C, is fixed).
 */
function rewriteCellReshapes(graph: GraphProto, rewrites: string[]): Set<string> {
  const producers = new Map<string, NodeProto>();
  for (const node of graph.node as NodeProto[]) for (const out of node.output) producers.set(out, node);
  const initializers = new Map<string, TensorProto>();
  for (const t of graph.initializer as TensorProto[]) initializers.set(t.name ?? '', t);
  const constantValues = (name: string): number[] | undefined => {
    const init = initializers.get(name);
    if (init) return tensorNumbers(readTensor(init));
    const producer = producers.get(name);
    const attribute = producer?.opType === 'Constant' ? producer.attribute.find((a) => a.name === 'value') : undefined;
    const value = attribute ? readAttribute(attribute as never) : undefined;
    return value instanceof onnx.TensorProto ? tensorNumbers(readTensor(value)) : undefined;
  };
  const fresh = new Map<string, string>();
  const reshaped = new Set<string>();
  for (const node of graph.node as NodeProto[]) {
    if (node.opType !== 'Reshape') continue;
    const label = node.name || node.output[0] || '?';
    if (node.attribute.some((a) => a.name === 'allowzero' && Number(readAttribute(a as never)) === 1)) refuse(`Reshape ${label} has allowzero=1`);
    const shape = constantValues(node.input[1] ?? '');
    const transpose = producers.get(node.input[0] ?? '');
    const perm = transpose?.opType === 'Transpose' ? readAttribute(transpose.attribute.find((a) => a.name === 'perm') as never) : undefined;
    const conv = producers.get(transpose?.input[0] ?? '');
    const weight = conv?.opType === 'Conv' ? initializers.get(conv.input[1] ?? '') : undefined;
    const convChannels = weight ? int64(weight.dims[0] as Int64) : undefined;
    if (!shape || !Array.isArray(perm) || perm.join(',') !== '0,2,3,1' || convChannels === undefined) {
      refuse(`Reshape ${label} is not a Conv head flattened NCHW -> NHWC -> [N, cells, C]`);
    }
    const [batch, cells, channels] = shape;
    if (shape.length !== 3 || (batch !== 0 && batch !== 1) || (cells !== -1 && !(cells !== undefined && cells > 0)) || channels !== convChannels) {
      refuse(`Reshape ${label} has shape [${shape.join(',')}]; a head of ${convChannels} channels flattens to [1|0, cells|-1, ${convChannels}]`);
    }
    const key = `${node.input[1]}:${channels}`;
    let name = fresh.get(key);
    if (!name) {
      name = `${node.input[1]}__free_spatial`;
      graph.initializer.push(makeTensor(name, 'int64', [3], BigInt64Array.from([0n, -1n, BigInt(channels)])));
      fresh.set(key, name);
    }
    node.input[1] = name;
    for (const out of node.output) reshaped.add(out);
    rewrites.push(`Reshape ${label}: shape [${shape.join(',')}] -> [0,-1,${channels}]`);
  }
  return reshaped;
}
