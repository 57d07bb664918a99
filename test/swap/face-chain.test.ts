/**
 * Golden runs of the swap chain on the real clip (YuNet detection, generated swap and
 * enhance models with the real signatures) through the real scheduler: the composed
 * stage against the same graph run node by node, the swapped region against the rest.
 *
 * Tolerance, fused vs node by node: at most 12 levels on any channel, at most 0.5 level on
 * average over the faces' crop regions, identical elsewhere. Node by node, the swapped
 * 128 crop is resampled into the frame, rounded to 8 bits, and resampled again into the
 * 512 crop; composed, it is resampled once, in float, straight into the 512 crop (theta).
 * Two bilinear steps blur a little more than one, and rounding adds up to half a level
 * per step; measured here: max 3-5 levels, mean 0.11-0.12 level over the regions (about
 * 55,000 pixels each), while the swap changes the face box by 26-29 levels on average.
 */
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { runPlan } from '../../src/run/run-plan.js';
import { runPerFrame } from '../../src/run/run-per-frame.js';
import { formatPlan } from '../../src/plan/format-plan.js';
import type { RunEvent } from '../../src/run/run-events.js';
import { writeFaceModels, type FaceModelFiles } from './face-models.js';
import { chainGraph, resolveSwapGraph, type Collected } from './swap-graph.js';
import { difference, faceRegionMask, inBox } from './frame-compare.js';

// Frames 104-112 (t = 4.3-4.7 s): the man with glasses, one face per frame.
const FACE_FRAMES = { start: 104, end: 112 };

describe('Swapper -> Enhancer on the clip', () => {
  let models: FaceModelFiles;
  before(() => {
    models = writeFaceModels();
  });

  test('after a Batcher the two nodes form one stage that face-crop-chain composes', async () => {
    const { plan } = await resolveSwapGraph(chainGraph({ models, ...FACE_FRAMES }));
    const stage = plan.stages.find((s) => s.nodes.includes('swap'))!;
    assert.deepEqual(stage.nodes, ['swap', 'enhance']);
    assert.equal(stage.composedBy, 'face-crop-chain');
    assert.equal(stage.batchSize, 4);
    assert.match(formatPlan(plan), /fused: swap -> enhance composed into one model by face-crop-chain/);
  });

  test('the composed stage gives the node-by-node frames within tolerance; only the faces change', async () => {
    const { graph, plan } = await resolveSwapGraph(chainGraph({ models, ...FACE_FRAMES }));
    const logs: string[] = [];
    const fused = await runPlan(graph, plan, { onEvent: (e: RunEvent) => void (e.type === 'log' && logs.push(e.message)) });
    assert.ok(logs.some((m) => /swap \+ enhance composed into one instance \(face-crop-chain\)/.test(m)), logs.join('\n'));
    const perFrame = await runPerFrame(graph);

    const a = fused.outputs['sink'] as Collected;
    const b = perFrame.outputs['sink'] as Collected;
    const original = fused.outputs['orig'] as Collected;
    assert.equal(a.frames.length, 8);
    assert.equal(b.frames.length, 8);
    for (let i = 0; i < a.frames.length; i++) {
      const faces = a.faces[i]!;
      assert.equal(faces.length, 1, `frame ${FACE_FRAMES.start + i} has the man's face`);
      const region = faceRegionMask(a.frames[i]!, faces);
      const inside = difference(a.frames[i]!, b.frames[i]!, (p) => region[p] === 1);
      assert.ok(inside.max <= 12 && inside.mean <= 0.5, `frame ${i}: fused vs node by node ${JSON.stringify(inside)}`);
      // Outside the crop regions nothing was touched, by either path.
      assert.equal(difference(a.frames[i]!, original.frames[i]!, (p) => region[p] === 0).max, 0);
      assert.equal(difference(b.frames[i]!, original.frames[i]!, (p) => region[p] === 0).max, 0);
      // The face itself did change, by far more than the tolerance.
      const swapped = difference(a.frames[i]!, original.frames[i]!, inBox(a.frames[i]!, faces[0]!));
      assert.ok(swapped.mean > 10, `frame ${i}: the face changed by ${swapped.mean.toFixed(1)} levels on average`);
    }
  });

  test('frames without faces pass through untouched', async () => {
    // Frames 0-4: the robot; YuNet finds no face there.
    const { graph, plan } = await resolveSwapGraph(chainGraph({ models, start: 0, end: 4 }));
    const { outputs } = await runPlan(graph, plan);
    const out = outputs['sink'] as Collected;
    const original = outputs['orig'] as Collected;
    assert.deepEqual(out.faces.map((f) => f.length), [0, 0, 0, 0]);
    out.frames.forEach((f, i) => assert.deepEqual(f.data, original.frames[i]!.data));
  });

  test('CodeFormer-like (float64 fidelity input), swap weight and blend: composed == node by node', async () => {
    const doc = chainGraph({
      models,
      start: 104,
      end: 106,
      batch: 2,
      swapper: { weight: 0.7, maskBlur: 0.2 },
      enhancer: { faceModel: models.codeformer, fidelity: 0.8, blend: 60, maskPadding: [5, 0, 0, 0] },
    });
    const { graph, plan } = await resolveSwapGraph(doc);
    assert.equal(plan.stages.find((s) => s.nodes.includes('swap'))!.composedBy, 'face-crop-chain');
    const fused = (await runPlan(graph, plan)).outputs['sink'] as Collected;
    const perFrame = (await runPerFrame(graph)).outputs['sink'] as Collected;
    fused.frames.forEach((f, i) => {
      const region = faceRegionMask(f, fused.faces[i]!);
      const d = difference(f, perFrame.frames[i]!, (p) => region[p] === 1);
      assert.ok(d.max <= 12 && d.mean <= 0.5, `frame ${i}: ${JSON.stringify(d)}`);
    });
  });
});
