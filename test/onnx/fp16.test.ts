import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { toFp16 } from '../../src/onnx/fp16.js';
import { assertFp16WithinTolerance, compareFp16 } from '../../src/onnx/fp16-check.js';
import { graphOf } from '../../src/onnx/inspect.js';
import { DataType } from '../../src/onnx/proto.js';
import { readTensor } from '../../src/onnx/tensor-data.js';
import { buildSwapperLikeModel } from '../../src/onnx/synthetic-models.js';
import { float16ToFloat32, float32ToFloat16, toHalfBits } from '../../src/onnx/float16.js';
import { encodeModel } from '../../src/onnx/model-io.js';
import { filled, runModel } from './helpers.js';

describe('toFp16', () => {
  const model = buildSwapperLikeModel({ channels: 8, convs: 4, size: 32, fixedBatch: false });

  test('float16 bit patterns round-trip and round to nearest even', () => {
    assert.equal(toHalfBits(1), 0x3c00);
    assert.equal(toHalfBits(-2), 0xc000);
    assert.equal(toHalfBits(65504), 0x7bff);
    assert.equal(toHalfBits(1e6), 0x7c00);
    assert.equal(toHalfBits(2 ** -24), 0x0001);
    const values = Float32Array.from([0, 0.1, 0.5, 3.14159, -7.25, 1024.5]);
    const back = float16ToFloat32(float32ToFloat16(values));
    values.forEach((v, i) => assert.ok(Math.abs((back[i] ?? 0) - v) <= Math.abs(v) * 1e-3 + 1e-7));
  });

  test('weights become float16, inputs and outputs stay float32, results within the stated tolerance', async () => {
    const half = toFp16(model);
    const graph = graphOf(half);
    const convWeight = graph.initializer.find((t) => t.name === 'conv_w');
    assert.equal(convWeight?.dataType, DataType.FLOAT16);
    // Resize's scales must stay float32 (the operator requires it).
    assert.equal(graph.initializer.find((t) => t.name === 'up_scales')?.dataType, DataType.FLOAT);
    assert.equal(graph.input[0]?.type?.tensorType?.elemType, DataType.FLOAT);
    assert.equal(graph.output[0]?.type?.tensorType?.elemType, DataType.FLOAT);
    assert.ok(encodeModel(half).length < encodeModel(model).length * 0.6, 'the file roughly halves');

    const result = await runModel(half, { target: { data: filled(3 * 32 * 32, 3), dims: [1, 3, 32, 32] }, source: { data: filled(512, 4), dims: [1, 512] } });
    assert.ok(result['output']!.data instanceof Float32Array);
    const comparison = await assertFp16WithinTolerance(model, half);
    const stats = comparison.outputs['output']!;
    assert.ok(stats.maxAbs > 0, 'float16 really changed something');
    assert.ok(stats.maxAbs <= 0.02 && stats.meanAbs <= 0.002, JSON.stringify(stats));
  });

  test('a conversion that drifts beyond the tolerance is refused with its numbers', async () => {
    const half = toFp16(model);
    // Corrupt one float16 weight tensor: the check must notice.
    const w = graphOf(half).initializer.find((t) => t.name === 'style_w')!;
    const value = readTensor(w as never);
    const bits = value.data as Uint16Array;
    for (let i = 0; i < bits.length; i++) bits[i] = toHalfBits(4);
    w.rawData = new Uint8Array(bits.buffer);
    const comparison = await compareFp16(model, half);
    assert.equal(comparison.withinTolerance, false);
    await assert.rejects(assertFp16WithinTolerance(model, half), /FF_FP16|beyond tolerance/);
  });
});
