import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { composeModels } from '../../src/onnx/compose.js';
import { GraphBuilder } from '../../src/onnx/builder.js';
import { remapRange, swapRedBlue, resizeImage } from '../../src/onnx/glue.js';
import { buildEnhancerLikeModel, buildSwapperLikeModel } from '../../src/onnx/synthetic-models.js';
import { inspectModel } from '../../src/onnx/inspect.js';
import { filled, maxAbsDiff, runModel } from './helpers.js';

describe('composeModels', () => {
  const swapper = buildSwapperLikeModel({ channels: 8, convs: 4, fixedBatch: false, size: 32 });
  const enhancer = buildEnhancerLikeModel({ channels: 8, convs: 3, size: 32 });
  const feeds = { target: { data: filled(2 * 3 * 32 * 32, 1), dims: [2, 3, 32, 32] }, source: { data: filled(2 * 512, 2), dims: [2, 512] } };

  test('a composed model equals running the parts in sequence', async () => {
    //   target, source -> [swapper] -> output ==wired==> input -> [enhancer] -> output
    const composed = composeModels(swapper, enhancer, { wiring: { input: 'output' } });
    const summary = inspectModel(composed);
    assert.deepEqual(summary.inputs.map((i) => i.name), ['target', 'source']);
    assert.deepEqual(summary.outputs.map((o) => o.name), ['output']);

    const first = await runModel(swapper, feeds);
    const second = await runModel(enhancer, { input: first['output']! });
    const fused = await runModel(composed, feeds);
    assert.deepEqual(fused['output']!.dims, [2, 3, 32, 32]);
    assert.ok(maxAbsDiff(fused['output']!.data, second['output']!.data) <= 1e-6);
  });

  test('refuses a kept output of a whose name clashes with an output of b', () => {
    assert.throws(
      () => composeModels(swapper, enhancer, { wiring: { input: 'output' }, keepOutputs: ['output'] }),
      /b's output "output" has the same name as an input or kept output of a/,
    );
  });

  test('glue ops between the parts (range remap, colour order) match the same maths done by hand', async () => {
    const renamed = buildEnhancerLikeModel({ channels: 8, convs: 3, size: 32, inputName: 'image' });
    const composed = composeModels(swapper, renamed, {
      glue: ({ g, a }) => ({ image: swapRedBlue(g, remapRange(g, a['output']!, [0, 1], [0.25, 0.75])) }),
      wiring: {},
      prefixes: { a: 'swap/', b: 'enh/' },
    });
    const first = await runModel(swapper, feeds);
    const swapped = first['output']!.data;
    const glued = new Float32Array(swapped.length);
    const plane = 32 * 32;
    for (let n = 0; n < 2; n++) {
      for (let ch = 0; ch < 3; ch++) {
        for (let i = 0; i < plane; i++) {
          glued[(n * 3 + ch) * plane + i] = (swapped[(n * 3 + (2 - ch)) * plane + i] ?? 0) * 0.5 + 0.25;
        }
      }
    }
    const second = await runModel(renamed, { image: { data: glued, dims: [2, 3, 32, 32] } });
    const fused = await runModel(composed, feeds);
    assert.ok(maxAbsDiff(fused['output']!.data, second['output']!.data) <= 1e-5);
  });

  test('a resize in the glue lets a 32 crop feed a 64 model', async () => {
    const big = buildEnhancerLikeModel({ channels: 4, convs: 2, size: 64 });
    const composed = composeModels(swapper, big, { glue: ({ g, a }) => ({ input: resizeImage(g, a['output']!, 64, 64) }) });
    const fused = await runModel(composed, feeds);
    assert.deepEqual(fused['output']!.dims, [2, 3, 64, 64]);
  });

  test('refuses a wiring whose shapes do not fit, and names both sides', () => {
    const big = buildEnhancerLikeModel({ channels: 4, convs: 2, size: 64 });
    assert.throws(() => composeModels(swapper, big, { wiring: { input: 'output' } }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'FF_COMPOSE_REFUSED');
      assert.match(e.message, /"input" \[N,3,64,64\] does not fit a's "output" \[N,3,32,32\]/);
      return true;
    });
  });

  test('refuses to lift a part across an opset where its operators changed meaning', () => {
    const old = new GraphBuilder('old', { opset: 11 });
    const x = old.input('x', 'float32', [1, 4]);
    old.output(old.node('Squeeze', [old.node('Unsqueeze', [x], { axes: [0] })], { axes: [0] }), 'y', 'float32', [1, 4]);
    assert.throws(() => composeModels(old.toModel(), enhancer, {}), /opset 11 and would run under opset 17, where Squeeze \(changed at opset 13\), Unsqueeze/);
  });
});
