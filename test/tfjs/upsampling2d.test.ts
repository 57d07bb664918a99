/** UpSampling2D nearest: each pixel repeated size[0] x size[1] times; bilinear refused. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isFramefuseError } from '../../src/errors.js';
import { runTiny, tinyModel } from './tiny-model.js';

test('nearest 2x3 on a 2x2 image with 2 channels', async () => {
  const model = tinyModel(2, [{ className: 'UpSampling2D', name: 'up', inputs: ['x'], config: { size: [2, 3], interpolation: 'nearest' } }]);
  // pixel (y,x) has channels (10y+x, -(10y+x))
  const input = [0, -0, 1, -1, 10, -10, 11, -11];
  const out = await runTiny(model, input, [1, 2, 2, 2]);
  assert.deepEqual(out.dims, [1, 4, 6, 2]);
  const want: number[] = [];
  for (let y = 0; y < 4; y++) for (let x = 0; x < 6; x++) {
    const v = 10 * Math.floor(y / 2) + Math.floor(x / 3);
    want.push(v, -v);
  }
  assert.deepEqual(out.values.map((v) => v + 0), want.map((v) => v + 0));
});

test('bilinear is refused, naming the layer', async () => {
  const model = tinyModel(1, [{ className: 'UpSampling2D', name: 'up_b', inputs: ['x'], config: { size: [2, 2], interpolation: 'bilinear' } }]);
  await assert.rejects(runTiny(model, [1], [1, 1, 1, 1]), (e) => isFramefuseError(e) && e.code === 'FF_TFJS_UNSUPPORTED' && e.message.includes('up_b') && e.message.includes('bilinear'));
});
