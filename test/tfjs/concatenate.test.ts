/** Concatenate: the channels-last axis (-1 or 3) becomes NCHW's axis 1; axis 2 (W) becomes 3. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nchwAxis } from '../../src/importers/tfjs/layers/layer-context.js';
import { rounded, runTiny, tinyModel } from './tiny-model.js';

test('axis mapping', () => {
  assert.deepEqual([0, 1, 2, 3, -1, -2].map((a) => nchwAxis(a, 4)), [0, 2, 3, 1, 1, 3]);
});

test('channel concatenation of a tensor with its relu', async () => {
  const model = tinyModel(1, [
    { className: 'Activation', name: 'r', inputs: ['x'], config: { activation: 'relu' } },
    { className: 'Concatenate', name: 'cat', inputs: ['x', 'r'], config: { axis: 3 } },
  ]);
  const out = await runTiny(model, [-2, 5], [1, 1, 2, 1]);
  assert.deepEqual(out.dims, [1, 1, 2, 2]);
  assert.deepEqual(rounded(out.values), [-2, 0, 5, 5]);
});

test('width concatenation (axis 2)', async () => {
  const model = tinyModel(1, [
    { className: 'Activation', name: 'r', inputs: ['x'], config: { activation: 'relu' } },
    { className: 'Concatenate', name: 'cat', inputs: ['x', 'r'], config: { axis: 2 } },
  ]);
  const out = await runTiny(model, [-2, 5], [1, 1, 2, 1]);
  assert.deepEqual(out.dims, [1, 1, 4, 1]);
  assert.deepEqual(rounded(out.values), [-2, 5, 0, 5]);
});
