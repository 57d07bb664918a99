/** ADD, RELU and PRELU against results computed by hand, in both layouts the converter uses. */
import { test } from 'node:test';
import { assertClose, conv1x1, identityKernel, model, op, runConverted, tensor } from './helpers.js';

test('ADD of a per-channel constant to an NCHW value broadcasts over channels, then its fused RELU', async () => {
  // x (1x1x2, 2 channels) = (1, 2) (3, 4); + (10, -100) per channel = (11, -98) (13, -96); RELU -> 11 0 13 0.
  const m = model(
    [tensor('x', [1, 1, 2, 2]), tensor('id', [2, 1, 1, 2], identityKernel(2)), tensor('c', [1, 1, 2, 2]), tensor('bias', [2], [10, -100]), tensor('y', [1, 1, 2, 2])],
    [op('CONV_2D', [0, 1], [2], conv1x1()), op('ADD', [2, 3], [4], { kind: 'add', activation: 'RELU' })],
    [0],
    [4],
  );
  const { y } = await runConverted(m, { x: { data: [1, 2, 3, 4], dims: [1, 1, 2, 2] } });
  assertClose(y!.data, [11, 0, 13, 0]);
});

test('ADD of two run-time values in NHWC', async () => {
  const m = model([tensor('x', [1, 4]), tensor('y', [1, 4])], [op('ADD', [0, 0], [1], { kind: 'add', activation: 'NONE' })], [0], [1]);
  const { y } = await runConverted(m, { x: { data: [1, -2, 3.5, 0], dims: [1, 4] } });
  assertClose(y!.data, [2, -4, 7, 0]);
});

test('RELU zeroes negatives', async () => {
  const m = model([tensor('x', [1, 2, 2, 1]), tensor('y', [1, 2, 2, 1])], [op('RELU', [0], [1])], [0], [1]);
  const { y } = await runConverted(m, { x: { data: [-1, 2, -3, 4], dims: [1, 2, 2, 1] } });
  assertClose(y!.data, [0, 2, 0, 4]);
});

test('PRELU with a per-channel alpha [1,1,C] (as FaceMesh stores it) on an NCHW value', async () => {
  // Channels (a, b) with alpha (0.1, 0.5): (-10, -10) -> (-1, -5); (4, -2) -> (4, -1).
  const m = model(
    [tensor('x', [1, 1, 2, 2]), tensor('id', [2, 1, 1, 2], identityKernel(2)), tensor('c', [1, 1, 2, 2]), tensor('alpha', [1, 1, 2], [0.1, 0.5]), tensor('y', [1, 1, 2, 2])],
    [op('CONV_2D', [0, 1], [2], conv1x1()), op('PRELU', [2, 3], [4])],
    [0],
    [4],
  );
  const { y } = await runConverted(m, { x: { data: [-10, -10, 4, -2], dims: [1, 1, 2, 2] } });
  assertClose(y!.data, [-1, -5, 4, -1]);
});
