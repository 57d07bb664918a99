/** RESHAPE, CONCATENATION and RESIZE_BILINEAR against results computed by hand. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose, conv1x1, identityKernel, model, op, runConverted, tensor } from './helpers.js';

test('RESHAPE follows TFLite memory order (NHWC) even when the value is held NCHW, and keeps the batch free', async () => {
  // [1,2,2,2] holding 1..8 in NHWC order reshapes to [1,4,2] = 1..8: the regressor layout of BlazeFace.
  const m = model(
    [tensor('x', [1, 2, 2, 2]), tensor('id', [2, 1, 1, 2], identityKernel(2)), tensor('c', [1, 2, 2, 2]), tensor('y', [1, 4, 2])],
    [op('CONV_2D', [0, 1], [2], conv1x1()), op('RESHAPE', [2], [3], { kind: 'reshape', newShape: [1, -1, 2] })],
    [0],
    [3],
  );
  const data = [1, 2, 3, 4, 5, 6, 7, 8];
  const { y } = await runConverted(m, { x: { data: [...data, ...data.map((v) => -v)], dims: [2, 2, 2, 2] } });
  assert.deepEqual(y!.dims, [2, 4, 2]);
  assertClose(y!.data, [...data, ...data.map((v) => -v)]);
});

test('CONCATENATION along channels (axis 3 and -1) of NCHW values', async () => {
  for (const axis of [3, -1]) {
    // a = (1) (2), b = (3) (4) per pixel -> (1 3) (2 4).
    const m = model(
      [tensor('x', [1, 1, 2, 1]), tensor('one', [1, 1, 1, 1], [1]), tensor('a', [1, 1, 2, 1]), tensor('three', [1, 1, 1, 1], [3]), tensor('b', [1, 1, 2, 1]), tensor('y', [1, 1, 2, 2])],
      [op('CONV_2D', [0, 1], [2], conv1x1()), op('CONV_2D', [0, 3], [4], conv1x1()), op('CONCATENATION', [2, 4], [5], { kind: 'concatenation', axis, activation: 'NONE' })],
      [0],
      [5],
    );
    const { y } = await runConverted(m, { x: { data: [1, 2], dims: [1, 1, 2, 1] } });
    assertClose(y!.data, [1, 3, 2, 6]);
  }
});

test('CONCATENATION along width, with a fused RELU', async () => {
  const m = model(
    [tensor('a', [1, 1, 2, 1]), tensor('b', [1, 1, 2, 1]), tensor('y', [1, 1, 4, 1])],
    [op('CONCATENATION', [0, 1], [2], { kind: 'concatenation', axis: 2, activation: 'RELU' })],
    [0, 1],
    [2],
  );
  const { y } = await runConverted(m, { a: { data: [1, -2], dims: [1, 1, 2, 1] }, b: { data: [-3, 4], dims: [1, 1, 2, 1] } });
  assertClose(y!.data, [1, 0, 0, 4]);
});

test('RESIZE_BILINEAR 2 -> 4 wide in its three coordinate conventions', async () => {
  // Input row (0, 10). half_pixel: source x = (x + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25 (clamped) -> 0 2.5 7.5 10.
  // align_corners: x / 3 -> 0 3.33 6.67 10. Neither: x / 2 -> 0 5 10 10.
  const cases = [
    { alignCorners: false, halfPixelCenters: true, expected: [0, 2.5, 7.5, 10] },
    { alignCorners: true, halfPixelCenters: false, expected: [0, 10 / 3, 20 / 3, 10] },
    { alignCorners: false, halfPixelCenters: false, expected: [0, 5, 10, 10] },
  ];
  for (const c of cases) {
    const m = model(
      [tensor('x', [1, 1, 2, 1]), tensor('size', [2], [1, 4], 'int32'), tensor('y', [1, 1, 4, 1])],
      [op('RESIZE_BILINEAR', [0, 1], [2], { kind: 'resize_bilinear', alignCorners: c.alignCorners, halfPixelCenters: c.halfPixelCenters })],
      [0],
      [2],
    );
    const { y } = await runConverted(m, { x: { data: [0, 10], dims: [1, 1, 2, 1] } });
    assertClose(y!.data, c.expected, 1e-5);
  }
});
