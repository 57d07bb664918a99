/**
 * TFLite -> ONNX. The model's operators are converted in order (TFLite stores them
 * topologically sorted); inputs and outputs keep TFLite's names and NHWC shapes, with the
 * batch axis made dynamic ('N'), so the converted model drops in where the TFLite one
 * ran and batches without a rewrite.
 *
 * @example
 * ```ts
 * const model = readTfliteModel(bytes, 'face_detection_short_range.tflite');
 * const { bytes: onnxBytes } = convertTfliteToOnnx(model);
 * ```
 */
import { userError } from '../../errors.js';
import { GraphBuilder } from '../../onnx/builder.js';
import { ConversionContext } from './context.js';
import type { TfliteModel } from './model.js';
import { OP_CONVERTERS } from './ops/index.js';

export interface ConvertOptions {
  /** Graph name; default the source file's base name. */
  name?: string;
  /** ONNX opset; default 17. */
  opset?: number;
  /** Written into the model's doc string (where it came from). */
  docString?: string;
}

export interface ConvertedTensor {
  name: string;
  /** Dims with the batch as 'N'. */
  dims: (number | string)[];
}

export interface ConvertedModel {
  bytes: Uint8Array;
  inputs: ConvertedTensor[];
  outputs: ConvertedTensor[];
  /** How many of each TFLite operator were converted. */
  operatorCounts: Record<string, number>;
}

/**
 * Lists every operator of the model that the converter does not know, so one error names
 * them all.
 * @throws FF_TFLITE_UNKNOWN_OP
 */
export function checkOperatorsKnown(model: TfliteModel): void {
  const unknown = new Map<string, number>();
  for (const op of model.operators) if (!OP_CONVERTERS.has(op.opName)) unknown.set(op.opName, (unknown.get(op.opName) ?? 0) + 1);
  if (unknown.size === 0) return;
  const list = [...unknown].map(([name, count]) => `${name} (x${count})`).join(', ');
  throw userError('FF_TFLITE_UNKNOWN_OP', `${model.source} uses TFLite operators the converter does not know: ${list}`, {
    fix: `framefuse converts ${[...OP_CONVERTERS.keys()].join(', ')}; use a model built from those`,
  });
}

/** Converts a parsed TFLite model to ONNX bytes. */
export function convertTfliteToOnnx(model: TfliteModel, options: ConvertOptions = {}): ConvertedModel {
  checkOperatorsKnown(model);
  const name = options.name ?? model.source.split(/[\\/]/).pop()?.replace(/\.tflite$/, '') ?? 'tflite';
  const graph = new GraphBuilder(name, { opset: options.opset ?? 17, producer: 'framefuse-tflite', ...(options.docString ? { docString: options.docString } : {}) });
  const ctx = new ConversionContext(model, graph);
  // Reserve the output names so no intermediate value takes them first.
  for (const index of model.outputs) graph.uniqueName(ctx.tensor(index).name);
  const batched = (shape: readonly number[]): (number | string)[] => shape.map((d, i) => (i === 0 ? 'N' : d));

  const inputs = model.inputs.map((index) => {
    const t = ctx.tensor(index);
    if (t.type !== 'float32') throw userError('FF_TFLITE_UNSUPPORTED', `${model.source}: input ${t.name} is ${t.type}; only float32 inputs are supported`);
    const dims = batched(t.shape);
    ctx.define(index, graph.input(t.name, 'float32', dims), 'nhwc');
    return { name: t.name, dims };
  });

  const operatorCounts: Record<string, number> = {};
  for (const op of model.operators) {
    const convert = OP_CONVERTERS.get(op.opName);
    if (!convert) throw new Error(`unreachable: ${op.opName} passed checkOperatorsKnown`);
    convert(ctx, op);
    operatorCounts[op.opName] = (operatorCounts[op.opName] ?? 0) + 1;
  }

  const outputs = model.outputs.map((index) => {
    const t = ctx.tensor(index);
    const dims = batched(t.shape);
    // Outputs go back to TFLite's layout so decoders read them exactly as documented.
    graph.output(ctx.valueIn(index, 'nhwc'), t.name, 'float32', dims);
    return { name: t.name, dims };
  });
  return { bytes: graph.toBytes(), inputs, outputs, operatorCounts };
}
