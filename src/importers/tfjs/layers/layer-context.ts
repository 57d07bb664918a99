/**
 * What a layer converter gets: the graph being built, the layer, its inputs (NCHW ONNX
 * values with what is known of their shape) and its weights.
 */
import { userError } from '../../../errors.js';
import type { GraphBuilder } from '../../../onnx/builder.js';
import type { LayerCall } from '../topology.js';
import type { WeightMap, WeightTensor } from '../weights.js';

/** An ONNX value in NCHW layout, with its channel count and spatial scale relative to the model input when known. */
export interface Value {
  name: string;
  rank: number;
  channels: number | null;
  /** Output size / input size along H and W; null when it depends on the input. */
  scale: number | null;
}

export interface LayerContext {
  graph: GraphBuilder;
  layer: LayerCall;
  /** The model.json path, for messages. */
  file: string;
  weights: WeightMap;
}

/** Converts one layer: ONNX nodes appended to `ctx.graph`, the output value returned. */
export type LayerConverter = (ctx: LayerContext, inputs: Value[]) => Value;

/** An error about this layer's configuration, naming the file and layer. */
export function unsupported(ctx: LayerContext, what: string): Error {
  return userError('FF_TFJS_UNSUPPORTED', `${ctx.file}: ${ctx.layer.className} layer ${ctx.layer.name}: ${what}`);
}

/** The layer's weight `<layer>/<suffix>` (e.g. `F_0/kernel`), with a check of its rank. */
export function layerWeight(ctx: LayerContext, suffix: string, rank: number): WeightTensor {
  const direct = ctx.weights.get(`${ctx.layer.name}/${suffix}`);
  // Models saved from a nested Keras model prefix the names with the outer model's.
  const found = direct ?? [...ctx.weights].find(([name]) => name.endsWith(`/${ctx.layer.name}/${suffix}`))?.[1];
  if (!found) {
    throw userError('FF_TFJS_CORRUPT_WEIGHTS', `${ctx.file}: the weights manifest has no ${ctx.layer.name}/${suffix} for layer ${ctx.layer.name}`);
  }
  if (found.shape.length !== rank) {
    throw userError('FF_TFJS_CORRUPT_WEIGHTS', `${ctx.file}: ${ctx.layer.name}/${suffix} has shape [${found.shape.join(',')}], expected rank ${rank}`);
  }
  return found;
}

/** A config field as a pair of integers (Keras writes `[3, 3]`, some writers `3`). */
export function intPair(ctx: LayerContext, key: string, fallback: [number, number]): [number, number] {
  const value = ctx.layer.config[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'number' && Number.isInteger(value)) return [value, value];
  if (Array.isArray(value) && value.length === 2 && value.every((v) => Number.isInteger(v))) return [value[0] as number, value[1] as number];
  throw unsupported(ctx, `${key} ${JSON.stringify(value)} is not one or two integers`);
}

/** Refuses channels_first layers: the converter maps Keras's channels-last axes to NCHW. */
export function requireChannelsLast(ctx: LayerContext): void {
  const format = ctx.layer.config['data_format'];
  if (format !== undefined && format !== null && format !== 'channels_last') throw unsupported(ctx, `data_format ${String(format)} (only channels_last)`);
}

/** A Keras channels-last axis (negative allowed) as the axis of the same dimension in NCHW. */
export function nchwAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a === 0) return 0;
  if (a === rank - 1) return 1;
  return a + 1;
}

/** A single input, or an error naming the layer. */
export function single(ctx: LayerContext, inputs: Value[]): Value {
  const [input] = inputs;
  if (!input || inputs.length !== 1) throw unsupported(ctx, `takes one input, got ${inputs.length}`);
  return input;
}
