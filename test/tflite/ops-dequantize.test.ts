/** DEQUANTIZE of float16 weights, folded into float32 initializers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { convertTfliteToOnnx } from '../../src/importers/tflite/convert.js';
import { assertClose, model, op, runConverted, tensor } from './helpers.js';

test('DEQUANTIZE float16 kernel and bias feed CONV_2D as exact float32 values', async () => {
  // float16 bits: 0x3800 = 0.5, 0xC000 = -2, 0x3555 = 0.333251953125 (the nearest half to 1/3).
  const m = model(
    [
      tensor('x', [1, 1, 1, 2]),
      tensor('k16', [1, 1, 1, 2], Uint16Array.from([0x3800, 0xc000])),
      tensor('k', [1, 1, 1, 2]),
      tensor('b16', [1], Uint16Array.from([0x3555])),
      tensor('b', [1]),
      tensor('y', [1, 1, 1, 1]),
    ],
    [op('DEQUANTIZE', [1], [2]), op('DEQUANTIZE', [3], [4]), op('CONV_2D', [0, 2, 4], [5], { kind: 'conv2d', padding: 'VALID', strideW: 1, strideH: 1, activation: 'NONE', dilationW: 1, dilationH: 1 })],
    [0],
    [5],
  );
  // 3 * 0.5 + 1 * -2 + 0.333251953125
  const { y } = await runConverted(m, { x: { data: [3, 1], dims: [1, 1, 1, 2] } });
  assertClose(y!.data, [-0.5 + 0.333251953125], 1e-7);
});

test('DEQUANTIZE of an int8 tensor is refused, naming the operator and tensor', () => {
  const m = model(
    [tensor('x', [1, 2]), tensor('q', [2], new Float32Array(0), 'int8'), tensor('d', [2]), tensor('y', [1, 2])],
    [op('DEQUANTIZE', [1], [2]), op('ADD', [0, 2], [3], { kind: 'add', activation: 'NONE' })],
    [0],
    [3],
  );
  m.tensors[1]!.data = Uint8Array.from([1, 2]);
  assert.throws(() => convertTfliteToOnnx(m), (e: Error & { code?: string }) => e.code === 'FF_TFLITE_UNSUPPORTED' && /DEQUANTIZE of the int8 tensor q is not supported/.test(e.message) && /hand-built\.tflite/.test(e.message));
});
