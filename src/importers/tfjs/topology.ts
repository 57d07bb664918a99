/**
 * The layer graph of a Keras model config, as calls in dependency order. Each layer is
 * called once and has one output (no shared layers, no multi-output layers), which is
 * what Keras writes for plain feed-forward models such as ESRGAN; anything else is refused.
 */
import { userError } from '../../errors.js';
import type { KerasLayer, LayersModelJson } from './model-json.js';

/** One layer applied to its inputs; its output tensor carries the layer's name. */
export interface LayerCall {
  name: string;
  className: string;
  config: Record<string, unknown>;
  /** Names of the layers whose outputs it takes, in order. */
  inputs: string[];
}

export interface Topology {
  /** InputLayer calls (no inputs), in the model's input order. */
  inputs: LayerCall[];
  /** Every other layer, each after the layers it reads. */
  calls: LayerCall[];
  /** Names of the layers whose outputs are the model's outputs. */
  outputs: string[];
}

function layerName(layer: KerasLayer, index: number): string {
  return layer.name ?? layer.config.name ?? `layer_${index}`;
}

function refOf(ref: readonly unknown[], file: string, where: string): string {
  const [name, nodeIndex, tensorIndex] = ref as [string, number, number];
  if (nodeIndex !== 0 || tensorIndex !== 0) {
    throw userError('FF_TFJS_UNSUPPORTED', `${file}: ${where} reads ${name}[${nodeIndex}][${tensorIndex}]; shared or multi-output layers are not supported`);
  }
  return name;
}

/**
 * The calls of a Functional or Sequential model.
 * @throws FF_TFJS_CORRUPT_MODEL for references to missing layers or cycles.
 */
export function readTopology(model: LayersModelJson, file: string): Topology {
  const config = model.modelTopology.model_config;
  const all: LayerCall[] = [];
  if (config.class_name === 'Sequential') {
    config.config.layers.forEach((layer, i) => {
      const previous = all[all.length - 1];
      all.push({ name: layerName(layer, i), className: layer.class_name, config: layer.config, inputs: previous ? [previous.name] : [] });
    });
    // A Sequential model without an explicit InputLayer declares its input on the first layer.
    const first = all[0]!;
    if (first.className !== 'InputLayer') {
      const inputName = `${first.name}_input`;
      all.unshift({ name: inputName, className: 'InputLayer', config: { batch_input_shape: first.config['batch_input_shape'] }, inputs: [] });
      first.inputs = [inputName];
    }
    const last = all[all.length - 1]!;
    return order(all, [last.name], file);
  }
  config.config.layers.forEach((layer, i) => {
    const name = layerName(layer, i);
    const nodes = layer.inbound_nodes ?? [];
    if (nodes.length > 1) throw userError('FF_TFJS_UNSUPPORTED', `${file}: layer ${name} is called ${nodes.length} times; shared layers are not supported`);
    const inputs = (nodes[0] ?? []).map((ref) => refOf(ref, file, `layer ${name}`));
    all.push({ name, className: layer.class_name, config: layer.config, inputs });
  });
  const outputs = config.config.output_layers.map((ref) => refOf(ref, file, 'output_layers'));
  const topology = order(all, outputs, file);
  const declared = config.config.input_layers.map((ref) => refOf(ref, file, 'input_layers'));
  topology.inputs.sort((a, b) => declared.indexOf(a.name) - declared.indexOf(b.name));
  return topology;
}

function order(all: LayerCall[], outputs: string[], file: string): Topology {
  const byName = new Map<string, LayerCall>();
  for (const call of all) {
    if (byName.has(call.name)) throw userError('FF_TFJS_CORRUPT_MODEL', `${file}: two layers are named ${call.name}`);
    byName.set(call.name, call);
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const calls: LayerCall[] = [];
  const inputs: LayerCall[] = [];
  const visit = (name: string, from: string): void => {
    const call = byName.get(name);
    if (!call) throw userError('FF_TFJS_CORRUPT_MODEL', `${file}: ${from} refers to a layer ${name} that the model does not define`);
    const seen = state.get(name);
    if (seen === 'done') return;
    if (seen === 'visiting') throw userError('FF_TFJS_CORRUPT_MODEL', `${file}: the layers form a cycle through ${name}`);
    state.set(name, 'visiting');
    for (const input of call.inputs) visit(input, `layer ${name}`);
    state.set(name, 'done');
    (call.className === 'InputLayer' ? inputs : calls).push(call);
  };
  for (const name of outputs) visit(name, 'the model outputs');
  return { inputs, calls, outputs };
}
