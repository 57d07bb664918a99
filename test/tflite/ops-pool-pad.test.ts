/** MAX_POOL_2D and PAD against results computed by hand. */
import { test } from 'node:test';
import { assertClose, conv1x1, identityKernel, model, op, runConverted, tensor } from './helpers.js';

test('MAX_POOL_2D SAME 2x2 stride 2 ignores the padding (negative inputs would lose to zero padding)', async () => {
  // x = -1..-9 (3x3). Windows: {-1,-2,-4,-5} -> -1, {-3,-6} -> -3, {-7,-8} -> -7, {-9} -> -9.
  const m = model(
    [tensor('x', [1, 3, 3, 1]), tensor('y', [1, 2, 2, 1])],
    [op('MAX_POOL_2D', [0], [1], { kind: 'pool2d', padding: 'SAME', strideW: 2, strideH: 2, filterW: 2, filterH: 2, activation: 'NONE' })],
    [0],
    [1],
  );
  const { y } = await runConverted(m, { x: { data: [-1, -2, -3, -4, -5, -6, -7, -8, -9], dims: [1, 3, 3, 1] } });
  assertClose(y!.data, [-1, -3, -7, -9]);
});

test('MAX_POOL_2D VALID with its fused RELU', async () => {
  const m = model(
    [tensor('x', [1, 2, 4, 1]), tensor('y', [1, 1, 2, 1])],
    [op('MAX_POOL_2D', [0], [1], { kind: 'pool2d', padding: 'VALID', strideW: 2, strideH: 2, filterW: 2, filterH: 2, activation: 'RELU' })],
    [0],
    [1],
  );
  const { y } = await runConverted(m, { x: { data: [-5, -1, 3, 2, -2, -7, 1, 8], dims: [1, 2, 4, 1] } });
  assertClose(y!.data, [0, 8]);
});

test('PAD on channels (BlazeFace channel padding) of an NCHW value', async () => {
  // Two pixels with one channel (5) (6), padded with 2 channels after: (5 0 0) (6 0 0).
  const m = model(
    [tensor('x', [1, 1, 2, 1]), tensor('id', [1, 1, 1, 1], [1]), tensor('c', [1, 1, 2, 1]), tensor('p', [4, 2], [0, 0, 0, 0, 0, 0, 0, 2], 'int32'), tensor('y', [1, 1, 2, 3])],
    [op('CONV_2D', [0, 1], [2], conv1x1()), op('PAD', [2, 3], [4])],
    [0],
    [4],
  );
  const { y } = await runConverted(m, { x: { data: [5, 6], dims: [1, 1, 2, 1] } });
  assertClose(y!.data, [5, 0, 0, 6, 0, 0]);
});

test('PAD on height (before) and width (after)', async () => {
  // 1x1 pixel 7, one row above and one column to the right: 0 0 / 7 0.
  const m = model(
    [tensor('x', [1, 1, 1, 1]), tensor('p', [4, 2], [0, 0, 1, 0, 0, 1, 0, 0], 'int32'), tensor('y', [1, 2, 2, 1])],
    [op('PAD', [0, 1], [2])],
    [0],
    [2],
  );
  const { y } = await runConverted(m, { x: { data: [7], dims: [1, 1, 1, 1] } });
  assertClose(y!.data, [0, 0, 7, 0]);
});

test('identity 1x1 convolution round-trips NHWC -> NCHW -> NHWC unchanged', async () => {
  const m = model([tensor('x', [1, 2, 2, 3]), tensor('id', [3, 1, 1, 3], identityKernel(3)), tensor('y', [1, 2, 2, 3])], [op('CONV_2D', [0, 1], [2], conv1x1())], [0], [2]);
  const data = Array.from({ length: 12 }, (_, i) => i * 1.5);
  const { y } = await runConverted(m, { x: { data, dims: [1, 2, 2, 3] } });
  assertClose(y!.data, data);
});
