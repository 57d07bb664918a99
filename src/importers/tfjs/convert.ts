/**
 * A TF.js layers model as an ONNX model: NCHW float32 in and out, any batch and any
 * spatial size (the layers carry no fixed H or W), one ONNX node or two per layer. The
 * value range is the model's own (ESRGAN-slim: 0..255 in and out); callers own layout and
 * range, so fused graphs add no transposes.
 */
import { userError } from '../../errors.js';
import { GraphBuilder } from '../../onnx/builder.js';
import type { Dim } from '../../onnx/value-info.js';
import { LAYER_CONVERTERS } from './layers/index.js';
import type { Value } from './layers/layer-context.js';
import type { LayersModelJson } from './model-json.js';
import { readTopology } from './topology.js';
import type { LayerCall } from './topology.js';
import type { WeightMap } from './weights.js';

export interface ConvertOptions {
  /** The model.json path, for messages. */
  file: string;
  /** Graph name. Default: the Keras model's name. */
  name?: string;
  /** ONNX opset. Default 17. */
  opset?: number;
  /** Recorded in the model's doc string (where it came from). */
  docString?: string;
}

export interface ConvertedModel {
  bytes: Uint8Array;
  /** ONNX input and output names, in model order (`input`, `output` for one of each). */
  inputs: string[];
  outputs: string[];
  /** Output size over input size along H and W, when fixed (2 for ESRGAN x2). */
  scale: number | null;
}

function ioNames(prefix: string, count: number): string[] {
  return count === 1 ? [prefix] : Array.from({ length: count }, (_, i) => `${prefix}_${i}`);
}

function inputShape(call: LayerCall, file: string): (number | null)[] {
  const shape = call.config['batch_input_shape'] ?? call.config['batch_shape'];
  if (!Array.isArray(shape) || shape.length < 2 || !shape.every((d) => d === null || Number.isInteger(d))) {
    throw userError('FF_TFJS_CORRUPT_MODEL', `${file}: input layer ${call.name} has no batch_input_shape`);
  }
  return shape as (number | null)[];
}

/** Layers whose class the converter does not know, as `Class (layer, ...)` strings. */
function unknownLayers(calls: LayerCall[]): string[] {
  const unknown = new Map<string, string[]>();
  for (const call of calls) {
    if (!(call.className in LAYER_CONVERTERS)) unknown.set(call.className, [...(unknown.get(call.className) ?? []), call.name]);
  }
  return [...unknown].map(([cls, names]) => `${cls} (${names.slice(0, 3).join(', ')}${names.length > 3 ? `, +${names.length - 3}` : ''})`);
}

/**
 * Converts a parsed layers model with its weights.
 * @throws FF_TFJS_UNKNOWN_LAYER listing every unknown layer class before anything is built;
 * FF_TFJS_UNSUPPORTED for a known layer with a configuration it does not map.
 */
export function convertLayersModel(model: LayersModelJson, weights: WeightMap, options: ConvertOptions): ConvertedModel {
  const topology = readTopology(model, options.file);
  const unknown = unknownLayers(topology.calls);
  if (unknown.length > 0) {
    throw userError('FF_TFJS_UNKNOWN_LAYER', `${options.file} uses layers the TF.js converter does not know: ${unknown.join('; ')}`, {
      fix: `the converter maps ${Object.keys(LAYER_CONVERTERS).join(', ')}; a new layer needs a converter in src/importers/tfjs/layers/ and its own test`,
    });
  }
  const kerasName = model.modelTopology.model_config.config.name;
  const g = new GraphBuilder(options.name ?? kerasName ?? 'tfjs_model', {
    opset: options.opset ?? 17,
    ...(options.docString ? { docString: options.docString } : {}),
  });
  const values = new Map<string, Value>();
  const inputNames = ioNames('input', topology.inputs.length);
  topology.inputs.forEach((call, i) => {
    const shape = inputShape(call, options.file);
    const channels = shape[shape.length - 1] ?? null;
    // Channels-last [N, H, W, C] becomes [N, C, H, W].
    const spatial: Dim[] = shape.slice(1, -1).map((d, k) => d ?? (['H', 'W', 'D'][k] ?? `S${k}`));
    const name = g.input(inputNames[i]!, 'float32', ['N', channels ?? 'C', ...spatial]);
    values.set(call.name, { name, rank: shape.length, channels, scale: 1 });
  });
  for (const call of topology.calls) {
    const inputs = call.inputs.map((name) => values.get(name)!);
    values.set(call.name, LAYER_CONVERTERS[call.className]!({ graph: g, layer: call, file: options.file, weights }, inputs));
  }
  const outputNames = ioNames('output', topology.outputs.length);
  let scale: number | null = null;
  topology.outputs.forEach((layer, i) => {
    const value = values.get(layer)!;
    const s = value.scale;
    const spatial: Dim[] = value.rank === 4 ? (s === 1 ? ['H', 'W'] : s === null ? [null, null] : [`H*${s}`, `W*${s}`]) : Array.from({ length: value.rank - 2 }, () => null);
    g.output(value.name, outputNames[i], 'float32', ['N', value.channels, ...spatial]);
    if (i === 0) scale = s;
  });
  return { bytes: g.toBytes(), inputs: inputNames, outputs: outputNames, scale };
}
