/**
 * The source identity: found and embedded once when the run opens; a source image with no
 * face stops the run before any frame is processed; emap maths and the missing-emap error.
 */
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPlan } from '../../src/run/run-plan.js';
import { isFramefuseError } from '../../src/errors.js';
import { readEmap, sourceVector, averageEmbedding } from '../../src/faces/swap/source-vector.js';
import { buildSwapperLikeModel } from '../../src/onnx/synthetic-models.js';
import { buildInswapperLikeModel } from '../../src/faces/swap/synthetic-face-models.js';
import type { RunEvent } from '../../src/run/run-events.js';
import { writeFaceModels, type FaceModelFiles } from './face-models.js';
import { chainGraph, resolveSwapGraph } from './swap-graph.js';

describe('the swap source', () => {
  let models: FaceModelFiles;
  before(() => {
    models = writeFaceModels();
  });

  test('no face in the source image: a clear user error from the Swapper before frames flow', async () => {
    // A flat grey picture (binary PPM): nothing for YuNet to find.
    const file = join(models.dir, 'no-face.ppm');
    writeFileSync(file, Buffer.concat([Buffer.from('P6\n64 64\n255\n'), Buffer.alloc(64 * 64 * 3, 128)]));
    const { graph, plan } = await resolveSwapGraph(chainGraph({ models, start: 104, end: 108, source: file }));
    let failedMetrics: Extract<RunEvent, { type: 'failed' }>['metrics'] | undefined;
    const onEvent = (e: RunEvent) => {
      if (e.type === 'failed') failedMetrics = e.metrics;
    };
    await assert.rejects(runPlan(graph, plan, { onEvent }), (error: unknown) => {
      assert.ok(isFramefuseError(error));
      assert.equal(error.code, 'FF_NO_SOURCE_FACE');
      assert.equal(error.kind, 'user');
      assert.equal(error.node, 'swap');
      assert.match(error.message, /no face found in the source image on port "source" \(64x64\)/);
      return true;
    });
    assert.ok(failedMetrics, 'a failed event with metrics');
    // It failed while the stages opened: no frame reached the swapper or either sink.
    assert.deepEqual(['swap', 'sink', 'orig'].map((id) => failedMetrics?.nodes[id]?.framesIn ?? 0), [0, 0, 0]);
  });

  test('source vector = embedding x emap / |embedding|', () => {
    const n = 512;
    const emap = new Float32Array(n * n);
    for (let i = 0; i < n; i++) emap[i * n + ((i + 1) % n)] = 2; // a scaled cyclic shift
    const e = new Float32Array(n);
    e[0] = 3;
    e[5] = 4;
    const v = sourceVector(e, emap);
    assert.ok(Math.abs(v[1]! - (2 * 3) / 5) < 1e-6 && Math.abs(v[6]! - (2 * 4) / 5) < 1e-6);
    assert.equal(v.filter((x) => x !== 0).length, 2);
    assert.deepEqual(Array.from(averageEmbedding([Float32Array.of(1, 3), Float32Array.of(3, 5)])), [2, 4]);
  });

  test('emap is the last initializer; a model without one is refused by name', () => {
    const emap = readEmap(buildInswapperLikeModel({ channels: 4, convs: 1 }), 'like.onnx');
    assert.equal(emap.length, 512 * 512);
    assert.throws(() => readEmap(buildSwapperLikeModel({ channels: 4, convs: 1 }), 'plain.onnx'), /plain\.onnx has no 512x512 float32 emap/);
  });
});
