import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../../src/importers/builtin.js';
import { runPreparers } from '../../src/models/preparers.js';
import { PROJECT_MODELS_DIR } from '../../src/models/paths.js';
import { openModel } from '../../src/runtime/model-session.js';
import { concreteDims, maxDifference, randomTensor, seededRandom } from '../../src/onnx/random-feeds.js';
import type { Feeds } from '../../src/runtime/tensors.js';
import { requireWebGpu } from './webgpu.js';

/**
 * Every built-in model (shipped in models/ or converted from npm packages) on the webgpu
 * provider against the cpu provider, on the same seeded input. The tolerance is relative
 * to the largest output value: 1e-3 (WebGPU's float32 kernels sum in another order, and
 * lavapipe's and real GPUs' fused multiply-adds round differently), with an absolute floor
 * for outputs near zero.
 */
const TOLERANCE = 1e-3;

const BUILT_IN: { file: string; batch: number; free?: number; range?: [number, number] }[] = [
  { file: 'yunet_s_640_640.onnx', batch: 1, range: [0, 255] },
  { file: 'retinaface_mnet025_640.onnx', batch: 1, range: [-128, 128] },
  { file: 'blazeface_short.onnx', batch: 2, range: [-1, 1] },
  { file: 'blazeface_full.onnx', batch: 2, range: [-1, 1] },
  { file: 'facemesh.onnx', batch: 2 },
  { file: 'esrgan_x2.onnx', batch: 2, free: 24, range: [0, 255] },
  { file: 'esrgan_x3.onnx', batch: 1, free: 16, range: [0, 255] },
  { file: 'esrgan_x4.onnx', batch: 1, free: 16, range: [0, 255] },
  { file: 'esrgan_x8.onnx', batch: 1, free: 8, range: [0, 255] },
];

describe('every built-in model runs on webgpu and matches the cpu provider', () => {
  let models: string;

  before(async () => {
    await requireWebGpu();
    models = await mkdtemp(join(tmpdir(), 'ff-builtin-gpu-'));
    await cp(PROJECT_MODELS_DIR, models, { recursive: true, filter: (src) => !src.includes('/cache') });
    const outcomes = await runPreparers({ modelsDir: models, force: false, log: () => undefined });
    for (const o of outcomes) assert.ok(o.ok, `${o.id}: ${o.error}`);
  });

  for (const spec of BUILT_IN) {
    test(spec.file, async () => {
      const cpu = await openModel(join(models, spec.file), { providers: ['cpu'], threads: 2, modelsDir: models });
      const gpu = await openModel(join(models, spec.file), { providers: ['webgpu'], modelsDir: models });
      try {
        assert.equal(gpu.provider, 'webgpu');
        const random = seededRandom(11);
        const feeds: Feeds = {};
        for (const input of cpu.inputs) {
          const dims = concreteDims(input.dims, spec.batch, spec.free ?? 1);
          const t = randomTensor(input, dims, random, spec.range ?? [0, 1]);
          feeds[input.name] = { data: t.data, dims: t.dims, type: t.type };
        }
        const expected = await cpu.run(feeds);
        const actual = await gpu.run(feeds);
        for (const output of cpu.outputs) {
          const e = expected[output.name]!;
          const a = actual[output.name]!;
          assert.deepEqual(a.dims, e.dims, output.name);
          const d = maxDifference(a.data as Float32Array, e.data as Float32Array);
          assert.ok(d.maxAbs <= TOLERANCE * Math.max(1, d.refMax), `${spec.file} ${output.name}: max |diff| ${d.maxAbs} against a largest value of ${d.refMax}`);
        }
      } finally {
        await cpu.dispose();
        await gpu.dispose();
      }
    });
  }
});
