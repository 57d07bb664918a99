/**
 * The free-size rewrite: the shipped YuNet rewritten and proven (same outputs at 640x640,
 * the same cells on a cut canvas), a head that hard-codes its cell count, and the
 * structures it must refuse rather than guess.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { GraphBuilder } from '../../src/onnx/builder.js';
import { freeSpatialDims } from '../../src/onnx/free-spatial-dims.js';
import { freeSpatialProven, proveFreeSpatial } from '../../src/onnx/free-spatial-proof.js';
import { decodeModel } from '../../src/onnx/model-io.js';
import { inspectModel } from '../../src/onnx/inspect.js';
import { isFramefuseError } from '../../src/errors.js';

const YUNET = 'models/yunet_s_640_640.onnx';

test('YuNet: free H and W, the 12 heads reshape to [0,-1,C], proven at 640x640 and on 384-row and 384-column canvases', async () => {
  const source = decodeModel(await readFile(YUNET), YUNET);
  const report = await freeSpatialProven(source);
  assert.deepEqual(inspectModel(report.model).inputs[0]?.dims, [1, 3, 'H', 'W']);
  const reshapes = report.rewrites.filter((r) => r.startsWith('Reshape'));
  assert.equal(reshapes.length, 12);
  for (const r of reshapes) assert.match(r, /-> \[0,-1,(1|4|10)\]$/);
  const { proof } = report;
  console.log(`# YuNet free-size proof: ${JSON.stringify(proof)}`);
  assert.deepEqual(proof.sizes, [[384, 640], [640, 384]]);
  // Measured: bit-identical, both at the source size and on the compared cells.
  assert.ok(proof.sameSizeMaxAbsDiff <= 1e-5 && proof.croppedMaxAbsDiff <= 1e-5);
  // Per cut canvas: stride 8 rows 0-19 of 80 columns, 16: 0-9 of 40, 32: 0-4 of 20 (and the transpose), x 4 outputs.
  assert.equal(proof.comparedCells, 2 * 4 * (20 * 80 + 10 * 40 + 5 * 20));
});

test('the proof fails when cells nearer the cut edge than the receptive field are claimed equal', async () => {
  const source = decodeModel(await readFile(YUNET), YUNET);
  const report = freeSpatialDims(source);
  await assert.rejects(proveFreeSpatial(source, report, { sizes: [[384, 640]], margin: 0 }), (e: unknown) => {
    assert.ok(isFramefuseError(e) && e.code === 'FF_FREE_SPATIAL_UNPROVEN', String(e));
    assert.match(e.message, /cell \(\d+, \d+\)/);
    return true;
  });
});

/** A one-head detector on a 64x64 input: Conv (C channels) -> NHWC -> Reshape(shape). */
function head(shape: number[], options: { transpose?: boolean; extra?: (g: GraphBuilder, x: string) => string } = {}): GraphBuilder {
  const g = new GraphBuilder('head', { opset: 13 });
  const x = g.input('input', 'float32', [1, 3, 64, 64]);
  const weights = Float32Array.from({ length: 4 * 3 * 3 * 3 }, (_, i) => Math.sin(i) / 10);
  let y = g.node('Conv', [x, g.initializer('w', weights, [4, 3, 3, 3]), g.initializer('b', [0.1, -0.2, 0.3, 0], [4])], { pads: [1, 1, 1, 1], strides: [8, 8] });
  if (options.extra) y = options.extra(g, y);
  if (options.transpose !== false) y = g.node('Transpose', [y], { perm: [0, 2, 3, 1] });
  g.output(g.node('Reshape', [y, g.int64s('shape', shape)]), 'bbox_8', 'float32', [1, 64, 4]);
  return g;
}

test('a head that hard-codes its cell count ([1,64,4] for 8x8 cells) becomes [0,-1,4] and is proven', async () => {
  const report = await freeSpatialProven(head([1, 64, 4]).toModel(), { sizes: [[32, 64], [64, 32]], margin: 16 });
  assert.ok(report.rewrites.some((r) => r.endsWith('shape [1,64,4] -> [0,-1,4]')), report.rewrites.join('; '));
  assert.deepEqual(inspectModel(report.model).outputs[0]?.dims, [1, 'bbox_8_d1', 4]);
  assert.equal(report.proof.sameSizeMaxAbsDiff, 0);
  assert.ok(report.proof.comparedCells > 0);
});

test('structures whose size independence cannot be seen are refused', () => {
  const refused = (g: GraphBuilder, pattern: RegExp): void => {
    assert.throws(() => freeSpatialDims(g.toModel()), (e: unknown) => {
      assert.ok(isFramefuseError(e) && e.code === 'FF_FREE_SPATIAL_UNSUPPORTED', String(e));
      assert.match(e.message, pattern);
      return true;
    });
  };
  // A Reshape that does not flatten an NHWC head (here straight from NCHW: cells would come out channel-major).
  refused(head([1, 64, 4], { transpose: false }), /not a Conv head flattened/);
  // The channel count does not match the Conv's.
  refused(head([1, 32, 8]), /shape \[1,32,8\]/);
  // An operator that may bake the size in.
  refused(head([1, 64, 4], { extra: (g, y) => g.node('GlobalAveragePool', [y]) }), /operator GlobalAveragePool/);
  // A Resize to fixed sizes.
  refused(
    head([1, 64, 4], {
      extra: (g, y) => g.node('Resize', [y, g.initializer('roi', [], [0]), g.initializer('scales', [], [0]), g.int64s('sizes', [1, 4, 8, 8])], { mode: 'nearest' }),
    }),
    /fixed sizes/,
  );
});
