/**
 * A GPU lost mid-run (a driver reset, an adapter gone): the run fails with FF_GPU_LOST, the
 * error names the stage's node and says what to do, every stage stops, and the Encoder
 * leaves nothing under the output's name. The loss itself cannot be caused on purpose;
 * a test node fails the way a session run does, through the runtime's classification.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deviceFailure, isDeviceLost } from '../../src/runtime/device-errors.js';
import { loadNodeRegistry } from '../../src/node-api/registry.js';
import { validateGraph } from '../../src/graph/validate.js';
import { planStages } from '../../src/plan/plan-stages.js';
import { runPlan } from '../../src/run/run-plan.js';
import { graph } from '../helpers.js';

const NODES = fileURLToPath(new URL('./nodes/', import.meta.url));
const CLIP = fileURLToPath(new URL('../../../samples/tears_of_steel_clip01_640x360.mp4', import.meta.url));

test('device-lost messages are told from model errors', () => {
  for (const m of ['VK_ERROR_DEVICE_LOST', 'WebGPU device was lost: Device lost', 'CUDA failure 999: unknown error', 'an illegal memory access was encountered']) assert.ok(isDeviceLost(m), m);
  assert.ok(!isDeviceLost('Got invalid dimensions for input: target'));
  const lost = deviceFailure(new Error('VK_ERROR_DEVICE_LOST\nmore'), 'running a.onnx on webgpu');
  assert.equal(lost.code, 'FF_GPU_LOST');
  assert.equal(lost.kind, 'operational');
  assert.match(lost.fix ?? '', /--provider cpu/);
  assert.equal(deviceFailure(new Error('bad shape'), 'running a.onnx on cpu').code, 'FF_INFERENCE_FAILED');
});

test('a GPU lost mid-run fails the run naming the stage, and nothing is written under the output name', async () => {
  const out = mkdtempSync(join(tmpdir(), 'ff-lost-'));
  const target = join(out, 'out.mp4');
  const doc = graph(
    [
      ['decoder', 'Decoder', { path: CLIP, end: 24 }],
      ['batch', 'Batcher', { size: 2 }],
      ['gpu', 'TestLostGpu', { failAt: 3 }],
      ['encoder', 'Encoder', { path: target }],
    ],
    ['decoder.frames -> batch.frames', 'batch.frames -> gpu.frames', 'gpu.frames -> encoder.frames'],
  );
  const { graph: resolved, problems } = await validateGraph(doc, await loadNodeRegistry({ dirs: [NODES] }));
  assert.ok(resolved, JSON.stringify(problems));
  const plan = planStages(resolved, { providers: ['webgpu', 'cpu'], cpuThreads: 2 });
  await assert.rejects(runPlan(resolved, plan), (e: Error & { code?: string; node?: string }) => {
    assert.equal(e.code, 'FF_GPU_LOST');
    assert.equal(e.node, 'gpu');
    assert.match(e.message, /the GPU was lost while running model\.onnx on webgpu/);
    return true;
  });
  assert.ok(!existsSync(target), 'no output under the final name');
  assert.deepEqual(readdirSync(out), [], 'no partial file left either');
});
