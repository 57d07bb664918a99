import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { joinOutputs, sliceableBatch, sliceFeeds } from '../../src/runtime/batch-slices.js';
import type { TensorInfo } from '../../src/onnx/value-info.js';

const info = (name: string, dims: (number | string)[]): TensorInfo => ({ name, type: 'float32', typeName: 'float32', dims });

describe('batch slices', () => {
  const inputs = [info('frames', ['N', 2]), info('mask', [1, 2]), info('weight', [1])];
  const outputs = [info('out', ['N', 2])];
  const feeds = {
    frames: { data: Float32Array.from([1, 2, 3, 4, 5, 6]), dims: [3, 2] },
    mask: { data: Float32Array.from([9, 9]), dims: [1, 2] },
    weight: { data: Float32Array.from([0.5]), dims: [1] },
  };

  test('the batch is the free first axis of the batched inputs; fixed inputs do not count', () => {
    assert.equal(sliceableBatch(inputs, outputs, feeds), 3);
  });

  test('no slicing when an output has no batch axis or the batched inputs disagree', () => {
    assert.equal(sliceableBatch(inputs, [info('sum', [1])], feeds), null);
    assert.equal(sliceableBatch([...inputs, info('other', ['N', 1])], outputs, { ...feeds, other: { data: new Float32Array(2), dims: [2, 1] } }), null);
  });

  test('slices are views of the batched inputs; other inputs go whole', () => {
    const slice = sliceFeeds(inputs, feeds, 1, 3);
    assert.deepEqual(slice['frames']!.dims, [2, 2]);
    assert.deepEqual([...slice['frames']!.data], [3, 4, 5, 6]);
    assert.equal(slice['frames']!.data.buffer, feeds.frames.data.buffer, 'no copy');
    assert.equal(slice['mask'], feeds.mask);
    assert.equal(slice['weight'], feeds.weight);
  });

  test('outputs join along the first axis in order', () => {
    const joined = joinOutputs([
      { out: { data: Float32Array.from([1, 2]), dims: [1, 2], type: 'float32' } },
      { out: { data: Float32Array.from([3, 4, 5, 6]), dims: [2, 2], type: 'float32' } },
    ]);
    assert.deepEqual(joined['out']!.dims, [3, 2]);
    assert.deepEqual([...joined['out']!.data], [1, 2, 3, 4, 5, 6]);
    assert.ok(joined['out']!.data instanceof Float32Array);
    assert.equal(joined['out']!.type, 'float32');
  });
});
