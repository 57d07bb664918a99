/** Add: element-wise sum of two or three inputs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rounded, runTiny, tinyModel } from './tiny-model.js';

test('x + relu(x) + x', async () => {
  const model = tinyModel(1, [
    { className: 'Activation', name: 'r', inputs: ['x'], config: { activation: 'relu' } },
    { className: 'Add', name: 'sum', inputs: ['x', 'r', 'x'] },
  ]);
  const out = await runTiny(model, [-1, 2, 3.5, -4], [2, 1, 2, 1]);
  assert.deepEqual(out.dims, [2, 1, 2, 1], 'batch of 2 kept');
  assert.deepEqual(rounded(out.values), [-2, 6, 10.5, -8]);
});
