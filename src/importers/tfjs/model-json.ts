/**
 * The model.json of a TensorFlow.js layers model: a Keras topology (`modelTopology`) and a
 * weights manifest naming the binary shards. Only what the converter reads is checked;
 * the rest (Keras initializers, regularizers) is kept as given.
 */
import { z } from 'zod';
import { userError } from '../../errors.js';

/** A Keras tensor reference in Functional `inbound_nodes`: [layer name, node index, tensor index, kwargs]. */
const zInbound = z.tuple([z.string(), z.number().int(), z.number().int()]).rest(z.unknown());

export const zKerasLayer = z.looseObject({
  class_name: z.string(),
  name: z.string().optional(),
  config: z.looseObject({ name: z.string().optional() }),
  inbound_nodes: z.array(z.array(zInbound)).optional(),
});

const zModelConfig = z.discriminatedUnion('class_name', [
  z.object({
    class_name: z.enum(['Functional', 'Model']),
    config: z.looseObject({
      name: z.string().optional(),
      layers: z.array(zKerasLayer).min(1),
      input_layers: z.array(zInbound).min(1),
      output_layers: z.array(zInbound).min(1),
    }),
  }),
  z.object({
    class_name: z.literal('Sequential'),
    config: z.looseObject({ name: z.string().optional(), layers: z.array(zKerasLayer).min(1) }),
  }),
]);

export const zWeightSpec = z.looseObject({
  name: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.string(),
  quantization: z.unknown().optional(),
});

export const zLayersModelJson = z.looseObject({
  format: z.literal('layers-model').optional(),
  generatedBy: z.string().optional(),
  convertedBy: z.string().nullable().optional(),
  modelTopology: z.looseObject({ model_config: zModelConfig }),
  weightsManifest: z.array(z.object({ paths: z.array(z.string().min(1)).min(1), weights: z.array(zWeightSpec) })),
});

export type KerasLayer = z.output<typeof zKerasLayer>;
export type WeightSpec = z.output<typeof zWeightSpec>;
export type LayersModelJson = z.output<typeof zLayersModelJson>;

/**
 * Parses model.json text. `file` names the file in errors.
 * @throws FF_TFJS_CORRUPT_MODEL when the text is not JSON or not a layers model.
 */
export function parseLayersModelJson(text: string, file: string): LayersModelJson {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw userError('FF_TFJS_CORRUPT_MODEL', `${file} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  const result = zLayersModelJson.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw userError('FF_TFJS_CORRUPT_MODEL', `${file} is not a TensorFlow.js layers model: ${problems.join('; ')}`, {
      fix: 'a layers model.json has "modelTopology" (a Keras model config) and "weightsManifest"; graph models (tf.loadGraphModel) are not supported',
    });
  }
  return result.data;
}
