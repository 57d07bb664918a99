/**
 * onnxruntime's WebGPU provider shares one device across every thread of the process and
 * breaks when two threads drive it at once (errors, or wrong outputs without one). Two
 * worker threads hammering WebGPU sessions at the same time must each get the CPU's answer,
 * every time: the device lock (runtime/device-lock.ts) holds them to one at a time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InferenceWorker } from '../../src/runtime/inference-worker.js';
import { openModel } from '../../src/runtime/model-session.js';
import { maxDifference } from '../../src/onnx/random-feeds.js';
import { modelsFolder, swapperFeeds } from '../runtime/fixtures.js';
import { requireWebGpu } from './webgpu.js';

test('two threads running WebGPU sessions at once both get the right answer, every run', async () => {
  await requireWebGpu();
  const { dynamic, dir } = await modelsFolder();
  const cpu = await openModel(dynamic, { modelsDir: dir, threads: 1 });
  const expected = await Promise.all([1, 2].map((seed) => cpu.run(swapperFeeds(8, seed))));
  await cpu.dispose();
  const workers = await Promise.all([1, 2].map(() => InferenceWorker.start(dynamic, { modelsDir: dir, providers: ['webgpu'] })));
  try {
    for (const w of workers) assert.equal(w.provider, 'webgpu');
    const rounds = 12;
    await Promise.all(
      workers.map(async (worker, w) => {
        for (let i = 0; i < rounds; i++) {
          const outputs = await worker.run(swapperFeeds(8, w + 1));
          const d = maxDifference(outputs['output']!.data as Float32Array, expected[w]!['output']!.data as Float32Array);
          assert.ok(d.maxAbs <= 1e-3 * Math.max(1, d.refMax), `worker ${w} run ${i}: max |diff| ${d.maxAbs}`);
        }
      }),
    );
  } finally {
    await Promise.all(workers.map((w) => w.dispose()));
  }
});
