import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import ort from 'onnxruntime-node';
import { GraphBuilder } from '../../src/onnx/builder.js';
import { attr } from '../../src/onnx/attributes.js';
import { decodeModel } from '../../src/onnx/model-io.js';
import { AttributeType, int64 } from '../../src/onnx/proto.js';
import { readTensor } from '../../src/onnx/tensor-data.js';
import { readValueInfo } from '../../src/onnx/value-info.js';

describe('GraphBuilder', () => {
  test('builds a model onnxruntime runs with the expected values', async () => {
    //   x[N,2,2,2] --Conv 1x1 (w)--> c --Split axis 1--> a, b --Add--> y[N,1,2,2]
    const g = new GraphBuilder('conv_split_add', { opset: 17 });
    const x = g.input('x', 'float32', ['N', 2, 2, 2]);
    const w = g.initializer('w', new Float32Array([1, 0, 0, 2]), [2, 2, 1, 1]);
    const c = g.node('Conv', [x, w], { pads: [0, 0, 0, 0] });
    const [a, b] = g.node('Split', [c], { axis: 1 }, { outputs: 2 });
    assert.ok(a !== undefined && b !== undefined);
    g.output(g.node('Add', [a, b]), 'y', 'float32', ['N', 1, 2, 2]);

    const session = await ort.InferenceSession.create(g.toBytes());
    const input = new Float32Array([1, 2, 3, 4, 10, 20, 30, 40]);
    const result = await session.run({ x: new ort.Tensor('float32', input, [1, 2, 2, 2]) });
    // y = 1*x0 + 2*x1 per pixel
    assert.deepEqual(Array.from(result['y']?.data as Float32Array), [21, 42, 63, 84]);
    await session.release();
  });

  test('types attributes from JS values, with float names and explicit wrappers', () => {
    const g = new GraphBuilder('attrs');
    const x = g.input('x', 'float32', [1, 4]);
    const y = g.node('LeakyRelu', [x], { alpha: 1 });
    const z = g.node('Custom', [y], { count: 3, sizes: [1, 2], gains: [0.5, 1], name: 'k', scale: attr.int(2) }, { domain: 'my.domain' });
    g.output(z, 'z');
    const model = decodeModel(g.toBytes());
    const nodes = model.graph?.node ?? [];
    const alpha = nodes[0]?.attribute?.[0];
    assert.equal(alpha?.type, AttributeType.FLOAT);
    assert.equal(alpha?.f, 1);
    const kinds = Object.fromEntries((nodes[1]?.attribute ?? []).map((a) => [a.name, a.type]));
    assert.deepEqual(kinds, {
      count: AttributeType.INT,
      sizes: AttributeType.INTS,
      gains: AttributeType.FLOATS,
      name: AttributeType.STRING,
      scale: AttributeType.INT,
    });
    assert.equal(nodes[1]?.domain, 'my.domain');
  });

  test('output() renames a node output in place and round-trips types, dims and initializers', () => {
    const g = new GraphBuilder('rename', { opset: 13 });
    const x = g.input('x', 'float32', ['batch', 3]);
    const shape = g.int64s('shape', [-1, 3]);
    g.output(g.node('Reshape', [x, shape]), 'out', 'float32', ['batch', null]);
    const model = decodeModel(g.toBytes());
    assert.equal(int64(model.irVersion as number), 7);
    assert.equal(model.graph?.node?.[0]?.output?.[0], 'out');
    const out = readValueInfo(model.graph!.output![0]! as never);
    assert.deepEqual(out.dims, ['batch', null]);
    const init = readTensor(model.graph!.initializer![0]! as never);
    assert.equal(init.type, 'int64');
    assert.deepEqual(Array.from(init.data as BigInt64Array, Number), [-1, 3]);
  });

  test('refuses a name used twice', () => {
    const g = new GraphBuilder('dup');
    g.input('x', 'float32', [1]);
    assert.throws(() => g.input('x', 'float32', [1]), /already used/);
  });
});
