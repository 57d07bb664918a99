/**
 * graphs/faceswap.json and graphs/upscale.json as shipped: faceswap needs pulled models,
 * so on a machine without them its only problems are FF_MODEL_MISSING with the pull
 * command, and its plan shows the composed stage; upscale validates as it is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadNodeRegistry } from '../../src/node-api/registry.js';
import { loadGraphFile } from '../../src/graph/load.js';
import { validateGraph } from '../../src/graph/validate.js';
import { planStages } from '../../src/plan/plan-stages.js';
import { formatPlan } from '../../src/plan/format-plan.js';
import { defaultModelsDir } from '../../src/models/paths.js';

const env = { cwd: process.cwd(), models: defaultModelsDir(), providers: ['cpu' as const] };

test('faceswap.json: valid but for models to pull, and the plan composes swapper + enhancer', async () => {
  const registry = await loadNodeRegistry();
  const loaded = await loadGraphFile('graphs/faceswap.json');
  assert.deepEqual(loaded.problems, []);
  assert.equal(loaded.document!.$schema, './graph.schema.json');
  const { problems } = await validateGraph(loaded.document!, registry, { checkEnv: env });
  for (const p of problems) {
    assert.equal(p.code, 'FF_MODEL_MISSING', `${p.node}: ${p.message}`);
    assert.match(p.message, /framefuse models pull (inswapper_128|arcface_w600k_r50|gfpgan_1\.4)/);
  }
  const { graph } = await validateGraph(loaded.document!, registry);
  const plan = planStages(graph!, { providers: ['cpu'], cpuThreads: 2 });
  const stage = plan.stages.find((s) => s.nodes.includes('swapper'))!;
  assert.deepEqual(stage.nodes, ['swapper', 'enhancer']);
  assert.equal(stage.composedBy, 'face-crop-chain');
  // The Batcher says auto: 4 on the CPU, 8 on a GPU, until framefuse tune measures it.
  assert.equal(stage.batchSize, 4);
  assert.equal(planStages(graph!, { providers: ['webgpu', 'cpu'], cpuThreads: 2 }).stages.find((s) => s.nodes.includes('swapper'))!.batchSize, 8);
  assert.match(formatPlan(plan), /fused: swapper -> enhancer composed into one model by face-crop-chain/);
});

test('upscale.json validates with the built-in ESRGAN x2', async () => {
  const loaded = await loadGraphFile('graphs/upscale.json');
  assert.equal(loaded.document!.$schema, './graph.schema.json');
  const { problems, graph } = await validateGraph(loaded.document!, await loadNodeRegistry(), { checkEnv: env });
  assert.deepEqual(problems, []);
  const plan = planStages(graph!, { providers: ['cpu'], cpuThreads: 2 });
  assert.equal(plan.stages.find((s) => s.nodes.includes('enhancer'))!.batchSize, 4);
});
