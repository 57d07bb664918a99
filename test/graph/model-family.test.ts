/**
 * A model parameter takes models of its family only (src/graph/check-model-family.ts):
 * graphs/faceswap.json with a detector as the swap model and an upscaler as the face
 * enhancer's model is refused with FF_MODEL_FAMILY naming the node, the parameter and the
 * models that fit; the shipped graphs are not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadNodeRegistry } from '../../src/node-api/registry.js';
import { loadGraphFile } from '../../src/graph/load.js';
import { validateGraph } from '../../src/graph/validate.js';
import { defaultModelsDir } from '../../src/models/paths.js';

const env = { cwd: process.cwd(), models: defaultModelsDir(), providers: ['cpu' as const] };

test('a model of the wrong family is refused with FF_MODEL_FAMILY; the shipped graphs pass', async () => {
  const registry = await loadNodeRegistry();
  for (const file of ['graphs/faceswap.json', 'graphs/upscale.json']) {
    const loaded = await loadGraphFile(file);
    const { problems } = await validateGraph(loaded.document!, registry, { checkEnv: env });
    assert.deepEqual(problems.filter((p) => p.code === 'FF_MODEL_FAMILY'), [], file);
  }
  const doc = (await loadGraphFile('graphs/faceswap.json')).document!;
  const swapper = doc.nodes.find((n) => n.type === 'Swapper')!;
  const enhancer = doc.nodes.find((n) => n.type === 'Enhancer')!;
  swapper.params = { ...swapper.params, model: 'scrfd_2.5g' };
  enhancer.params = { ...enhancer.params, faceModel: 'esrgan_x2' };
  const { problems } = await validateGraph(doc, registry, { checkEnv: env });
  const family = problems.filter((p) => p.code === 'FF_MODEL_FAMILY');
  assert.equal(family.length, 2, JSON.stringify(family));
  const onSwapper = family.find((p) => p.node === swapper.id)!;
  assert.equal(onSwapper.field, 'model');
  assert.match(onSwapper.message, /scrfd_2\.5g is a face-detect model, but model takes a face-swapper: pick one of inswapper_128/);
  assert.match(family.find((p) => p.node === enhancer.id)!.message, /pick one of gfpgan_1\.4, codeformer/);
});
