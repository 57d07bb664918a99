/**
 * The Enhancer's frame mode: the built-in ESRGAN x2 on the real clip doubles the frame
 * size (announced when the run opens), a 4K frame runs tiled, and a Swapper followed by a
 * frame-mode Enhancer is declined by the fusion family and runs node by node. Face mode
 * without faces is refused when the run opens.
 */
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { runPlan } from '../../src/run/run-plan.js';
import { runPerFrame } from '../../src/run/run-per-frame.js';
import { isFramefuseError } from '../../src/errors.js';
import { openModel } from '../../src/runtime/model-session.js';
import { defaultModelsDir } from '../../src/models/paths.js';
import { enlargeBilinear, upscaleFrames } from '../../src/upscale/upscale-frames.js';
import type { Frame } from '../../src/model/port-values.js';
import type { RunEvent } from '../../src/run/run-events.js';
import { graph } from '../helpers.js';
import { writeFaceModels, type FaceModelFiles } from './face-models.js';
import { chainGraph, CLIP, resolveSwapGraph, type Collected } from './swap-graph.js';
import { difference } from './frame-compare.js';

function psnr(a: Frame, b: Frame): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += (a.data[i]! - b.data[i]!) ** 2;
  return 10 * Math.log10((255 * 255) / (sum / a.data.length));
}

describe('Enhancer frame mode', () => {
  let models: FaceModelFiles;
  before(() => {
    models = writeFaceModels();
  });

  //  decoder ──> batch(2) ──> enhance (frame, esrgan_x2) ──> sink
  //     └──> orig
  test('ESRGAN x2 on the clip doubles the frames, announced at open', async () => {
    const doc = graph(
      [
        ['decoder', 'Decoder', { path: CLIP, start: 104, end: 106 }],
        ['batch', 'Batcher', { size: 2 }],
        ['enhance', 'Enhancer', { mode: 'frame', frameModel: 'esrgan_x2', blend: 100 }],
        ['sink', 'TestFrameCollector'],
        ['orig', 'TestFrameCollector'],
      ],
      ['decoder.frames -> batch.frames', 'batch.frames -> enhance.frames', 'enhance.frames -> sink.frames', 'decoder.frames -> orig.frames'],
    );
    const { graph: g, plan } = await resolveSwapGraph(doc);
    const { outputs } = await runPlan(g, plan);
    const out = outputs['sink'] as Collected;
    const original = outputs['orig'] as Collected;
    assert.deepEqual(out.info && [out.info.width, out.info.height], [1280, 720]);
    assert.deepEqual(out.frames.map((f) => [f.width, f.height]), [[1280, 720], [1280, 720]]);
    // The same picture, upscaled: close to a bilinear enlargement, but not that.
    out.frames.forEach((f, i) => {
      const p = psnr(f, enlargeBilinear(original.frames[i]!, 2));
      assert.ok(p > 25 && p < 60, `frame ${i}: PSNR against bilinear ${p.toFixed(1)} dB`);
    });
  });

  test('a 4K frame runs tiled; the tiles join without seams', async () => {
    const width = 3840;
    const height = 2160;
    const frame: Frame = { width, height, data: new Uint8Array(width * height * 3) };
    for (let i = 0; i < frame.data.length; i++) frame.data[i] = (i * 7919) % 251;
    const session = await openModel(models.upscaler, { modelsDir: defaultModelsDir() });
    const spec = { ref: models.upscaler, std: 255, tile: 256, overlap: 16 };
    const [big] = await upscaleFrames(session, [frame], spec, 1);
    assert.deepEqual([big!.width, big!.height], [7680, 4320]);
    // A window across a tile boundary, run whole, must equal that part of the tiled result.
    const x0 = 200;
    const y0 = 200;
    const side = 96;
    const crop: Frame = { width: side, height: side, data: new Uint8Array(side * side * 3) };
    for (let y = 0; y < side; y++) crop.data.set(frame.data.subarray(((y0 + y) * width + x0) * 3, ((y0 + y) * width + x0 + side) * 3), y * side * 3);
    const [whole] = await upscaleFrames(session, [crop], { ...spec, tile: 1024 }, 1);
    await session.dispose();
    let max = 0;
    for (let y = 2; y < 2 * side - 2; y++) {
      for (let x = 2; x < 2 * side - 2; x++) {
        for (let c = 0; c < 3; c++) {
          const d = Math.abs(whole!.data[(y * 2 * side + x) * 3 + c]! - big!.data[((2 * y0 + y) * 2 * width + 2 * x0 + x) * 3 + c]!);
          if (d > max) max = d;
        }
      }
    }
    assert.equal(max, 0);
  });

  test('face mode with no faces connected fails when the run opens, naming the port', async () => {
    const doc = graph(
      [
        ['decoder', 'Decoder', { path: CLIP, start: 0, end: 2 }],
        ['enhance', 'Enhancer', { mode: 'face', faceModel: models.gfpgan }],
        ['sink', 'TestFrameCollector'],
      ],
      ['decoder.frames -> enhance.frames', 'enhance.frames -> sink.frames'],
    );
    const { graph: g, plan } = await resolveSwapGraph(doc);
    await assert.rejects(runPlan(g, plan), (error: unknown) => {
      assert.ok(isFramefuseError(error));
      assert.equal(error.code, 'FF_ENHANCER_NEEDS_FACES');
      assert.equal(error.node, 'enhance');
      assert.equal(error.field, 'faces');
      return true;
    });
  });

  test('Swapper -> frame-mode Enhancer: the family declines, says why, and the nodes run one by one', async () => {
    const doc = chainGraph({ models, start: 104, end: 106, batch: 2, enhancer: { mode: 'frame', frameModel: models.upscaler, blend: 100 } });
    const { graph: g, plan } = await resolveSwapGraph(doc);
    assert.deepEqual(plan.stages.find((s) => s.nodes.includes('swap'))!.nodes, ['swap', 'enhance']);
    const logs: string[] = [];
    const fused = await runPlan(g, plan, { onEvent: (e: RunEvent) => void (e.type === 'log' && logs.push(e.message)) });
    assert.ok(logs.some((m) => m === 'face-crop-chain declined, running node by node: enhance runs in frame mode'), logs.join('\n'));
    const a = fused.outputs['sink'] as Collected;
    const b = (await runPerFrame(g)).outputs['sink'] as Collected;
    assert.deepEqual(a.frames.map((f) => [f.width, f.height]), [[1280, 720], [1280, 720]]);
    // Batched (padded to 2) against one at a time: float sums in another order, at most a rounding step.
    a.frames.forEach((f, i) => assert.ok(difference(f, b.frames[i]!).max <= 1));
  });
});
