/**
 * Tiny TF.js layers models written in tests: a Functional model.json from a list of
 * layers and the shard bytes for their weights, converted and run with onnxruntime.
 */
import ort from 'onnxruntime-node';
import { convertLayersModel } from '../../src/importers/tfjs/convert.js';
import { parseLayersModelJson } from '../../src/importers/tfjs/model-json.js';
import type { LayersModelJson } from '../../src/importers/tfjs/model-json.js';
import { readWeights } from '../../src/importers/tfjs/weights.js';

export interface TinyLayer {
  className: string;
  name: string;
  config?: Record<string, unknown>;
  inputs: string[];
  /** Weights by suffix (`kernel`, `bias`), Keras layout. */
  weights?: Record<string, { shape: number[]; values: number[] }>;
}

export interface TinyModel {
  json: LayersModelJson;
  /** The one weight shard. */
  shard: Uint8Array;
}

/** A Functional model with one input `x` of `channels` channels and the given layers; the last is the output. */
export function tinyModel(channels: number, layers: TinyLayer[]): TinyModel {
  const specs: { name: string; shape: number[]; dtype: string }[] = [];
  const values: number[] = [];
  for (const layer of layers) {
    for (const [suffix, w] of Object.entries(layer.weights ?? {})) {
      specs.push({ name: `${layer.name}/${suffix}`, shape: w.shape, dtype: 'float32' });
      values.push(...w.values);
    }
  }
  const json = {
    format: 'layers-model',
    modelTopology: {
      model_config: {
        class_name: 'Functional',
        config: {
          name: 'tiny',
          layers: [
            { class_name: 'InputLayer', name: 'x', config: { name: 'x', batch_input_shape: [null, null, null, channels], dtype: 'float32' }, inbound_nodes: [] },
            ...layers.map((l) => ({
              class_name: l.className,
              name: l.name,
              config: { name: l.name, ...(l.config ?? {}) },
              inbound_nodes: [l.inputs.map((i) => [i, 0, 0, {}])],
            })),
          ],
          input_layers: [['x', 0, 0]],
          output_layers: [[layers[layers.length - 1]!.name, 0, 0]],
        },
      },
    },
    weightsManifest: [{ paths: ['tiny.bin'], weights: specs }],
  };
  const shard = new Uint8Array(Float32Array.from(values).buffer);
  return { json: parseLayersModelJson(JSON.stringify(json), 'tiny/model.json'), shard };
}

/** Converts and runs a tiny model on an NHWC input; returns the output as NHWC with its dims. */
export async function runTiny(model: TinyModel, nhwc: number[], dims: [number, number, number, number]): Promise<{ values: number[]; dims: number[] }> {
  const weights = readWeights(model.json, [[{ path: 'tiny/tiny.bin', bytes: model.shard }]], 'tiny/model.json');
  const converted = convertLayersModel(model.json, weights, { file: 'tiny/model.json' });
  const session = await ort.InferenceSession.create(converted.bytes, { logSeverityLevel: 3 });
  const [n, h, w, c] = dims;
  const nchw = new Float32Array(nhwc.length);
  for (let b = 0; b < n; b++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) nchw[((b * c + k) * h + y) * w + x] = nhwc[((b * h + y) * w + x) * c + k]!;
  const out = (await session.run({ input: new ort.Tensor('float32', nchw, [n, c, h, w]) }))['output']!;
  await session.release();
  const [on, oc, oh, ow] = out.dims as [number, number, number, number];
  const data = out.data as Float32Array;
  const values: number[] = [];
  for (let b = 0; b < on; b++) for (let y = 0; y < oh; y++) for (let x = 0; x < ow; x++) for (let k = 0; k < oc; k++) values.push(data[((b * oc + k) * oh + y) * ow + x]!);
  return { values, dims: [on, oh, ow, oc] };
}

/** Values rounded to 4 decimals, for exact comparisons with hand-computed numbers. */
export function rounded(values: number[]): number[] {
  return values.map((v) => Math.round(v * 1e4) / 1e4);
}
