/** CONV_2D and DEPTHWISE_CONV_2D against results computed by hand. */
import { test } from 'node:test';
import { assertClose, model, op, runConverted, tensor } from './helpers.js';

const conv = (padding: 'SAME' | 'VALID', stride: number, activation: 'NONE' | 'RELU6' = 'NONE') =>
  ({ kind: 'conv2d', padding, strideW: stride, strideH: stride, activation, dilationW: 1, dilationH: 1 }) as const;

test('CONV_2D SAME, stride 1, even kernel: TensorFlow pads the odd pixel at the bottom/right', async () => {
  // x = 1 2 3 / 4 5 6 / 7 8 9, kernel 2x2 of ones, bias 0.5:
  // y[i][j] = sum of x[i..i+1][j..j+1] (zeros past the edge) + 0.5.
  const m = model(
    [tensor('x', [1, 3, 3, 1]), tensor('k', [1, 2, 2, 1], [1, 1, 1, 1]), tensor('b', [1], [0.5]), tensor('y', [1, 3, 3, 1])],
    [op('CONV_2D', [0, 1, 2], [3], conv('SAME', 1))],
    [0],
    [3],
  );
  const { y } = await runConverted(m, { x: { data: [1, 2, 3, 4, 5, 6, 7, 8, 9], dims: [1, 3, 3, 1] } });
  assertClose(y!.data, [12.5, 16.5, 9.5, 24.5, 28.5, 15.5, 15.5, 17.5, 9.5]);
});

test('CONV_2D VALID, stride 2: kernel rows are H and columns W (OHWI -> OIHW)', async () => {
  // The kernel's only 1 is at (row 0, column 1), so each output picks x[2i][2j+1] of x = 0..15 (4x4).
  const m = model(
    [tensor('x', [1, 4, 4, 1]), tensor('k', [1, 2, 2, 1], [0, 1, 0, 0]), tensor('y', [1, 2, 2, 1])],
    [op('CONV_2D', [0, 1, -1], [2], conv('VALID', 2))],
    [0],
    [2],
  );
  const { y } = await runConverted(m, { x: { data: Array.from({ length: 16 }, (_, i) => i), dims: [1, 4, 4, 1] } });
  assertClose(y!.data, [1, 3, 9, 11]);
});

test('CONV_2D mixes channels in OHWI order and applies its fused RELU6', async () => {
  // One pixel with channels (1, 10). Output 0 = 1*1 + 10*(-1) = -9 -> 0; output 1 = 0.1 + 10*0.7 = 7.1 -> 6.
  const m = model(
    [tensor('x', [1, 1, 1, 2]), tensor('k', [2, 1, 1, 2], [1, -1, 0.1, 0.7]), tensor('y', [1, 1, 1, 2])],
    [op('CONV_2D', [0, 1], [2], conv('VALID', 1, 'RELU6'))],
    [0],
    [2],
  );
  const { y } = await runConverted(m, { x: { data: [1, 10], dims: [1, 1, 1, 2] } });
  assertClose(y!.data, [0, 6]);
});

test('DEPTHWISE_CONV_2D with depth multiplier 2: output channel c*2+m reads input channel c', async () => {
  // x: channel 0 = 1 2 / 3 4, channel 1 = 10 20 / 30 40. Kernel [1,2,2,4] (per position, 4 output channels):
  // oc0 picks (0,0) of c0 -> 1; oc1 picks (1,1) of c0 -> 4; oc2 picks (0,1) of c1 -> 20; oc3 sums c1 -> 100, + bias 0.5.
  const kernel = [1, 0, 0, 1, /* (0,1) */ 0, 0, 1, 1, /* (1,0) */ 0, 0, 0, 1, /* (1,1) */ 0, 1, 0, 1];
  const m = model(
    [tensor('x', [1, 2, 2, 2]), tensor('k', [1, 2, 2, 4], kernel), tensor('b', [4], [0, 0, 0, 0.5]), tensor('y', [1, 1, 1, 4])],
    [op('DEPTHWISE_CONV_2D', [0, 1, 2], [3], { kind: 'depthwise', padding: 'VALID', strideW: 1, strideH: 1, depthMultiplier: 2, activation: 'NONE', dilationW: 1, dilationH: 1 })],
    [0],
    [3],
  );
  const { y } = await runConverted(m, { x: { data: [1, 10, 2, 20, 3, 30, 4, 40], dims: [1, 2, 2, 2] } });
  assertClose(y!.data, [1, 4, 20, 100.5]);
});

test('DEPTHWISE_CONV_2D SAME, stride 2, 3x3: pads like TensorFlow (total 1 at the end for even sizes)', async () => {
  // 4x4 input of ones, 3x3 kernel of ones, stride 2 SAME: out 2x2, total padding 1 -> 0 before, 1 after.
  // y00 covers rows 0-2, cols 0-2 = 9; y01 cols 2-4 (4 is padding) = 6; y10 = 6; y11 = 4.
  const m = model(
    [tensor('x', [1, 4, 4, 1]), tensor('k', [1, 3, 3, 1], new Float32Array(9).fill(1)), tensor('y', [1, 2, 2, 1])],
    [op('DEPTHWISE_CONV_2D', [0, 1], [2], { kind: 'depthwise', padding: 'SAME', strideW: 2, strideH: 2, depthMultiplier: 1, activation: 'NONE', dilationW: 1, dilationH: 1 })],
    [0],
    [2],
  );
  const { y } = await runConverted(m, { x: { data: new Array<number>(16).fill(1), dims: [1, 4, 4, 1] } });
  assertClose(y!.data, [9, 6, 6, 4]);
});
