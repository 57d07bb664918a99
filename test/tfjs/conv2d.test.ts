/** Conv2D: kernel layout, "same" padding (odd pixel at the end for even kernels), bias, fused relu, valid. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kerasKernelToOnnx } from '../../src/importers/tfjs/layers/conv2d.js';
import { rounded, runTiny, tinyModel } from './tiny-model.js';

test('kernel [kh,kw,in,out] becomes [out,in,kh,kw]', () => {
  // kh=1, kw=2, in=2, out=3; value = 100*y + 10*x... encode (x, i, o) as x*100 + i*10 + o.
  const keras: number[] = [];
  for (let x = 0; x < 2; x++) for (let i = 0; i < 2; i++) for (let o = 0; o < 3; o++) keras.push(x * 100 + i * 10 + o);
  const onnx = [...kerasKernelToOnnx(Float32Array.from(keras), [1, 2, 2, 3])];
  const want: number[] = [];
  for (let o = 0; o < 3; o++) for (let i = 0; i < 2; i++) for (let x = 0; x < 2; x++) want.push(x * 100 + i * 10 + o);
  assert.deepEqual(onnx, want);
});

test('3x3 same: a 3x3 input of ones convolved with ones counts the neighbours, plus bias', async () => {
  const model = tinyModel(1, [
    { className: 'Conv2D', name: 'c', inputs: ['x'], config: { filters: 1, kernel_size: [3, 3], padding: 'same', activation: 'linear' },
      weights: { kernel: { shape: [3, 3, 1, 1], values: new Array(9).fill(1) }, bias: { shape: [1], values: [0.5] } } },
  ]);
  const out = await runTiny(model, new Array(9).fill(1), [1, 3, 3, 1]);
  assert.deepEqual(out.dims, [1, 3, 3, 1]);
  assert.deepEqual(out.values, [4.5, 6.5, 4.5, 6.5, 9.5, 6.5, 4.5, 6.5, 4.5]);
});

test('2x2 same pads at the bottom and right (TensorFlow), 2 channels in, fused relu', async () => {
  // Input 2x2x2: channel 0 = [1,2;3,4], channel 1 = all 1. Kernel: out = c0(y,x) - c1(y+1,x+1) (as offsets 0 and 1).
  const kernel = new Array(2 * 2 * 2 * 1).fill(0);
  kernel[((0 * 2 + 0) * 2 + 0) * 1 + 0] = 1; // (ky=0,kx=0,in=0)
  kernel[((1 * 2 + 1) * 2 + 1) * 1 + 0] = -1; // (ky=1,kx=1,in=1)
  const model = tinyModel(2, [
    { className: 'Conv2D', name: 'c', inputs: ['x'], config: { filters: 1, kernel_size: [2, 2], padding: 'same', activation: 'relu', use_bias: false },
      weights: { kernel: { shape: [2, 2, 2, 1], values: kernel } } },
  ]);
  const out = await runTiny(model, [1, 1, 2, 1, 3, 1, 4, 1], [1, 2, 2, 2]);
  // (0,0): 1 - 1 = 0; (0,1): 2 - 0 (padded) = 2; (1,0): 3 - 0 = 3; (1,1): 4 - 0 = 4; relu keeps them.
  assert.deepEqual(rounded(out.values), [0, 2, 3, 4]);
  const negative = await runTiny(model, [0, 5, 0, 5, 0, 5, 0, 5], [1, 2, 2, 2]);
  assert.deepEqual(rounded(negative.values), [0, 0, 0, 0], 'relu clips 0 - 5');
});

test('1x1 valid mixes channels', async () => {
  const model = tinyModel(2, [
    { className: 'Conv2D', name: 'mix', inputs: ['x'], config: { filters: 2, kernel_size: [1, 1], padding: 'valid' },
      weights: { kernel: { shape: [1, 1, 2, 2], values: [1, 2, 3, 4] }, bias: { shape: [2], values: [0, 10] } } },
  ]);
  // out0 = 1*a + 3*b, out1 = 2*a + 4*b + 10
  const out = await runTiny(model, [1, 1, 2, 0], [1, 1, 2, 2]);
  assert.deepEqual(rounded(out.values), [4, 16, 2, 14]);
});
