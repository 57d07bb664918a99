import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { batchifyModel } from '../../src/onnx/batchify.js';
import { batchifyProven, proveBatchify } from '../../src/onnx/batchify-proof.js';
import { GraphBuilder } from '../../src/onnx/builder.js';
import { inspectModel } from '../../src/onnx/inspect.js';
import { buildSwapperLikeModel } from '../../src/onnx/synthetic-models.js';
import { filled, maxAbsDiff, runModel } from './helpers.js';

describe('batchify', () => {
  const fixed = buildSwapperLikeModel({ channels: 8, convs: 4, size: 32, fixedBatch: true });

  test('the fixed-batch model really refuses a batch of 2 before the rewrite', async () => {
    assert.deepEqual(inspectModel(fixed).batch, { kind: 'fixed', size: 1 });
    await assert.rejects(
      runModel(fixed, { target: { data: filled(2 * 3 * 32 * 32, 1), dims: [2, 3, 32, 32] }, source: { data: filled(1024, 2), dims: [2, 512] } }),
    );
  });

  test('rewrites inputs, outputs and the Reshape that hard-codes 1, and a batch of 4 matches 4 runs of batch 1', async () => {
    //   source[1,512] -MatMul-> [1,C] -Reshape(shape=[1,C,1,1])-> style ; target -> convs (+style) -> output
    const report = await batchifyProven(fixed, { batchSizes: [2, 4] });
    assert.deepEqual(report.batchedInputs, ['target', 'source']);
    assert.ok(report.rewrites.some((r) => /Reshape .*\[1,8,1,1\] -> \[-1,8,1,1\]/.test(r)), report.rewrites.join('\n'));
    assert.deepEqual(inspectModel(report.model).batch, { kind: 'dynamic', dim: 'N' });
    assert.ok(report.proof.maxAbsDiff <= 1e-4);

    // Independently of the proof: batch 4 against four batch-1 runs of the original.
    const target = filled(4 * 3 * 32 * 32, 5);
    const source = filled(4 * 512, 6);
    const batched = await runModel(report.model, { target: { data: target, dims: [4, 3, 32, 32] }, source: { data: source, dims: [4, 512] } });
    const per = 3 * 32 * 32;
    for (let i = 0; i < 4; i++) {
      const one = await runModel(fixed, {
        target: { data: target.slice(i * per, (i + 1) * per), dims: [1, 3, 32, 32] },
        source: { data: source.slice(i * 512, (i + 1) * 512), dims: [1, 512] },
      });
      assert.ok(maxAbsDiff(batched['output']!.data.slice(i * per, (i + 1) * per), one['output']!.data) <= 1e-4);
    }
  });

  test('refuses, with the reason, a model whose batch rewrite changes its results', async () => {
    //   x[1,4] -Reshape([1,4] -> [2,2])-> -ReduceSum(axes 0)-> y[2]: summing over the batch axis mixes samples
    const g = new GraphBuilder('mixes_samples', { opset: 17 });
    const x = g.input('x', 'float32', [1, 4]);
    const flat = g.node('Reshape', [x, g.int64s('shape', [1, 4])]);
    const summed = g.node('ReduceSum', [flat, g.int64s('axes', [0])], { keepdims: 1 });
    g.output(summed, 'y', 'float32', [1, 4]);
    const model = g.toModel();
    const report = batchifyModel(model);
    await assert.rejects(proveBatchify(model, report, { batchSizes: [3] }), (e: Error & { code?: string; fix?: string }) => {
      assert.equal(e.code, 'FF_BATCHIFY_UNPROVEN');
      assert.match(e.message, /output y/);
      assert.match(e.fix ?? '', /Reshape/);
      return true;
    });
  });

  test('refuses a model with nothing to batchify', () => {
    const g = new GraphBuilder('dynamic', { opset: 17 });
    g.output(g.node('Relu', [g.input('x', 'float32', ['N', 4])]), 'y', 'float32', ['N', 4]);
    assert.throws(() => batchifyModel(g.toModel()), /no input with a fixed batch of 1/);
  });
});
