/** Activation: relu clips negatives, linear passes through, others are refused by name. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isFramefuseError } from '../../src/errors.js';
import { rounded, runTiny, tinyModel } from './tiny-model.js';

test('relu', async () => {
  const out = await runTiny(tinyModel(2, [{ className: 'Activation', name: 'r', inputs: ['x'], config: { activation: 'relu' } }]), [-1.5, 2, 0, -0.25], [1, 1, 2, 2]);
  assert.deepEqual(rounded(out.values), [0, 2, 0, 0]);
});

test('linear is the identity', async () => {
  const out = await runTiny(tinyModel(1, [{ className: 'Activation', name: 'l', inputs: ['x'], config: { activation: 'linear' } }]), [-1, 3], [1, 1, 2, 1]);
  assert.deepEqual(rounded(out.values), [-1, 3]);
});

test('an activation it does not map is refused, naming it and the layer', async () => {
  await assert.rejects(
    runTiny(tinyModel(1, [{ className: 'Activation', name: 'act7', inputs: ['x'], config: { activation: 'gelu' } }]), [1], [1, 1, 1, 1]),
    (e) => isFramefuseError(e) && e.code === 'FF_TFJS_UNSUPPORTED' && e.message.includes('gelu') && e.message.includes('act7'),
  );
});
