import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../src/onnx/builder.js';
import { batchifyModel } from '../../src/onnx/batchify.js';
import { graphOf } from '../../src/onnx/inspect.js';

test('a shape constant that several Reshapes share is rewritten into one initializer, not one per Reshape', () => {
  //  x ──> Reshape(shape) ──> a        x ──> Reshape(shape) ──> b       (one [1,-1] constant)
  const g = new GraphBuilder('shared', { opset: 17 });
  const x = g.input('x', 'float32', [1, 2, 3]);
  const shape = g.int64s('shape', [1, -1]);
  g.output(g.node('Reshape', [x, shape]), 'a', 'float32', [1, 6]);
  g.output(g.node('Reshape', [x, shape]), 'b', 'float32', [1, 6]);
  const report = batchifyModel(g.toModel());
  const names = graphOf(report.model).initializer.map((t) => t.name);
  assert.equal(report.rewrites.filter((r) => r.startsWith('Reshape')).length, 2);
  assert.equal(new Set(names).size, names.length, `duplicate initializers: ${names.join(', ')}`);
  assert.equal(names.filter((n) => n?.startsWith('shape__batchified')).length, 1);
});
